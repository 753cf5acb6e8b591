package vault

import (
	"errors"
	"strings"

	"github.com/99designs/keyring"
)

var (
	// ErrWrongPassphrase means the passphrase does not open the key file.
	ErrWrongPassphrase = errors.New("vault: wrong passphrase")
	// ErrTampered means a record failed authentication: a flipped byte, a
	// record moved to another bucket or key, or a truncated record.
	ErrTampered = errors.New("vault: record tampered or moved")
	// ErrNeedPassphrase means no keyring is usable and no passphrase was given.
	ErrNeedPassphrase = errors.New("vault: no OS keyring available; set a passphrase")
	// ErrLocked means the keyring that holds the data key is locked or
	// unreachable; retry once it is unlocked.
	ErrLocked = errors.New("vault: the keyring holding the data key is locked or unavailable")
	// ErrKeyMissing means Dir was set up with a data key that can no longer be
	// found where it was stored; records sealed before cannot be opened.
	ErrKeyMissing = errors.New("vault: the data key for this data directory is missing")
	// ErrKeyFileCorrupt means the key file is unreadable or its wrapped key
	// fails authentication although the passphrase is right.
	ErrKeyFileCorrupt = errors.New("vault: key file corrupt")
	// ErrPassphraseTooShort means a new passphrase has fewer than
	// MinPassphraseLen characters.
	ErrPassphraseTooShort = errors.New("vault: passphrase too short")
	// ErrClosed means the Vault was used after Close.
	ErrClosed = errors.New("vault: closed")
)

// BackendFailure says why one keyring backend was not used.
type BackendFailure struct {
	Backend keyring.BackendType
	Err     error
}

// KeyringError lists the keyring backends that were tried and why each
// failed, so the UI can tell the user more than "no keyring".
type KeyringError struct {
	Failures []BackendFailure
}

func (e *KeyringError) Error() string {
	if len(e.Failures) == 0 {
		return "keyring: no backend allowed"
	}
	parts := make([]string, len(e.Failures))
	for i, f := range e.Failures {
		parts[i] = string(f.Backend) + ": " + f.Err.Error()
	}
	return "keyring: " + strings.Join(parts, "; ")
}

// Unwrap exposes each backend's error to errors.Is and errors.As.
func (e *KeyringError) Unwrap() []error {
	errs := make([]error, len(e.Failures))
	for i, f := range e.Failures {
		errs[i] = f.Err
	}
	return errs
}
