// Package busguard stops github.com/99designs/keyring from starting a
// stray D-Bus daemon.
//
// On Linux the keyring package calls dbus.SessionBus() from init. When no
// session bus address is set or discoverable, its old godbus runs
// `dbus-launch`, which starts a new, empty session bus that is never shut
// down: one leaked dbus-daemon (and often a gnome-keyring-daemon) per
// process, and a Secret Service that can never hold the user's key.
//
// This package's init runs before keyring's (Go initialises packages in
// import-path order once their imports are ready, and "bankdesk/..." sorts
// before "github.com/..."; its only imports are also keyring's). When
// godbus would fall back to dbus-launch, it sets DBUS_SESSION_BUS_ADDRESS
// to an address godbus rejects at once, so the D-Bus backends are simply
// not registered. Package vault calls Disarm from its own init, after
// keyring's, to put the variable back.
package busguard
