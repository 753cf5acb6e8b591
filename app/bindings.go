package app

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"

	"bankdesk/backend/callback"
	"bankdesk/backend/desk"
	"bankdesk/backend/problem"
	"bankdesk/backend/userdir"
	"bankdesk/backend/view"
)

// Every method here is "call the backend, open what it asks to open": the
// rules and the timeouts live with the use cases in package desk.

// with calls f on the backend, opening it first where it is not open yet.
func with[T any](a *App, f func(*desk.Desk) (T, error)) (T, error) {
	d, err := a.backend()
	if err != nil {
		var zero T
		return zero, err
	}
	return f(d)
}

// wordError is every binding's error as the window receives it (Wails'
// ErrorFormatter): a view.Problem as JSON, whose sentence the screen
// shows, while the log keeps the whole chain. JSON text, because Wails'
// runtime rejects with new Error(what this returns), which keeps a string
// but not an object.
func (a *App) wordError(err error) any {
	a.log.Warn("call failed", "err", err)
	b, jerr := json.Marshal(problem.Of(err))
	if jerr != nil {
		return problem.Of(err).Message
	}
	return string(b)
}

// do is with for a call that returns only an error.
func do(a *App, f func(*desk.Desk) error) error {
	d, err := a.backend()
	if err != nil {
		return err
	}
	return f(d)
}

// Banks lists the banks the user can connect.
func (a *App) Banks() ([]view.Bank, error) {
	return with(a, func(d *desk.Desk) ([]view.Bank, error) { return d.Banks(context.Background()) })
}

// Connect starts connecting a bank: the backend stores the attempt and the
// auth link opens in the user's browser. The bank later redirects to
// bankdesk://callback, which reaches handleURL.
func (a *App) Connect(providerID string) (view.ConnectStart, error) {
	return with(a, func(d *desk.Desk) (view.ConnectStart, error) {
		return a.opening(d.Connect(context.Background(), providerID))
	})
}

// Reconnect opens a new auth link for an existing connection's bank, so the
// code that comes back renews it (history and settings continue).
func (a *App) Reconnect(connectionID string) (view.ConnectStart, error) {
	return with(a, func(d *desk.Desk) (view.ConnectStart, error) {
		return a.opening(d.Reconnect(context.Background(), connectionID))
	})
}

func (a *App) opening(s view.ConnectStart, err error) (view.ConnectStart, error) {
	if err == nil {
		a.runtime().BrowserOpenURL(s.Link)
	}
	return s, err
}

// handleURL completes a connection from a bankdesk:// URL, whether it came
// from a second process, macOS, or the command line of a cold start.
func (a *App) handleURL(raw string) {
	if !callback.IsCallbackURL(raw) {
		return
	}
	a.runtime().Show()
	d, err := a.backend()
	if err != nil {
		a.log.Warn("callback failed", "err", err)
		sink{a}.ConnectFailed(view.ConnectFailed{Kind: "other", Problem: problem.Of(err)})
		return
	}
	d.CompleteAndTell(context.Background(), raw)
}

// Accounts lists stored accounts and cards with balances (works offline).
func (a *App) Accounts() ([]view.AccountView, error) {
	return with(a, func(d *desk.Desk) ([]view.AccountView, error) { return d.Accounts() })
}

// Connections lists the bank connections.
func (a *App) Connections() ([]view.ConnectionView, error) {
	return with(a, func(d *desk.Desk) ([]view.ConnectionView, error) { return d.Connections() })
}

// Disconnect revokes a connection at TrueLayer and removes its tokens;
// keepData keeps its accounts and transactions for offline reading.
func (a *App) Disconnect(connectionID string, keepData bool) error {
	return do(a, func(d *desk.Desk) error { return d.DisconnectAndTell(context.Background(), connectionID, keepData) })
}

// Sync starts a sync of one connection the user asked for; progress and
// the result arrive as events.
func (a *App) Sync(connectionID string) error {
	return do(a, func(d *desk.Desk) error { return d.StartSync(connectionID, false) })
}

// FetchOlderHistory asks the bank once more for the older history it
// refused before (best right after a reconnect, when its SCA window is
// open again), then syncs; progress and the result arrive as events.
func (a *App) FetchOlderHistory(connectionID string) error {
	return do(a, func(d *desk.Desk) error { return d.StartSync(connectionID, true) })
}

// SyncEverything syncs every connection, as the user asked.
func (a *App) SyncEverything() error {
	return do(a, func(d *desk.Desk) error { return d.StartSyncAll() })
}

// Consents lists every connection's consent dates and status.
func (a *App) Consents() ([]view.ConsentView, error) {
	return with(a, func(d *desk.Desk) ([]view.ConsentView, error) { return d.Consents() })
}

// SnoozeReminders hides a connection's reminders for some days.
func (a *App) SnoozeReminders(connectionID string, days int) error {
	return do(a, func(d *desk.Desk) error { return d.Snooze(connectionID, days) })
}

// Reconfirm renews a connection's consent after the user reconfirmed it in
// Bankdesk's own screen; a page the bank must show opens in the browser.
func (a *App) Reconfirm(r view.ReconfirmRequest) (view.ExtendResult, error) {
	d, err := a.backend()
	if err != nil {
		return view.ExtendResult{}, err
	}
	res, err := d.Reconfirm(context.Background(), r)
	if err == nil && res.Link != "" {
		a.runtime().BrowserOpenURL(res.Link)
	}
	return res, err
}

// Transactions pages through stored transactions, newest first.
func (a *App) Transactions(f view.TxFilter) (view.TxPage, error) {
	return with(a, func(d *desk.Desk) (view.TxPage, error) { return d.TransactionPage(f) })
}

// Spending is the charts' data for a filter (paging ignored).
func (a *App) Spending(f view.TxFilter) (view.Spending, error) {
	return with(a, func(d *desk.Desk) (view.Spending, error) { return d.Spending(f) })
}

// Categories lists the spending categories present, for the filter.
func (a *App) Categories() ([]string, error) {
	return with(a, func(d *desk.Desk) ([]string, error) { return d.Categories() })
}

// Export asks where to save (the native dialog) and writes the file
// atomically: an interrupted export never leaves a half file there.
func (a *App) Export(r view.ExportRequest) (view.ExportDone, error) {
	d, path, err := a.askSave("Export transactions", func(d *desk.Desk) (string, string, error) { return d.CheckExport(r) })
	if err != nil || path == "" {
		return view.ExportDone{}, err
	}
	done, err := d.ExportTo(context.Background(), path, r, func(rows, total int) {
		a.runtime().EventsEmit(view.EventExportProgress, rows, total)
	})
	if err == nil {
		a.mu.Lock()
		a.exported = done.Path
		a.mu.Unlock()
	}
	return done, err
}

// askSave opens the backend and asks where to save (the native dialog,
// starting in Documents) once check, the use case's own, passes and names
// the file to offer; "" is a cancelled dialog.
func (a *App) askSave(title string, check func(*desk.Desk) (name, pattern string, err error)) (*desk.Desk, string, error) {
	d, err := a.backend()
	if err != nil {
		return nil, "", err
	}
	name, pattern, err := check(d)
	if err != nil {
		return nil, "", err
	}
	path, err := a.runtime().SaveFile(title, userdir.Documents(), name, pattern)
	return d, path, err
}

// Backup asks where to save a backup of everything (the native save
// dialog, starting in Documents), then writes it encrypted under
// passphrase (desk.Desk.Backup). A passphrase the rule refuses is refused
// before the dialog; a cancelled dialog is no backup and no error.
func (a *App) Backup(passphrase string) (view.BackupDone, error) {
	d, path, err := a.askSave("Back up Bankdesk", func(d *desk.Desk) (string, string, error) { return d.CheckBackup(passphrase) })
	if err != nil || path == "" {
		return view.BackupDone{}, err
	}
	m, err := d.Backup(context.Background(), path, passphrase)
	if err != nil {
		a.log.Warn("backup", "err", err) // never the passphrase
		return view.BackupDone{}, err
	}
	return view.BackupDone{Path: path, Connections: m.Connections, Accounts: m.Accounts, Transactions: m.Transactions}, nil
}

// exportedFile is the file the last export wrote: the only one the window
// may ask to open or show (it never names a path itself).
func (a *App) exportedFile() (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.exported == "" {
		return "", errNoExport
	}
	return a.exported, nil
}

var errNoExport = errors.New("nothing was exported yet")

// OpenExport opens the file the last export wrote in the app the OS
// gives its type.
func (a *App) OpenExport() error {
	path, err := a.exportedFile()
	if err != nil {
		return err
	}
	return a.runtime().OpenFile(path)
}

// ShowExport shows the folder holding the file the last export wrote.
func (a *App) ShowExport() error {
	path, err := a.exportedFile()
	if err != nil {
		return err
	}
	return a.runtime().OpenFolder(filepath.Dir(path))
}

// Settings reads the environment settings for the form.
func (a *App) Settings() (view.SettingsView, error) {
	return with(a, func(d *desk.Desk) (view.SettingsView, error) { return d.Settings(), nil })
}

// SaveSettings keeps the chosen environment and TrueLayer client (the
// secret sealed in the vault); they apply when Bankdesk next starts.
func (a *App) SaveSettings(c view.EnvironmentChoice) (view.SettingsView, error) {
	return with(a, func(d *desk.Desk) (view.SettingsView, error) { return d.SaveSettings(c) })
}

// runtime returns the Wails runtime, or a no-op one before startup.
func (a *App) runtime() Runtime {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.rt == nil {
		return nopRuntime{}
	}
	return a.rt
}

type nopRuntime struct{}

func (nopRuntime) EventsEmit(string, ...any)           {}
func (nopRuntime) BrowserOpenURL(string)               {}
func (nopRuntime) Show()                               {}
func (nopRuntime) Notify(string, string, string) error { return errNoNotifications }
func (nopRuntime) SaveFile(string, string, string, string) (string, error) {
	return "", errors.New("no window to show a save dialog")
}

// Theme is the colour scheme chosen in Settings: "system", "light" or "dark".
func (a *App) Theme() (string, error) {
	return with(a, func(d *desk.Desk) (string, error) {
		t, err := d.Theme()
		return string(t), err
	})
}

// SaveTheme keeps the colour scheme; an unknown one is refused.
func (a *App) SaveTheme(theme string) (string, error) {
	return with(a, func(d *desk.Desk) (string, error) {
		t, err := d.SaveTheme(desk.Theme(theme))
		return string(t), err
	})
}

// RegularPayments lists an account's standing orders and direct debits as
// last synced (works offline).
func (a *App) RegularPayments(accountID string) (view.RegularPayments, error) {
	return with(a, func(d *desk.Desk) (view.RegularPayments, error) { return d.RegularPayments(accountID) })
}

// NetPosition is what the user has less what they owe, per currency, over
// every stored balance (works offline).
func (a *App) NetPosition() ([]view.NetPosition, error) {
	return with(a, func(d *desk.Desk) ([]view.NetPosition, error) { return d.NetPosition() })
}

// TransactionDetail is one stored transaction with every field the bank
// sent, by its account and key (a row's accountId and id).
func (a *App) TransactionDetail(accountID, id string) (view.TxDetail, error) {
	return with(a, func(d *desk.Desk) (view.TxDetail, error) { return d.TransactionDetail(accountID, id) })
}

// UserFields is what the person added to a transaction, by its account
// and key: the detail panel edits these (a row shows them merged with
// what else decides its category and payee).
func (a *App) UserFields(accountID, id string) (view.UserFields, error) {
	return with(a, func(d *desk.Desk) (view.UserFields, error) { return d.UserFields(accountID, id) })
}

// SetUserFields replaces what the person added to a transaction (their
// category, note, tags, payee name, hidden, transfer link), by its account
// and key, and returns the row as it now lists (works offline).
func (a *App) SetUserFields(accountID, id string, f view.UserFields) (view.TxRow, error) {
	return with(a, func(d *desk.Desk) (view.TxRow, error) { return d.SetUserFields(accountID, id, f) })
}

// CategoryList is the person's categories, one level of children
// (works offline).
func (a *App) CategoryList() ([]view.CategoryNode, error) {
	return with(a, func(d *desk.Desk) ([]view.CategoryNode, error) { return d.CategoryList() })
}

// AddCategory adds a category, "Name" or "Parent › Name".
func (a *App) AddCategory(name string) (view.CategoryChange, error) {
	return with(a, func(d *desk.Desk) (view.CategoryChange, error) { return d.AddCategory(name) })
}

// RenameCategory gives a category (by its full name) a new name of its own.
func (a *App) RenameCategory(name, newName string) (view.CategoryChange, error) {
	return with(a, func(d *desk.Desk) (view.CategoryChange, error) { return d.RenameCategory(name, newName) })
}

// MergeCategory moves everything in from to into and removes from.
func (a *App) MergeCategory(from, into string) (view.CategoryChange, error) {
	return with(a, func(d *desk.Desk) (view.CategoryChange, error) { return d.MergeCategory(from, into) })
}

// DeleteCategory removes a category; what it held moves to reassign, or
// with "" back to the bank's categories.
func (a *App) DeleteCategory(name, reassign string) (view.CategoryChange, error) {
	return with(a, func(d *desk.Desk) (view.CategoryChange, error) { return d.DeleteCategory(name, reassign) })
}

// Rules are the person's rules, in their order.
func (a *App) Rules() ([]view.Rule, error) {
	return with(a, func(d *desk.Desk) ([]view.Rule, error) { return d.Rules() })
}

// SaveRules replaces the rules, in that order, and returns them as saved.
func (a *App) SaveRules(rs []view.Rule) ([]view.Rule, error) {
	return with(a, func(d *desk.Desk) ([]view.Rule, error) { return d.SaveRules(rs) })
}

// AddRule puts a rule first and saves the rules.
func (a *App) AddRule(r view.Rule) ([]view.Rule, error) {
	return with(a, func(d *desk.Desk) ([]view.Rule, error) { return d.AddRule(r) })
}

// PreviewRule is what saving a rule would change in the past (nothing is
// saved).
func (a *App) PreviewRule(r view.Rule) (view.RulePreview, error) {
	return with(a, func(d *desk.Desk) (view.RulePreview, error) { return d.PreviewRule(r) })
}

// RuleFromTransaction suggests a rule for a transaction ("always
// categorise this as …"), by its account and key.
func (a *App) RuleFromTransaction(accountID, id string) (view.Rule, error) {
	return with(a, func(d *desk.Desk) (view.Rule, error) { return d.RuleFromTransaction(accountID, id) })
}
