package store

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"

	"golang.org/x/crypto/chacha20poly1305"
)

// errTampered is what the AEAD test sealers wrap when Open fails, so tests
// can check the sealer's own error reaches the caller.
var errTampered = errors.New("test sealer: message authentication failed")

// xorSealer is the fast, insecure sealer for functional tests: a marker
// prefix and a XOR, enough to prove values are transformed and checked.
type xorSealer struct{}

var xorMarker = []byte("xor1:")

func (xorSealer) Seal(_, _, plaintext []byte) ([]byte, error) {
	out := append([]byte{}, xorMarker...)
	for _, b := range plaintext {
		out = append(out, b^0x5a)
	}
	return out, nil
}

func (xorSealer) Unseal(_, _, sealed []byte) ([]byte, error) {
	if !bytes.HasPrefix(sealed, xorMarker) {
		return nil, errTampered
	}
	out := make([]byte, 0, len(sealed)-len(xorMarker))
	for _, b := range sealed[len(xorMarker):] {
		out = append(out, b^0x5a)
	}
	return out, nil
}

// aeadSealer is a real AEAD sealer: random nonce || ciphertext, with
// additional data len(bucket) || bucket || key, so tamper and swap tests are
// meaningful. It backs both the AES-GCM and the XChaCha20-Poly1305 sealers.
type aeadSealer struct{ aead cipher.AEAD }

func newGCMSealer() aeadSealer {
	key := make([]byte, 32)
	rand.Read(key)
	block, err := aes.NewCipher(key)
	if err != nil {
		panic(err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic(err)
	}
	return aeadSealer{aead}
}

func newXChaChaSealer() aeadSealer {
	key := make([]byte, chacha20poly1305.KeySize)
	rand.Read(key)
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		panic(err)
	}
	return aeadSealer{aead}
}

func additionalData(bucket, key []byte) []byte {
	ad := binary.BigEndian.AppendUint32(nil, uint32(len(bucket)))
	ad = append(ad, bucket...)
	return append(ad, key...)
}

func (s aeadSealer) Seal(bucket, key, plaintext []byte) ([]byte, error) {
	n := s.aead.NonceSize()
	out := make([]byte, n, n+len(plaintext)+s.aead.Overhead())
	rand.Read(out)
	return s.aead.Seal(out, out[:n], plaintext, additionalData(bucket, key)), nil
}

func (s aeadSealer) Unseal(bucket, key, sealed []byte) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(sealed) < n {
		return nil, fmt.Errorf("%w: too short", errTampered)
	}
	plain, err := s.aead.Open(nil, sealed[:n], sealed[n:], additionalData(bucket, key))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errTampered, err)
	}
	return plain, nil
}
