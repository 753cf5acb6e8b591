package backup

import (
	"errors"
	"fmt"

	"bankdesk/backend/vault"
)

// Why a backup is refused: callers branch on these with errors.Is, and
// package problem words them for the window. Each is a sentence already,
// which the command line prints.

// ErrWrongPassphrase means the passphrase does not open the backup.
var ErrWrongPassphrase = errors.New("that backup passphrase is not right; check it (capital letters count) and try again. Nothing was changed")

// ErrDamaged means the backup is not what was written: a changed byte (age
// authenticates every 64 KiB), a file cut short, or a header altered.
var ErrDamaged = errors.New("this backup is damaged or incomplete (its content is not what was written), so it cannot be restored. Nothing was changed; restore from another copy of it")

// ErrNotBackup means the file is not a Bankdesk backup: not an age file,
// one not encrypted with a passphrase, or one holding something else.
var ErrNotBackup = errors.New("this file is not a Bankdesk backup. Nothing was changed")

// ErrNewer means the backup was made by a newer Bankdesk, whose format or
// data file this one does not know.
var ErrNewer = errors.New("this backup was made by a newer version of Bankdesk; update Bankdesk to restore it. Nothing was changed")

// ErrWeakPassphrase means a new backup's passphrase is refused by the
// vault's rule (vault.CheckNewPassphrase).
var ErrWeakPassphrase = fmt.Errorf("a backup passphrase needs at least %d characters, not only spaces. No backup was written", vault.MinPassphraseLen)

// Error is a refusal: its text is the reason's sentence alone, and it
// unwraps to the reason and to the technical cause.
type Error struct {
	reason, cause error
}

func (e *Error) Error() string { return e.reason.Error() }

// Unwrap gives the reason and the cause to errors.Is and errors.As.
func (e *Error) Unwrap() []error { return []error{e.reason, e.cause} }

// Cause is the technical failure behind the reason ("failed to decrypt and
// authenticate payload chunk"), for a Details line.
func (e *Error) Cause() error { return e.cause }

// refuse makes a refusal for reason with cause (which may be nil).
func refuse(reason, cause error) error {
	if cause == nil {
		cause = reason
	}
	return &Error{reason: reason, cause: cause}
}
