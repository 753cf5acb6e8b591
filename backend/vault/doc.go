// Package vault encrypts Bankdesk's records at rest.
//
// One random 256-bit data key seals every record with XChaCha20-Poly1305.
// The key lives in the OS keyring (Secret Service, KWallet, macOS Keychain,
// Windows Credential Manager), one item per data directory, or, where there
// is none, in a key file in the data directory wrapped under a passphrase
// with Argon2id (cost calibrated on the machine that writes the file).
//
// Which one is used (Mode "auto"):
//
//  1. A key file (vault.key) in Dir wins: the user chose a passphrase once,
//     so a keyring that shows up later is ignored.
//  2. A marker (vault.keyring) in Dir says which keyring item holds the
//     key: only that is asked. If it is unavailable Open fails with
//     ErrLocked rather than starting a second key, and if the item is gone
//     Open fails with ErrKeyMissing rather than replacing it.
//  3. With Options.MustExist (the caller's data exists), nothing is
//     created: each keyring is asked for this directory's item, then for
//     the legacy item all directories shared before; else ErrKeyMissing.
//  4. Otherwise each allowed keyring backend is tried in order; the first
//     that holds this directory's item, or can create it and read it back,
//     wins and the marker is written.
//  5. Otherwise, with a passphrase source, a new key file is created
//     (exclusively: never over another one); without one, Open fails with
//     ErrNeedPassphrase and a *KeyringError that says why each backend was
//     refused.
//
// Every keyring backend gets Options.KeyringTimeout to answer, and ctx
// (OpenContext) can end the wait. Mode "file" uses only the key file.
// Moving a key between the keyring and the key file is not supported.
//
// Open does not lock Dir: callers serialise Opens of one directory
// (package datadir holds the data directory's lock around it).
package vault
