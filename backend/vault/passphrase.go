package vault

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MinPassphraseLen is the fewest characters a new passphrase may have.
// frontend/src/lib/passphrase.ts mirrors this rule for the set-up form;
// both are tested against frontend/src/lib/passphrase-cases.json.
const MinPassphraseLen = 8

// CheckNewPassphrase is the rule for a passphrase that is about to protect
// a key file: at least MinPassphraseLen characters, and not only spaces.
// How strong it is only earns a hint (PassphraseStrength), never a refusal.
func CheckNewPassphrase(p string) error {
	n := utf8.RuneCountInString(p)
	if n > 0 && strings.TrimFunc(p, unicode.IsSpace) == "" {
		return ErrPassphraseBlank
	}
	if n < MinPassphraseLen {
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
