package vault

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// keyFileExists reports whether dir holds a key file.
func keyFileExists(dir string) (bool, error) {
	return fileExists(keyFilePath(dir))
}

func fileExists(path string) (bool, error) {
	_, err := os.Stat(path)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	default:
		return false, fmt.Errorf("vault: %w", err)
	}
}

// unlockKeyFile opens the existing key file with the user's passphrase.
func unlockKeyFile(o Options) (*Vault, error) {
	kf, err := readKeyFile(o.Dir)
	if err != nil {
		return nil, err
	}
	// A copy or a restore may have widened it; the store does the same.
	if err := tightenMode(keyFilePath(o.Dir)); err != nil {
		return nil, fmt.Errorf("vault: make key file private: %w", err)
	}
	pass, err := askPassphrase(o)
	if err != nil {
		return nil, err
	}
	key, err := kf.unwrapKey(pass)
	if err != nil {
		return nil, err
	}
	return newVault(BackendFile, key)
}

// createKeyFile makes a new data key and stores it wrapped under the
// user's passphrase, in a key file that must not exist yet.
func createKeyFile(o Options) (*Vault, error) {
	pass, err := askPassphrase(o)
	if err != nil {
		return nil, err
	}
	v, kf, err := newKeyFile(pass)
	if err != nil {
		return nil, err
	}
	if err := createKeyFileAt(o.Dir, kf); err != nil {
		_ = v.Close() // Close only wipes the key from memory
		return nil, err
	}
	return v, nil
}

// newKeyFile makes a fresh data key and wraps it under a new passphrase,
// with the KDF cost calibrated on this machine: a first key file, or a
// passphrase change's. Nothing is written yet.
func newKeyFile(pass string) (*Vault, *keyFile, error) {
	if err := CheckNewPassphrase(pass); err != nil {
		return nil, nil, err
	}
	key, err := newDataKey()
	if err != nil {
		return nil, nil, err
	}
	kf, err := wrapKey(key, pass, newKeyFileKDF())
	if err != nil {
		zero(key)
		return nil, nil, err
	}
	v, err := newVault(BackendFile, key)
	if err != nil {
		return nil, nil, err
	}
	return v, kf, nil
}
