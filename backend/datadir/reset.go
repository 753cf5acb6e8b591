package datadir

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"bankdesk/backend/internal/atomicfile"
	"bankdesk/backend/vault"
)

// Reset is a data directory about to be deleted, held under its lock from
// BeginReset (which says what would go) to Close, so nothing opens it in
// between.
type Reset struct {
	o     Options
	lock  *Lock
	items []string
	files []string // besides the vault's own, which vault removes
}

// BeginReset locks the data directory and lists what Do would delete, in
// words for the person confirming. The lock file itself stays.
func BeginReset(o Options) (*Reset, error) {
	l, err := lock(o.dataDir(), o.lockTimeout())
	if err != nil {
		return nil, err
	}
	r := &Reset{o: o, lock: l}
	if err := r.list(); err != nil {
		_ = l.Unlock() // the listing error is the one to report
		return nil, err
	}
	return r, nil
}

func (r *Reset) list() error {
	if info, err := os.Stat(r.o.Store); err == nil {
		r.items = append(r.items, fmt.Sprintf("%s (%s): the connections, their tokens, accounts, balances and transactions", r.o.Store, size(info.Size())))
		r.files = append(r.files, r.o.Store)
	}
	if ok, _ := exists(r.o.SchedulePath()); ok {
		r.items = append(r.items, r.o.SchedulePath()+": your connections' deadline dates, for reminders while Bankdesk is locked")
		r.files = append(r.files, r.o.SchedulePath())
	}
	for _, p := range []string{r.o.resealPath(), r.o.setupPath(), r.o.incomingPath(), r.o.restorePath()} {
		if ok, _ := exists(p); ok {
			r.items = append(r.items, p+": left by an interrupted start, passphrase change or restore")
			r.files = append(r.files, p)
		}
	}
	km, err := vault.FindKeyMaterial(r.o.Vault.Dir)
	if err != nil {
		return err
	}
	if k := km.Keyring; k != nil && !k.Shared {
		r.items = append(r.items, fmt.Sprintf("the encryption key in the OS keyring (%s), item %q", vault.BackendName(k.Backend), k.Item))
	}
	for _, f := range km.Files {
		what := "the vault's bookkeeping"
		switch f {
		case keyPath(r.o):
			what = "the encryption key, under your passphrase"
		case markerPath(r.o):
			what = "which keyring holds the encryption key"
			if km.Keyring != nil && km.Keyring.Shared {
				what += fmt.Sprintf(" (the keyring item %q itself is kept: data directories set up by older versions share it)", km.Keyring.Item)
			}
		}
		r.items = append(r.items, f+": "+what)
	}
	return nil
}

// Items says what Do deletes, one entry per file or keyring item; none
// means there is nothing to delete.
func (r *Reset) Items() []string { return r.items }

// Do deletes the data file, then the key. Run again after a failure, it
// deletes what is left. A keyring item that cannot be reached is left
// behind (the error names it); it is never used again.
func (r *Reset) Do(ctx context.Context) error {
	var errs []error
	for _, f := range r.files {
		if err := removeFile(f); err != nil {
			errs = append(errs, err)
		}
	}
	atomicfile.SyncDir(r.o.dataDir())
	if err := vault.RemoveKeyMaterial(ctx, r.o.Vault); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Close releases the lock.
func (r *Reset) Close() error { return r.lock.Unlock() }

func keyPath(o Options) string    { return filepath.Join(o.Vault.Dir, vault.KeyFileName) }
func markerPath(o Options) string { return filepath.Join(o.Vault.Dir, vault.MarkerFileName) }

func size(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
