package datadir

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"bankdesk/backend/store"
	"bankdesk/backend/vault"
)

// SetupFileName marks a first run under way: written before the first data
// key is made, removed once the data file holds its canary. A key found
// with it and no data is that first run's, cut short: it is used, not
// refused.
const SetupFileName = "bankdesk.setup"

var (
	// ErrKeyMissing means the data file holds data but the key that
	// encrypts it cannot be found (vault.key deleted, keyring item gone).
	ErrKeyMissing = errors.New("the encryption key for this data is missing: restore it, or start over with `bankdesk reset`")
	// ErrDataMissing means the key is here but the data file it encrypts
	// is missing or empty.
	ErrDataMissing = errors.New("the data file for this encryption key is missing or empty: restore bankdesk.db from a backup, or start over with `bankdesk reset`")
)

// errDataMissingSnapshot is ErrDataMissing when a snapshot can rebuild the
// file: it matches store.ErrDamaged too, so the app offers its Repair.
var errDataMissingSnapshot = &snapshotReason{}

type snapshotReason struct{}

func (*snapshotReason) Error() string {
	return "the data file is missing or empty, but the last sync left a snapshot of it: `bankdesk repair` (or Repair in the app) rebuilds it from that snapshot"
}
func (*snapshotReason) Unwrap() []error { return []error{ErrDataMissing, store.ErrDamaged} }

// refusal is a stop with one of the sentences above as its whole message;
// it unwraps to that sentence's error and to the cause.
type refusal struct{ reason, cause error }

func (r *refusal) Error() string   { return r.reason.Error() }
func (r *refusal) Unwrap() []error { return []error{r.reason, r.cause} }

// ScheduleFileName is the schedule file (package schedule): the deadline
// dates a reminder may read while a passphrase vault is locked, unsealed
// beside the data file.
const ScheduleFileName = "schedule.json"

// Options says where a data directory's parts are.
type Options struct {
	// Store is the data file (config.Config.StorePath); its directory is
	// the data directory, which holds the lock.
	Store string
	// Vault opens the data key; Vault.Dir is the vault's directory (the
	// data directory unless BANKDESK_VAULT_DIR). Open sets MustExist.
	Vault vault.Options
	// LockTimeout bounds the wait for the lock; zero means
	// store.DefaultTimeout.
	LockTimeout time.Duration
}

func (o Options) dataDir() string { return filepath.Dir(o.Store) }

func (o Options) lockTimeout() time.Duration {
	if o.LockTimeout > 0 {
		return o.LockTimeout
	}
	return store.DefaultTimeout
}

func (o Options) setupPath() string { return filepath.Join(o.dataDir(), SetupFileName) }

// SchedulePath is where the data directory's schedule file is.
func (o Options) SchedulePath() string { return filepath.Join(o.dataDir(), ScheduleFileName) }

// state is what a data directory holds, read under its lock.
type state struct {
	data  bool // the data file exists and is not empty
	key   vault.KeyMaterial
	setup bool // a first run began and did not finish
}

func inspect(o Options) (state, error) {
	var st state
	info, err := os.Stat(o.Store)
	switch {
	case err == nil:
		st.data = info.Size() > 0
	case !errors.Is(err, fs.ErrNotExist):
		return st, fmt.Errorf("data file: %w", err)
	}
	if st.key, err = vault.FindKeyMaterial(o.Vault.Dir); err != nil {
		return st, err
	}
	if st.setup, err = exists(o.setupPath()); err != nil {
		return st, err
	}
	return st, nil
}

// Opened is an open data directory. Close it to release the lock.
type Opened struct {
	Vault *vault.Vault
	Store *store.Store
	lock  *Lock
}

// Open locks the directory, opens its data key and its data file, in the
// order the package documentation gives. ctx ends a keyring that does not
// answer (Ctrl+C).
func Open(ctx context.Context, o Options) (_ *Opened, err error) {
	l, err := lockRecovered(o)
	if err != nil {
		return nil, err
	}
	op := &Opened{lock: l}
	defer func() {
		if err != nil {
			_ = op.Close()
		}
	}()
	st, err := inspect(o)
	if err != nil {
		return nil, err
	}
	switch {
	case st.data:
		o.Vault.MustExist = true
	case st.key.Exists() && !st.setup:
		reason := ErrDataMissing
		if snaps, _ := store.Snapshots(store.SnapshotDir(o.Store)); len(snaps) > 0 {
			reason = errDataMissingSnapshot
		}
		return nil, &refusal{reason, fmt.Errorf("%s is missing or empty, and %s holds its key", o.Store, o.Vault.Dir)}
	case !st.setup:
		if err := writeSetup(o); err != nil {
			return nil, err
		}
	}
	if err := op.openVault(ctx, o.Vault); err != nil {
		return nil, err
	}
	s, err := store.Open(o.Store, op.Vault, store.Options{Timeout: o.lockTimeout()})
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	op.Store = s
	if err := removeFile(o.setupPath()); err != nil {
		return nil, err
	}
	return op, nil
}

// Close closes the store and the vault, then releases the lock. It is
// safe on a partly opened directory.
func (op *Opened) Close() error {
	var errs []error
	if op.Store != nil {
		errs = append(errs, op.Store.Close())
	}
	if op.Vault != nil {
		errs = append(errs, op.Vault.Close())
	}
	errs = append(errs, op.lock.Unlock())
	return errors.Join(errs...)
}

func writeSetup(o Options) error {
	if err := os.WriteFile(o.setupPath(), nil, 0o600); err != nil {
		return fmt.Errorf("mark first run: %w", err)
	}
	return nil
}

func exists(path string) (bool, error) {
	_, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// removeFile removes path; a missing file is not an error.
func removeFile(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// OpenKey is Open without the data file: the lock and the data key, for a
// check or a repair, which read a file that may not open (or rebuild one
// that is gone). The key must exist.
func OpenKey(ctx context.Context, o Options) (*Opened, error) {
	l, err := lockRecovered(o)
	if err != nil {
		return nil, err
	}
	op := &Opened{lock: l}
	o.Vault.MustExist = true
	if err := op.openVault(ctx, o.Vault); err != nil {
		_ = op.Close()
		return nil, err
	}
	return op, nil
}

// lockRecovered locks the data directory and finishes or undoes a
// passphrase change that a crash interrupted: the first steps of every
// opening.
func lockRecovered(o Options) (*Lock, error) {
	l, err := lock(o.dataDir(), o.lockTimeout())
	if err != nil {
		return nil, err
	}
	if err := recoverRekey(o); err != nil {
		_ = l.Unlock()
		return nil, err
	}
	return l, nil
}

// openVault opens the data key into op; a key that is gone is a refusal.
func (op *Opened) openVault(ctx context.Context, vo vault.Options) error {
	v, err := vault.OpenContext(ctx, vo)
	if errors.Is(err, vault.ErrKeyMissing) {
		return &refusal{ErrKeyMissing, err}
	}
	if err != nil {
		return fmt.Errorf("open vault: %w", err)
	}
	op.Vault = v
	return nil
}
