package app

import (
	"context"
	"errors"
	"io"

	"bankdesk/backend/cli"
	"bankdesk/backend/desk"
	"bankdesk/backend/view"
)

// Settings' security and About cards: lock now, auto-lock, change the
// vault's passphrase, and the version.

// errNoVaultPassphrase: the data key is in the OS keyring, so there is no
// passphrase to lock behind or to change.
var errNoVaultPassphrase = errors.New("the system's keyring keeps the data key: there is no passphrase to lock or change")

// passphraseVault reports whether the vault sits behind a passphrase.
func (a *App) passphraseVault() bool {
	d, err := a.backend()
	return err == nil && d.Status().Keyring == "file"
}

// Lock closes the backend and forgets the passphrase: until Unlock,
// nothing reads the data (the background job reminds from the schedule
// file). With an OS keyring there is nothing to lock.
func (a *App) Lock() error {
	if !a.passphraseVault() {
		return errNoVaultPassphrase
	}
	a.mu.Lock()
	d, l := a.desk, a.loopback
	a.desk, a.loopback, a.passphrase, a.locked = nil, nil, "", true
	a.mu.Unlock()
	a.closeBackend(d, l)
	a.log.Info("vault locked")
	return nil
}

// closeBackend closes what an open backend holds (the window closing, a
// repair, a lock).
func (a *App) closeBackend(d *desk.Desk, l io.Closer) {
	if l != nil {
		_ = l.Close() // nothing is waiting on it once the backend goes
	}
	if d != nil {
		_ = d.Close() // every write is committed already
	}
}

// AutoLock is how many idle minutes the window waits before it locks;
// 0 never.
func (a *App) AutoLock() (int, error) {
	return with(a, func(d *desk.Desk) (int, error) { return d.AutoLock() })
}

// SaveAutoLock keeps the auto-lock period.
func (a *App) SaveAutoLock(minutes int) (int, error) {
	return with(a, func(d *desk.Desk) (int, error) { return d.SaveAutoLock(minutes) })
}

// ChangePassphrase gives the vault a new passphrase and data key: the
// backend closes for it and opens again with the new one (or, when the
// change fails, with the old one).
func (a *App) ChangePassphrase(oldPass, newPass string) error {
	if !a.passphraseVault() {
		return errNoVaultPassphrase
	}
	err := a.withDataFile(func(opts desk.Options) error {
		_, err := desk.ChangePassphrase(context.Background(), opts, oldPass, newPass)
		if err == nil {
			a.mu.Lock()
			a.passphrase = newPass
			a.mu.Unlock()
		}
		return err
	})
	if _, openErr := a.backend(); openErr != nil && err == nil {
		err = openErr
	}
	if err != nil {
		a.log.Warn("change passphrase", "err", err)
		return err
	}
	a.log.Info("passphrase changed")
	return nil
}

// About is the version and where the data is.
func (a *App) About() view.About {
	return view.About{Version: cli.Version, DataDir: a.cfg.DataDir}
}

// OpenDataFolder opens the data folder in the system's file manager.
func (a *App) OpenDataFolder() error {
	return a.runtime().OpenFolder(a.cfg.DataDir)
}
