package app

import (
	"bankdesk/backend/desk"
	"bankdesk/backend/view"
)

// LockedReminders says what reminders may say while a passphrase vault is
// locked (the schedule file), and whether that applies, for Settings.
func (a *App) LockedReminders() (view.LockedReminders, error) {
	return with(a, func(d *desk.Desk) (view.LockedReminders, error) { return d.LockedReminders() })
}

// SaveLockedReminders turns the bank's name in those reminders on or off.
func (a *App) SaveLockedReminders(nameBanks bool) (view.LockedReminders, error) {
	return with(a, func(d *desk.Desk) (view.LockedReminders, error) { return d.SaveLockedReminders(nameBanks) })
}
