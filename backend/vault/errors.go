package vault

import (
	"errors"
	"fmt"
	"strings"
	"time"

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
	// ErrPassphraseBlank means a new passphrase is nothing but spaces.
	ErrPassphraseBlank = errors.New("vault: a passphrase of only spaces is not allowed")
	// ErrKeyringTimeout means a keyring backend did not answer within
	// Options.KeyringTimeout; the error is a *KeyringTimeoutError.
	ErrKeyringTimeout = errors.New("vault: the OS keyring did not answer in time")
	// ErrKeyFileExists means a key file appeared while this Open was
	// creating one. It is never overwritten.
	ErrKeyFileExists = errors.New("vault: a key file appeared while a new one was being created")
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

// KeyringTimeoutError says which keyring backend did not answer in time.
// It matches ErrKeyringTimeout.
type KeyringTimeoutError struct {
	Backend keyring.BackendType
	After   time.Duration
}

func (e *KeyringTimeoutError) Error() string {
	return fmt.Sprintf("the OS keyring (%s) did not answer within %s", BackendName(e.Backend), seconds(e.After))
}

func (e *KeyringTimeoutError) Is(target error) bool { return target == ErrKeyringTimeout }

// InterruptedError means the caller's context ended (Ctrl+C) while a
// keyring backend was being asked; it unwraps to the context's error.
type InterruptedError struct {
	Backend keyring.BackendType
	Err     error
}

func (e *InterruptedError) Error() string {
	return fmt.Sprintf("interrupted while waiting for the OS keyring (%s)", BackendName(e.Backend))
}

func (e *InterruptedError) Unwrap() error { return e.Err }

// BackendName is a keyring backend as a person knows it.
func BackendName(b keyring.BackendType) string {
	switch b {
	case keyring.SecretServiceBackend:
		return "Secret Service"
	case keyring.KWalletBackend:
		return "KWallet"
	case keyring.KeychainBackend:
		return "macOS Keychain"
	case keyring.WinCredBackend:
		return "Windows Credential Manager"
	}
	return string(b)
}

// seconds writes whole seconds as "5 s", anything else as Go does.
func seconds(d time.Duration) string {
	if d >= time.Second && d%time.Second == 0 {
		return fmt.Sprintf("%d s", d/time.Second)
	}
	return d.String()
}
