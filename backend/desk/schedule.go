package desk

import (
	"errors"
	"fmt"

	"bankdesk/backend/datadir"
	"bankdesk/backend/schedule"
	"bankdesk/backend/store"
	"bankdesk/backend/vault"
	"bankdesk/backend/view"
)

// lockedReminders is the saved choice of what reminders may say while the
// vault is locked.
type lockedReminders struct {
	NameBanks bool `json:"name_banks"`
}

// schedulePath is the data directory's schedule file.
func (d *Desk) schedulePath() string {
	return datadir.Options{Store: d.cfg.StorePath()}.SchedulePath()
}

// keepSchedule keeps the schedule file in step with the consents from now
// on: after every change to a connection (store.OnConnectionsChanged is
// where connect, refresh, extend, reconnect, disconnect and a sync's
// consent update all end), and once now, for what changed while Bankdesk
// was closed or older versions never wrote.
func (d *Desk) keepSchedule() {
	d.store.OnConnectionsChanged(d.writeSchedule)
	d.writeSchedule()
}

// writeSchedule is the one writer of the schedule file's entries. Only a
// passphrase vault keeps one: with an OS keyring the background job opens
// the sealed store itself, and a file left from a passphrase vault before
// is deleted. A failure is logged: the data is never held up by its copy.
func (d *Desk) writeSchedule() {
	d.scheduleMu.Lock()
	defer d.scheduleMu.Unlock()
	if err := d.writeScheduleLocked(); err != nil {
		d.log.Warn("schedule file not updated", "err", err)
	}
}

func (d *Desk) writeScheduleLocked() error {
	path := d.schedulePath()
	if d.vault.Backend() != vault.BackendFile {
		return schedule.Remove(path)
	}
	infos, err := d.consent.Infos()
	if err != nil {
		return err
	}
	choice, err := d.lockedReminders()
	if err != nil {
		return err
	}
	return schedule.Update(path, schedule.Entries(infos, choice.NameBanks))
}

func (d *Desk) lockedReminders() (lockedReminders, error) {
	c, err := store.GetSetting[lockedReminders](d.store, store.SettingLockedReminders)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return c, fmt.Errorf("read reminder settings: %w", err)
	}
	return c, nil
}

// LockedReminders is the Settings choice of what reminders say while the
// vault is locked, and whether it applies (a passphrase vault).
func (d *Desk) LockedReminders() (view.LockedReminders, error) {
	c, err := d.lockedReminders()
	if err != nil {
		return view.LockedReminders{}, err
	}
	return view.LockedReminders{Applies: d.vault.Backend() == vault.BackendFile, NameBanks: c.NameBanks, Path: d.schedulePath(), GenericLabel: schedule.GenericLabel}, nil
}

// SaveLockedReminders keeps the choice and rewrites the schedule file
// with it at once: a bank's name leaves the file as soon as the user
// turns it off.
func (d *Desk) SaveLockedReminders(nameBanks bool) (view.LockedReminders, error) {
	if err := store.PutSettingJSON(d.store, store.SettingLockedReminders, lockedReminders{NameBanks: nameBanks}); err != nil {
		return view.LockedReminders{}, err
	}
	d.scheduleMu.Lock()
	err := d.writeScheduleLocked()
	d.scheduleMu.Unlock()
	if err != nil {
		return view.LockedReminders{}, fmt.Errorf("update the schedule file: %w", err)
	}
	return d.LockedReminders()
}
