package vault

import (
	"crypto/rand"
	"fmt"

	"golang.org/x/crypto/chacha20poly1305"
)

// dataKeySize is the data key length: 256 bits.
const dataKeySize = chacha20poly1305.KeySize

// newDataKey returns a fresh random data key.
func newDataKey() ([]byte, error) {
	key := make([]byte, dataKeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("vault: new data key: %w", err)
	}
	return key, nil
}

// zero overwrites key material that is no longer needed. Go strings and
// copies made by libraries cannot be reached, so this is best effort.
func zero(b []byte) {
	clear(b)
}
