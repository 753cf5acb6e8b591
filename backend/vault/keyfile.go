package vault

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/crypto/chacha20poly1305"

	"bankdesk/backend/internal/atomicfile"
)

// KeyFileName is the passphrase-protected key file inside Options.Dir.
const KeyFileName = "vault.key"

const (
	keyFileFormat  = "bankdesk-vault-key"
	keyFileVersion = 1
	keyFileContext = "bankdesk/vault/keyfile"
	saltSize       = 16
	maxKeyFileSize = 64 << 10
)

// keyFile is the JSON stored in vault.key. Byte fields are base64.
//
// Check is an HMAC under a second Argon2id output; it tells a wrong
// passphrase (check fails) from a damaged wrapped key (check passes, AEAD
// fails). Checksum is an unkeyed SHA-256 over every other field, so
// accidental damage anywhere reads as corrupt rather than as a wrong
// passphrase. Neither adds to what a guesser learns: the wrapped key
// already verifies a guess at the same Argon2id cost.
type keyFile struct {
	Format     string    `json:"format"`
	Version    int       `json:"version"`
	KDF        string    `json:"kdf"`
	Params     kdfParams `json:"params"`
	Salt       []byte    `json:"salt"`
	Check      []byte    `json:"check"`
	Cipher     string    `json:"cipher"`
	Nonce      []byte    `json:"nonce"`
	WrappedKey []byte    `json:"wrapped_key"`
	Checksum   []byte    `json:"checksum"`
}

// wrapKey seals dataKey under passphrase with fresh salt and nonce.
func wrapKey(dataKey []byte, passphrase string, p kdfParams) (*keyFile, error) {
	kf := &keyFile{
		Format: keyFileFormat, Version: keyFileVersion, KDF: "argon2id", Params: p,
		Cipher: "xchacha20poly1305",
		Salt:   make([]byte, saltSize), Nonce: make([]byte, nonceSize),
	}
	if _, err := rand.Read(kf.Salt); err != nil {
		return nil, fmt.Errorf("vault: key file salt: %w", err)
	}
	if _, err := rand.Read(kf.Nonce); err != nil {
		return nil, fmt.Errorf("vault: key file nonce: %w", err)
	}
	kek, checkKey := deriveKeys(passphrase, kf.Salt, p)
	defer zero(kek)
	defer zero(checkKey)
	header := kf.header()
	kf.Check = checkValue(checkKey, header)
	aead, err := chacha20poly1305.NewX(kek)
	if err != nil {
		return nil, fmt.Errorf("vault: key file cipher: %w", err)
	}
	kf.WrappedKey = aead.Seal(nil, kf.Nonce, dataKey, header)
	kf.Checksum = kf.checksum()
	return kf, nil
}

// unwrapKey returns the data key, ErrWrongPassphrase or ErrKeyFileCorrupt.
func (kf *keyFile) unwrapKey(passphrase string) ([]byte, error) {
	kek, checkKey := deriveKeys(passphrase, kf.Salt, kf.Params)
	defer zero(kek)
	defer zero(checkKey)
	header := kf.header()
	if !hmac.Equal(checkValue(checkKey, header), kf.Check) {
		return nil, ErrWrongPassphrase
	}
	aead, err := chacha20poly1305.NewX(kek)
	if err != nil {
		return nil, fmt.Errorf("vault: key file cipher: %w", err)
	}
	key, err := aead.Open(nil, kf.Nonce, kf.WrappedKey, header)
	if err != nil || len(key) != dataKeySize {
		return nil, fmt.Errorf("%w: wrapped key fails authentication", ErrKeyFileCorrupt)
	}
	return key, nil
}

// header is the canonical encoding of what the KDF depends on; it is the
// AAD of the wrapped key and the message of the check value.
func (kf *keyFile) header() []byte {
	h := make([]byte, 0, len(keyFileContext)+16+len(kf.Salt))
	h = append(h, keyFileContext...)
	h = binary.BigEndian.AppendUint32(h, uint32(kf.Version))
	h = binary.BigEndian.AppendUint32(h, kf.Params.Time)
	h = binary.BigEndian.AppendUint32(h, kf.Params.MemoryKiB)
	h = append(h, kf.Params.Threads)
	return append(h, kf.Salt...)
}

func (kf *keyFile) checksum() []byte {
	sum := sha256.New()
	sum.Write(kf.header())
	sum.Write(kf.Check)
	sum.Write(kf.Nonce)
	sum.Write(kf.WrappedKey)
	return sum.Sum(nil)
}

func checkValue(checkKey, header []byte) []byte {
	mac := hmac.New(sha256.New, checkKey)
	mac.Write([]byte("passphrase check"))
	mac.Write(header)
	return mac.Sum(nil)
}

// validate rejects anything this version cannot have written.
func (kf *keyFile) validate() error {
	switch {
	case kf.Format != keyFileFormat:
		return fmt.Errorf("format %q is not %q", kf.Format, keyFileFormat)
	case kf.Version != keyFileVersion:
		return fmt.Errorf("version %d is not supported (written by a newer Bankdesk?)", kf.Version)
	case kf.KDF != "argon2id" || kf.Cipher != "xchacha20poly1305":
		return fmt.Errorf("kdf %q / cipher %q not supported", kf.KDF, kf.Cipher)
	case len(kf.Salt) != saltSize || len(kf.Nonce) != nonceSize || len(kf.Check) != sha256.Size:
		return fmt.Errorf("salt, nonce or check has the wrong length")
	case len(kf.WrappedKey) != dataKeySize+tagSize:
		return fmt.Errorf("wrapped key has the wrong length")
	case !bytes.Equal(kf.Checksum, kf.checksum()):
		return fmt.Errorf("checksum mismatch")
	}
	return kf.Params.validate()
}

func keyFilePath(dir string) string { return filepath.Join(dir, KeyFileName) }

// readKeyFile loads and validates vault.key; a missing file is returned as
// an error satisfying errors.Is(err, fs.ErrNotExist).
func readKeyFile(dir string) (*keyFile, error) { return readKeyFileAt(keyFilePath(dir)) }

func readKeyFileAt(path string) (*keyFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("vault: read key file: %w", err)
	}
	defer func() { _ = f.Close() }() // read only
	raw, err := io.ReadAll(io.LimitReader(f, maxKeyFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("vault: read key file: %w", err)
	}
	if len(raw) > maxKeyFileSize {
		return nil, fmt.Errorf("%w: %s is larger than %d bytes", ErrKeyFileCorrupt, path, maxKeyFileSize)
	}
	kf, err := parseKeyFile(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrKeyFileCorrupt, path, err)
	}
	return kf, nil
}

// parseKeyFile decodes and validates a key file's bytes.
func parseKeyFile(raw []byte) (*keyFile, error) {
	var kf keyFile
	if err := json.Unmarshal(raw, &kf); err != nil {
		return nil, err
	}
	if err := kf.validate(); err != nil {
		return nil, err
	}
	return &kf, nil
}

// encode is the key file's bytes on disk.
func (kf *keyFile) encode() ([]byte, error) {
	raw, err := json.MarshalIndent(kf, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("vault: encode key file: %w", err)
	}
	return append(raw, '\n'), nil
}

// writeKeyFile replaces the key file at path atomically with mode 0600.
func writeKeyFile(path string, kf *keyFile) error {
	raw, err := kf.encode()
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(path, raw); err != nil {
		return fmt.Errorf("vault: write key file: %w", err)
	}
	return nil
}

// createKeyFileAt writes a new vault.key, failing with ErrKeyFileExists if
// one is already there: a key file is never replaced by a second first run.
func createKeyFileAt(dir string, kf *keyFile) error {
	raw, err := kf.encode()
	if err != nil {
		return err
	}
	err = atomicfile.WriteFileExclusive(keyFilePath(dir), raw)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%w: %s", ErrKeyFileExists, keyFilePath(dir))
	}
	if err != nil {
		return fmt.Errorf("vault: write key file: %w", err)
	}
	return nil
}
