//go:build !darwin && !windows

package notify

import (
	"context"

	"github.com/godbus/dbus/v5"
)

// The Desktop Notifications Specification's service, as every Linux and
// BSD desktop offers it on the session bus
// (https://specifications.freedesktop.org/notification-spec/latest/).
const (
	busName   = "org.freedesktop.Notifications"
	busPath   = "/org/freedesktop/Notifications"
	busMethod = busName + ".Notify"
)

// expireDefault lets the server choose how long the notification stays.
const expireDefault = int32(-1)

// send calls Notify on a private connection to the session bus
// (DBUS_SESSION_BUS_ADDRESS), never starting a bus that is not there.
// The connection lives on ctx: when it ends, every step gives up.
func send(ctx context.Context, n Notification) error {
	conn, err := dbus.SessionBusPrivateNoAutoStartup(dbus.WithContext(ctx))
	if err != nil {
		return &UnavailableError{Why: "no D-Bus session bus", Err: err}
	}
	defer func() { _ = conn.Close() }() // the answer is in, or never will be
	if err := conn.Auth(nil); err != nil {
		return &UnavailableError{Why: "the D-Bus session bus refused Bankdesk", Err: err}
	}
	if err := conn.Hello(); err != nil {
		return &UnavailableError{Why: "the D-Bus session bus refused Bankdesk", Err: err}
	}
	call := conn.Object(busName, busPath).CallWithContext(ctx, busMethod, 0,
		AppName, uint32(0), Icon, n.Title, n.Body, []string{}, map[string]dbus.Variant{}, expireDefault)
	var id uint32
	if err := call.Store(&id); err != nil {
		return &UnavailableError{Why: "no notification service on the session bus", Err: err}
	}
	return nil
}
