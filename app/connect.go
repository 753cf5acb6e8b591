package app

import (
	"context"
	"errors"
	"time"

	"bankdesk/backend/callback"
	"bankdesk/backend/connect"
	"bankdesk/backend/desk"
)

// Events the frontend listens to.
const (
	EventConnected     = "connect:done"
	EventConnectFailed = "connect:error"
)

// ConnectStart tells the UI a bank login is under way.
type ConnectStart struct {
	ExpiresAt time.Time `json:"expiresAt"`
}

// Connect starts connecting a bank: it stores the attempt and opens the auth
// link in the user's browser. The bank later redirects to bankdesk://
// callback, which reaches HandleURL.
func (a *App) Connect(providerID string) (ConnectStart, error) {
	d, err := a.backend()
	if err != nil {
		return ConnectStart{}, err
	}
	link, err := d.Flow().Begin(context.Background(), providerID)
	if err != nil {
		return ConnectStart{}, err
	}
	a.runtime().BrowserOpenURL(link.URL)
	return ConnectStart{ExpiresAt: link.ExpiresAt}, nil
}

// Accounts lists stored accounts and cards with balances (works offline).
func (a *App) Accounts() ([]desk.AccountView, error) {
	d, err := a.backend()
	if err != nil {
		return nil, err
	}
	return d.Accounts()
}

// Connected is the payload of EventConnected.
type Connected struct {
	ConnectionID string   `json:"connectionId"`
	ProviderID   string   `json:"providerId"`
	Accounts     int      `json:"accounts"`
	Cards        int      `json:"cards"`
	Warnings     []string `json:"warnings"`
	// After a reconnect: accounts the bank returned that match none stored,
	// and stored accounts it no longer returned (their history is kept).
	Unmatched []string `json:"unmatched"`
	Missing   []string `json:"missing"`
	// Unfinished: saved, but the bank did not answer for the accounts yet;
	// the next sync (started at once) finishes it.
	Unfinished bool `json:"unfinished"`
	// Existing: the bank was already connected; that connection took the
	// new consent instead of a second one being made.
	Existing bool `json:"existing"`
	// Notes say what happened in plain sentences (connect.Result.Notes).
	Notes []string `json:"notes"`
}

// ConnectFailed is the payload of EventConnectFailed: a sentence for the
// user and a kind the UI can branch on.
type ConnectFailed struct {
	Kind    string `json:"kind"` // cancelled, unknown_state, expired, code_expired, malformed, bank, other
	Message string `json:"message"`
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
		a.emitFailure(err)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	a.finishConnect(d.Flow().Complete(ctx, raw))
}

// finishConnect tells the frontend how a callback ended, whichever way it
// arrived (deep link or loopback).
func (a *App) finishConnect(res connect.Result, err error) {
	if err != nil {
		a.emitFailure(err)
		return
	}
	a.log.Info("bank connected", "connection", res.ConnectionID, "accounts", res.Accounts, "cards", res.Cards)
	ev := Connected{
		ConnectionID: res.ConnectionID, ProviderID: res.ProviderID,
		Accounts: res.Accounts, Cards: res.Cards, Warnings: append([]string{}, res.Warnings...),
		Unmatched: []string{}, Missing: []string{},
		Unfinished: res.Unfinished, Existing: res.Existing, Notes: append([]string{}, res.Notes...),
	}
	for _, acc := range res.Unmatched {
		ev.Unmatched = append(ev.Unmatched, acc.DisplayName)
	}
	for _, acc := range res.Missing {
		ev.Missing = append(ev.Missing, acc.DisplayName)
	}
	a.runtime().EventsEmit(EventConnected, ev)
	// Deep history is only granted in the minutes after consent: backfill now.
	go a.runSync(res.ConnectionID, true)
}

func (a *App) emitFailure(err error) {
	f := ConnectFailed{Kind: "other", Message: err.Error()}
	var be *connect.BankError
	switch {
	case errors.Is(err, connect.ErrCancelled):
		f.Kind = "cancelled"
	case errors.Is(err, connect.ErrUnknownState):
		f.Kind = "unknown_state"
	case errors.Is(err, connect.ErrExpired):
		f.Kind = "expired"
	case errors.Is(err, connect.ErrCodeExpired):
		f.Kind = "code_expired"
	case errors.Is(err, callback.ErrMalformed):
		f.Kind = "malformed"
	case errors.As(err, &be):
		f.Kind = "bank"
	}
	a.log.Warn("callback failed", "kind", f.Kind, "err", err)
	a.runtime().EventsEmit(EventConnectFailed, f)
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
func (nopRuntime) SaveFile(string, string, string) (string, error) {
	return "", errors.New("no window to show a save dialog")
}
