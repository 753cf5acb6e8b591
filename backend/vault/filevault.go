package vault

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// keyFileExists reports whether dir holds a key file.
func keyFileExists(dir string) (bool, error) {
	_, err := os.Stat(keyFilePath(dir))
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	default:
		return false, fmt.Errorf("vault: key file: %w", err)
	}
}

// unlockKeyFile opens the existing key file with the user's passphrase.
func unlockKeyFile(o Options) (*Vault, error) {
	kf, err := readKeyFile(o.Dir)
	if err != nil {
		return nil, err
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
// user's passphrase.
func createKeyFile(o Options) (*Vault, error) {
	pass, err := askPassphrase(o)
	if err != nil {
		return nil, err
	}
	if err := checkNewPassphrase(pass); err != nil {
		return nil, err
	}
	key, err := newDataKey()
	if err != nil {
		return nil, err
	}
	kf, err := wrapKey(key, pass, newKeyFileKDF)
	if err == nil {
		err = writeKeyFile(o.Dir, kf)
	}
	if err != nil {
		zero(key)
		return nil, err
	}
	return newVault(BackendFile, key)
}
