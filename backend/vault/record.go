package vault

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"

	"golang.org/x/crypto/chacha20poly1305"
)

// recordVersion is the first byte of every sealed record.
const recordVersion byte = 1

// recordContext separates record AAD from any other use of the data key.
const recordContext = "bankdesk/vault/record"

const (
	nonceSize = chacha20poly1305.NonceSizeX
	tagSize   = chacha20poly1305.Overhead
	// RecordOverhead is how many bytes Seal adds to a plaintext.
	RecordOverhead = 1 + nonceSize + tagSize
)

// Seal encrypts plaintext for the record stored under bucket and key. The
// result is version || nonce || ciphertext+tag and opens only with the same
// bucket and key.
func (v *Vault) Seal(bucket, key, plaintext []byte) ([]byte, error) {
	aead, err := v.cipher()
	if err != nil {
		return nil, err
	}
	out := make([]byte, 1+nonceSize, RecordOverhead+len(plaintext))
	out[0] = recordVersion
	nonce := out[1:]
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("vault: seal: nonce: %w", err)
	}
	return aead.Seal(out, nonce, plaintext, recordAAD(recordVersion, bucket, key)), nil
}

// Unseal decrypts a record sealed by Seal for the same bucket and key. Any
// failure to authenticate, including truncation and an unknown version,
// returns ErrTampered.
func (v *Vault) Unseal(bucket, key, sealed []byte) ([]byte, error) {
	aead, err := v.cipher()
	if err != nil {
		return nil, err
	}
	if len(sealed) < RecordOverhead {
		return nil, fmt.Errorf("%w: %d bytes is shorter than any record", ErrTampered, len(sealed))
	}
	if sealed[0] != recordVersion {
		return nil, fmt.Errorf("%w: unknown record version %d", ErrTampered, sealed[0])
	}
	nonce, ciphertext := sealed[1:1+nonceSize], sealed[1+nonceSize:]
	plaintext, err := aead.Open(nil, nonce, ciphertext, recordAAD(sealed[0], bucket, key))
	if err != nil {
		return nil, ErrTampered
	}
	return plaintext, nil
}

// recordAAD binds a record to its format version, bucket and key. Both
// names are length-prefixed so ("ab","c") and ("a","bc") differ.
func recordAAD(version byte, bucket, key []byte) []byte {
	aad := make([]byte, 0, len(recordContext)+1+16+len(bucket)+len(key))
	aad = append(aad, recordContext...)
	aad = append(aad, version)
	aad = binary.BigEndian.AppendUint64(aad, uint64(len(bucket)))
	aad = append(aad, bucket...)
	aad = binary.BigEndian.AppendUint64(aad, uint64(len(key)))
	return append(aad, key...)
}
