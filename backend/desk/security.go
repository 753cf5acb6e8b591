package desk

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"bankdesk/backend/backup"
	"bankdesk/backend/datadir"
	"bankdesk/backend/store"
)

// AutoLockChoices are the idle minutes Settings offers before the window
// locks a passphrase vault; 0 is never.
var AutoLockChoices = []int{0, 5, 15, 30, 60}

// ErrUnknownAutoLock is an auto-lock period Settings does not offer.
var ErrUnknownAutoLock = errors.New("not an auto-lock period Bankdesk offers")

type savedAutoLock struct {
	Minutes int `json:"minutes"`
}

// AutoLock is how many idle minutes the window waits before it locks the
// vault; 0 (the default) never locks by itself.
func (d *Desk) AutoLock() (int, error) {
	s, err := store.GetSetting[savedAutoLock](d.store, store.SettingAutoLock)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return 0, nil
	case err != nil:
		return 0, fmt.Errorf("read the auto-lock period: %w", err)
	case !slices.Contains(AutoLockChoices, s.Minutes):
		return 0, nil
	}
	return s.Minutes, nil
}

// SaveAutoLock keeps the auto-lock period; one Settings does not offer is
// refused and the saved one stays.
func (d *Desk) SaveAutoLock(minutes int) (int, error) {
	if !slices.Contains(AutoLockChoices, minutes) {
		return 0, fmt.Errorf("save auto-lock of %d minutes: %w", minutes, ErrUnknownAutoLock)
	}
	if err := store.PutSettingJSON(d.store, store.SettingAutoLock, savedAutoLock{Minutes: minutes}); err != nil {
		return 0, err
	}
	return minutes, nil
}

// ChangePassphrase gives the passphrase vault a new passphrase and a new
// data key, sealing every record again (datadir.ChangePassphrase). The
// data directory must not be open: the window closes its backend first.
func ChangePassphrase(ctx context.Context, opts Options, oldPass, newPass string) (unreadable int, err error) {
	_, o := dirOptions(opts)
	return datadir.ChangePassphrase(ctx, o, oldPass, newPass)
}

// CheckBackup refuses a backup passphrase the rule refuses, before the
// window's save dialog, and names the file that dialog offers.
func (d *Desk) CheckBackup(passphrase string) (name, pattern string, err error) {
	if err := backup.CheckPassphrase(passphrase); err != nil {
		return "", "", err
	}
	return "bankdesk-" + d.now().Format("2006-01-02") + ".age", "*.age", nil
}

// Backup writes a backup of everything the data file holds to path, a
// standard age file encrypted under passphrase, atomically
// (backup.WriteFile). The desk stays usable meanwhile.
func (d *Desk) Backup(ctx context.Context, path, passphrase string) (backup.Manifest, error) {
	return backup.WriteFile(ctx, path, d.store, passphrase, d.now())
}

// Restore puts the backup at path in place of the data directory's data,
// sealed under its own key, a new one on a clean directory
// (backup.RestoreFile): one that holds data needs force. passphrase is
// asked only once the directory may be restored. The data directory must
// not be open.
func Restore(opts Options, path string, passphrase func() (string, error), force bool) (backup.Manifest, error) {
	ctx, o := dirOptions(opts)
	return backup.RestoreFile(ctx, path, o, passphrase, force)
}
