package datadir

import (
	"context"
	"errors"
	"fmt"
	"os"

	"bankdesk/backend/internal/atomicfile"
	"bankdesk/backend/store"
	"bankdesk/backend/vault"
)

// A passphrase change makes a new data key and seals every record again
// under it, so an old copy of vault.key (a backup, a synced folder's
// history) with the old passphrase opens nothing current. It is four
// steps, each durable before the next:
//
//  1. bankdesk.db.rekey: a copy of the store, every record sealed under
//     the new key (store.Reseal);
//  2. vault.key.new: the new key under the new passphrase;
//  3. rename bankdesk.db.rekey over bankdesk.db;
//  4. rename vault.key.new over vault.key.
//
// So after a crash the files say how far it got, and recoverRekey, run
// under the lock by every Open, finishes or undoes it:
//
//   - vault.key.new and no bankdesk.db.rekey: step 3 is done, the data is
//     under the new key; do step 4;
//   - bankdesk.db.rekey (with or without vault.key.new): step 3 is not
//     done, the data is still under the old key; remove both.
//
// Either way the data opens with exactly one of the two passphrases.

// afterStep, when set (by tests), runs after each numbered step: a panic
// there stops the change as a crash would, leaving its files as they are.
var afterStep func(step int)

func stepDone(step int) {
	if afterStep != nil {
		afterStep(step)
	}
}

// replaceStore renames the complete file at path over the data file, the
// one step of a passphrase change or a restore that swaps the data, and
// syncs the directory so the swap survives a power cut.
func (o Options) replaceStore(path string) error {
	if err := os.Rename(path, o.Store); err != nil {
		return fmt.Errorf("replace the data file: %w", err)
	}
	atomicfile.SyncDir(o.dataDir())
	return nil
}

// resealPath is step 1's copy of the store.
func (o Options) resealPath() string { return o.Store + ".rekey" }

func recoverRekey(o Options) error {
	newKey, err := vault.RekeyPending(o.Vault.Dir)
	if err != nil {
		return err
	}
	newStore, err := exists(o.resealPath())
	if err != nil {
		return err
	}
	switch {
	case newKey && !newStore:
		if err := vault.CommitRekey(o.Vault.Dir); err != nil {
			return fmt.Errorf("finish the interrupted passphrase change: %w", err)
		}
	case newStore:
		if err := removeFile(o.resealPath()); err != nil {
			return fmt.Errorf("undo the interrupted passphrase change: %w", err)
		}
		atomicfile.SyncDir(o.dataDir())
		if err := vault.AbortRekey(o.Vault.Dir); err != nil {
			return fmt.Errorf("undo the interrupted passphrase change: %w", err)
		}
	}
	return nil
}

// ChangePassphrase replaces the passphrase vault's data key with a new one
// under newPass and seals every record of the store again under it, in the
// crash-safe steps above. It holds the data directory's lock throughout,
// so a second change (or the app) gets store.ErrAlreadyRunning. It returns
// how many records could not be read under the old key; they are copied as
// they were (see store.Reseal).
func ChangePassphrase(ctx context.Context, o Options, oldPass, newPass string) (unreadable int, err error) {
	if err := vault.CheckNewPassphrase(newPass); err != nil {
		return 0, err
	}
	l, err := lockRecovered(o)
	if err != nil {
		return 0, err
	}
	defer func() { _ = l.Unlock() }() // a lock that will not release is released at the process's exit
	st, err := inspect(o)
	if err != nil {
		return 0, err
	}
	switch {
	case !st.key.KeyFile && st.key.Keyring != nil:
		return 0, fmt.Errorf("this data directory's key is in the OS keyring (%s), which has no Bankdesk passphrase to change", vault.BackendName(st.key.Keyring.Backend))
	case !st.key.KeyFile && st.data:
		return 0, &refusal{ErrKeyMissing, fmt.Errorf("no %s in %s", vault.KeyFileName, o.Vault.Dir)}
	case !st.key.KeyFile:
		return 0, errors.New("there is no passphrase vault here yet; the first start of Bankdesk sets one up")
	case !st.data && !st.setup:
		return 0, &refusal{ErrDataMissing, fmt.Errorf("%s is missing or empty", o.Store)}
	}

	vo := o.Vault
	vo.Mode, vo.MustExist = vault.ModeFile, true
	vo.Passphrase = func() (string, error) { return oldPass, nil }
	old, err := vault.OpenContext(ctx, vo)
	if err != nil {
		return 0, err
	}
	defer func() { _ = old.Close() }() // Close only wipes the old key from memory
	rk, err := vault.NewRekey(newPass)
	if err != nil {
		return 0, err
	}
	defer func() { _ = rk.Close() }() // Close only wipes the new key from memory

	undo := func(err error) (int, error) {
		// Best effort: recoverRekey clears what is left on the next run.
		_ = removeFile(o.resealPath())
		_ = vault.AbortRekey(o.Vault.Dir)
		return 0, err
	}
	if st.data {
		if unreadable, err = store.Reseal(o.Store, o.resealPath(), old, rk.Vault(), store.Options{Timeout: o.lockTimeout()}); err != nil {
			return undo(fmt.Errorf("seal the data under the new key: %w", err))
		}
	}
	stepDone(1)
	if err := rk.WritePending(o.Vault.Dir); err != nil {
		return undo(err)
	}
	stepDone(2)
	if st.data {
		if err := o.replaceStore(o.resealPath()); err != nil {
			return undo(err)
		}
	}
	stepDone(3)
	if err := vault.CommitRekey(o.Vault.Dir); err != nil {
		return unreadable, fmt.Errorf("%w (the next start of Bankdesk finishes the change)", err)
	}
	stepDone(4)
	return unreadable, nil
}
