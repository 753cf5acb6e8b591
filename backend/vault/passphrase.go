package vault

import (
	"fmt"
	"unicode/utf8"
)

// MinPassphraseLen is the fewest characters a new passphrase may have.
const MinPassphraseLen = 8

// CheckNewPassphrase is the rule for a passphrase that is about to protect
// a key file: at least MinPassphraseLen characters.
func CheckNewPassphrase(p string) error {
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
