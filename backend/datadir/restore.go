package datadir

import (
	"context"
	"errors"
	"fmt"

	"bankdesk/backend/store"
	"bankdesk/backend/vault"
)

// ErrNotEmpty means a restore was asked for a data directory that already
// holds data or a key, without saying that it may be replaced. Nothing was
// changed.
var ErrNotEmpty = errors.New("this data directory already holds Bankdesk data, and a restore replaces all of it. Nothing was changed")

// A restore puts a store that came from elsewhere (a backup, package
// backup) in place of the data directory's data, sealed under this
// directory's own key. It never merges: the restored file replaces the
// data file whole. Under the lock, from BeginRestore to Close:
//
//  1. the incoming store, sealed under a key of its own (the backup's), is
//     written to bankdesk.db.restore-in by the caller;
//  2. the key: this directory's, which must open, if it has one (a forced
//     restore, or a first run cut short); else a new one, made as a first
//     run makes it (bankdesk.setup first, the OS keyring or a passphrase
//     vault as this machine's configuration says);
//  3. bankdesk.db.restore: the incoming store with every record sealed
//     again under that key (store.Reseal), complete and synced;
//  4. the old data's snapshots and schedule file go (they would bring the
//     old data back in a repair, or remind of old deadlines), then
//     bankdesk.db.restore is renamed over bankdesk.db: the one step that
//     replaces the data, atomic.
//
// A crash before step 4's rename leaves the old data as it was (and
// bankdesk.setup with a new key but no data, on a clean directory: the
// next start takes it as a first run cut short). The temporary files are
// sealed under keys that are not on disk in clear; Close removes them, and
// the next restore removes any a crash left.

// Restore is a data directory held for a restore, from BeginRestore to
// Close.
type Restore struct {
	o    Options
	lock *Lock
	st   state
}

func (o Options) incomingPath() string { return o.Store + ".restore-in" }
func (o Options) restorePath() string  { return o.Store + ".restore" }

// BeginRestore locks the data directory and refuses one that holds data or
// a key unless force says it may be replaced (ErrNotEmpty).
func BeginRestore(o Options, force bool) (*Restore, error) {
	l, err := lockRecovered(o)
	if err != nil {
		return nil, err
	}
	r := &Restore{o: o, lock: l}
	if err := r.begin(force); err != nil {
		_ = l.Unlock() // the refusal is the one to report
		return nil, err
	}
	return r, nil
}

func (r *Restore) begin(force bool) error {
	if err := r.removeTemps(); err != nil {
		return err
	}
	st, err := inspect(r.o)
	if err != nil {
		return err
	}
	r.st = st
	if r.NotEmpty() && !force {
		return ErrNotEmpty
	}
	return nil
}

// NotEmpty reports whether the directory holds data, or a key that is not
// a first run's cut short: what a restore replaces.
func (r *Restore) NotEmpty() bool {
	return r.st.data || (r.st.key.Exists() && !r.st.setup)
}

// IncomingPath is where the caller writes the incoming store (step 1),
// created exclusively (0600).
func (r *Restore) IncomingPath() string { return r.o.incomingPath() }

// Do seals the store at IncomingPath, whose records from opens, again under
// this directory's key (a new one if it has none) and puts it in place of
// the data file. It returns how many records from could not open; they
// are copied as they were (store.Reseal). ctx ends a keyring that does not
// answer.
func (r *Restore) Do(ctx context.Context, from store.Sealer) (unreadable int, err error) {
	vo := r.o.Vault
	fresh := !r.st.key.Exists()
	if fresh && r.st.data {
		// Never a second key beside data: a crash before the swap would
		// leave the old data under a key that is not its own.
		return 0, &refusal{ErrKeyMissing, fmt.Errorf("%s holds data but %s no key", r.o.Store, r.o.Vault.Dir)}
	}
	if fresh {
		if err := writeSetup(r.o); err != nil {
			return 0, err
		}
		defer func() {
			if err != nil {
				// The directory was clean: leave it so, key and all, or
				// the next try would find it "not empty".
				_ = vault.RemoveKeyMaterial(ctx, vo) // err is the one to report
				_ = removeFile(r.o.setupPath())
			}
		}()
	} else {
		vo.MustExist = true
	}
	op := &Opened{}
	if err := op.openVault(ctx, vo); err != nil {
		return 0, err
	}
	defer func() { _ = op.Vault.Close() }() // Close only wipes the key from memory
	unreadable, err = store.Reseal(r.o.incomingPath(), r.o.restorePath(), from, op.Vault, store.Options{Timeout: r.o.lockTimeout()})
	if err != nil {
		return 0, fmt.Errorf("seal the restored data under this computer's key: %w", err)
	}
	if err := r.dropOld(); err != nil {
		return 0, err
	}
	if err := r.o.replaceStore(r.o.restorePath()); err != nil {
		return 0, err
	}
	if err := removeFile(r.o.setupPath()); err != nil {
		return unreadable, err
	}
	return unreadable, nil
}

// dropOld removes what belongs to the data being replaced besides the
// data file: its snapshots and its schedule file (the next Open writes
// the restored data's).
func (r *Restore) dropOld() error {
	snaps, err := store.Snapshots(store.SnapshotDir(r.o.Store))
	if err != nil {
		return err
	}
	for _, s := range snaps {
		if err := removeFile(s.Path); err != nil {
			return fmt.Errorf("remove the old data's snapshot: %w", err)
		}
	}
	if err := removeFile(r.o.SchedulePath()); err != nil {
		return fmt.Errorf("remove the old schedule file: %w", err)
	}
	return nil
}

func (r *Restore) removeTemps() error {
	for _, p := range []string{r.o.incomingPath(), r.o.restorePath()} {
		if err := removeFile(p); err != nil {
			return fmt.Errorf("remove what an earlier restore left: %w", err)
		}
	}
	return nil
}

// Close removes the temporary files and releases the lock.
func (r *Restore) Close() error {
	err := r.removeTemps()
	if uerr := r.lock.Unlock(); err == nil {
		err = uerr
	}
	return err
}
