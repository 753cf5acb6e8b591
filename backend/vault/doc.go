// Package vault encrypts Bankdesk's records at rest.
//
// One random 256-bit data key seals every record with XChaCha20-Poly1305.
// The key lives in the OS keyring (Secret Service, KWallet, macOS Keychain,
// Windows Credential Manager) or, where there is none, in a key file in the
// data directory wrapped under a passphrase with Argon2id.
//
// Which one is used (Mode "auto"):
//
//  1. A key file (vault.key) in Dir wins: the user chose a passphrase once,
//     so a keyring that shows up later is ignored.
//  2. A marker (vault.keyring) in Dir says a keyring already holds the key:
//     only that backend is asked. If it is unavailable Open fails with
//     ErrLocked rather than starting a second key, and if the item is gone
//     Open fails with ErrKeyMissing rather than replacing it.
//  3. Otherwise each allowed keyring backend is tried in order; the first
//     that can read (or store and read back) the key wins and the marker is
//     written.
//  4. Otherwise, with a passphrase source, a new key file is created;
//     without one, Open fails with ErrNeedPassphrase and a *KeyringError
//     that says why each backend was refused.
//
// Mode "file" uses only the key file. Moving a key between the keyring and
// the key file is not supported.
package vault
