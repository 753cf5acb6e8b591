package vault

import (
	"bytes"
	"fmt"
)

// BackendMemory is what Backend reports for an ephemeral Vault.
const BackendMemory = "memory"

// NewEphemeral returns a Vault with a random data key that is never
// stored: records it seals cannot be opened once it is closed. It is for
// tests of packages that seal records, and for throwaway sessions.
func NewEphemeral() (*Vault, error) {
	key, err := newDataKey()
	if err != nil {
		return nil, err
	}
	return newVault(BackendMemory, key)
}

// BackendCarried is what Backend reports for a Vault on a carried key.
const BackendCarried = "carried"

// NewCarried returns a Vault with a fresh random data key, and a copy of
// that key for the caller to carry inside another envelope: a backup
// (package backup) seals its copy of the store under such a key and puts
// the key inside its passphrase-encrypted file, so the backup never holds
// the key of the machine it came from. The caller must put the key
// nowhere else, and clear it when done.
func NewCarried() (*Vault, []byte, error) {
	key, err := newDataKey()
	if err != nil {
		return nil, nil, err
	}
	v, err := newVault(BackendCarried, key)
	if err != nil {
		return nil, nil, err
	}
	return v, bytes.Clone(key), nil
}

// OpenCarried is a Vault on a key that NewCarried made, taken out of its
// envelope. It keeps a copy of key: the caller may clear its own.
func OpenCarried(key []byte) (*Vault, error) {
	if len(key) != dataKeySize {
		return nil, fmt.Errorf("vault: a carried key is %d bytes, not %d", dataKeySize, len(key))
	}
	return newVault(BackendCarried, bytes.Clone(key))
}
