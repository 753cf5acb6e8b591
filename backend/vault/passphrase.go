package vault

import (
	"fmt"
	"unicode/utf8"
)

// MinPassphraseLen is the fewest characters a new passphrase may have.
const MinPassphraseLen = 8

// checkNewPassphrase enforces the minimum length for a passphrase that is
// about to protect the key file.
func checkNewPassphrase(p string) error {
	if n := utf8.RuneCountInString(p); n < MinPassphraseLen {
		return fmt.Errorf("%w: %d characters, need at least %d", ErrPassphraseTooShort, n, MinPassphraseLen)
	}
	return nil
}

// askPassphrase calls the passphrase source. No source, or an empty
// answer (an unset environment variable, a dismissed prompt), is
// ErrNeedPassphrase.
func askPassphrase(o Options) (string, error) {
	if o.Passphrase == nil {
		return "", ErrNeedPassphrase
	}
	p, err := o.Passphrase()
	if err != nil {
		return "", fmt.Errorf("vault: passphrase: %w", err)
	}
	if p == "" {
		return "", ErrNeedPassphrase
	}
	return p, nil
}

// ChangePassphrase re-wraps the key file in dir under newPass. The data key
// does not change, so sealed records stay readable and an open Vault keeps
// working. The file is replaced atomically; a wrong oldPass returns
// ErrWrongPassphrase.
func ChangePassphrase(dir, oldPass, newPass string) error {
	if err := checkNewPassphrase(newPass); err != nil {
		return err
	}
	kf, err := readKeyFile(dir)
	if err != nil {
		return err
	}
	key, err := kf.unwrapKey(oldPass)
	if err != nil {
		return err
	}
	defer zero(key)
	next, err := wrapKey(key, newPass, newKeyFileKDF)
	if err != nil {
		return err
	}
	return writeKeyFile(dir, next)
}
