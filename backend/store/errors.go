package store

import "errors"

// Sentinel errors: callers branch on these with errors.Is.
var (
	// ErrAlreadyRunning means another process (or another Open in this
	// process) holds the data file's lock.
	ErrAlreadyRunning = errors.New("Bankdesk is already running (another process holds its data directory)")

	// ErrNotFound means the record asked for does not exist (or, for an
	// auth attempt, was already used).
	ErrNotFound = errors.New("store: not found")

	// ErrAttemptExpired means an auth attempt was found but had expired; it
	// has been deleted.
	ErrAttemptExpired = errors.New("store: auth attempt expired")

	// ErrNewerSchema means the data file was written by a newer Bankdesk
	// whose layout this code does not know; it is not opened, so nothing in
	// it is damaged by a downgrade.
	ErrNewerSchema = errors.New("data file was written by a newer Bankdesk; update Bankdesk to open it")

	// ErrOlderSchema means a read-only Open met a file that still needs a
	// migration, which only a read-write Open may run.
	ErrOlderSchema = errors.New("data file needs upgrading; open it read-write once")

	// ErrUnreadable wraps every failure of Sealer.Unseal (wrong key, tampered
	// or swapped value); the sealer's own error is wrapped alongside it.
	ErrUnreadable = errors.New("store: record cannot be unsealed (wrong key, or the data file was tampered with)")

	// ErrInvalid means the caller passed a record the store refuses to
	// write (missing id, zero booking time, mismatched account...).
	ErrInvalid = errors.New("store: invalid record")
)
