package vault

import (
	"crypto/cipher"
	"fmt"
	"sync/atomic"

	"golang.org/x/crypto/chacha20poly1305"
)

// BackendFile is what Backend reports for the passphrase key file.
const BackendFile = "file"

// Vault seals and unseals records with one data key. It is safe for
// concurrent use.
type Vault struct {
	backend string
	key     []byte                 // the data key; zeroed by Close
	aead    atomic.Pointer[sealer] // nil once closed
}

// sealer boxes the AEAD so it can sit behind an atomic pointer.
type sealer struct{ aead cipher.AEAD }

// newVault takes ownership of key: the caller must not use or zero it.
func newVault(backend string, key []byte) (*Vault, error) {
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		zero(key)
		return nil, fmt.Errorf("vault: data key: %w", err)
	}
	v := &Vault{backend: backend, key: key}
	v.aead.Store(&sealer{aead: aead})
	return v, nil
}

// Backend names where the data key lives, for showing to the user:
// "secret-service", "kwallet", "keychain", "wincred", "file" (or "memory"
// for NewEphemeral).
func (v *Vault) Backend() string { return v.backend }

// Close zeroes the data key held by the Vault; later Seal and Unseal calls
// return ErrClosed. The AEAD's internal copy of the key cannot be reached
// and is left to the garbage collector.
func (v *Vault) Close() error {
	if v.aead.Swap(nil) != nil {
		zero(v.key)
	}
	return nil
}

// cipher returns the AEAD, or ErrClosed after Close.
func (v *Vault) cipher() (cipher.AEAD, error) {
	s := v.aead.Load()
	if s == nil {
		return nil, ErrClosed
	}
	return s.aead, nil
}
