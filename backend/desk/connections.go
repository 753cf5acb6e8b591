package desk

import (
	"context"
	"errors"
	"fmt"
	"time"

	"bankdesk/backend/bankdata"
	"bankdesk/backend/callback"
	"bankdesk/backend/connect"
	"bankdesk/backend/consent"
	"bankdesk/backend/problem"
	"bankdesk/backend/store"
	"bankdesk/backend/view"
)

// Call timeouts of the use cases below: long enough for a slow bank, short
// enough that a window never waits on a dead one.
const (
	beginTimeout      = 30 * time.Second
	completeTimeout   = 2 * time.Minute
	disconnectTimeout = 30 * time.Second
	extendTimeout     = time.Minute
)

// BeginLogin stores a login attempt and returns its auth link: for a new
// bank (providerID, or "" for TrueLayer's own bank list), or, with
// reconnect, to renew the existing connection named by id. The bank's
// answer comes back through Complete (a deep link) or the loopback port.
func (d *Desk) BeginLogin(ctx context.Context, id string, reconnect bool) (connect.Link, error) {
	ctx, cancel := context.WithTimeout(ctx, beginTimeout)
	defer cancel()
	var l connect.Link
	var err error
	if reconnect {
		l, err = d.flow.Reconnect(ctx, id)
	} else {
		l, err = d.flow.Begin(ctx, id)
	}
	if err == nil {
		d.rememberLogin(l)
	}
	return l, err
}

// Connect starts connecting a bank for the window (BeginLogin).
func (d *Desk) Connect(ctx context.Context, providerID string) (view.ConnectStart, error) {
	return startView(d.BeginLogin(ctx, providerID, false))
}

// Reconnect starts a new login to an existing connection's bank, so the
// answer renews it (history and settings continue).
func (d *Desk) Reconnect(ctx context.Context, connectionID string) (view.ConnectStart, error) {
	return startView(d.BeginLogin(ctx, connectionID, true))
}

func startView(l connect.Link, err error) (view.ConnectStart, error) {
	if err != nil {
		return view.ConnectStart{}, err
	}
	return view.ConnectStart{ExpiresAt: RFC3339(l.ExpiresAt), Link: l.URL}, nil
}

// Complete finishes a login from the bank's redirect to bankdesk://
// callback, however it reached the process (the window's argument, a
// second instance, macOS, `bankdesk callback`): this is where every deep
// link enters. readBalances has the first reads include balances, for a
// caller that does not sync at once.
func (d *Desk) Complete(ctx context.Context, rawURL string, readBalances bool) (connect.Result, error) {
	ctx, cancel := context.WithTimeout(ctx, completeTimeout)
	defer cancel()
	d.completeMu.Lock()
	defer d.completeMu.Unlock()
	d.flow.ReadBalances = readBalances
	return d.flow.Complete(ctx, rawURL)
}

// CompleteResult is Complete for a redirect already parsed (the loopback
// port's). Exactly one Flow serves the desk, so the option is set per call.
func (d *Desk) CompleteResult(ctx context.Context, cb callback.Result, readBalances bool) (connect.Result, error) {
	d.completeMu.Lock()
	d.flow.ReadBalances = readBalances
	res, err := d.flow.CompleteResult(ctx, cb)
	d.completeMu.Unlock()
	return res, err
}

// CompleteAndTell is Complete for the window: the outcome goes to the
// Sink, and a connection is backfilled at once (deep history is granted
// only in the minutes after consent).
func (d *Desk) CompleteAndTell(ctx context.Context, rawURL string) {
	d.finishConnect(d.Complete(ctx, rawURL, false))
}

// finishConnect tells the Sink how a login ended, whichever way its
// answer arrived, and starts the backfill.
func (d *Desk) finishConnect(res connect.Result, err error) {
	if err != nil {
		f := failureView(err, d.worder(""))
		d.log.Warn("callback failed", "kind", f.Kind, "err", err)
		d.sink.ConnectFailed(f)
		return
	}
	d.log.Info("bank connected", "connection", res.ConnectionID, "accounts", res.Accounts, "cards", res.Cards)
	d.rememberLogin(connect.Link{}) // done: there is no link left to open again
	ev := view.Connected{
		ConnectionID: res.ConnectionID, ProviderID: res.ProviderID,
		Accounts: res.Accounts, Cards: res.Cards, Warnings: append([]string{}, res.Warnings...),
		Unmatched: []string{}, Missing: []string{},
		Unfinished: res.Unfinished, Existing: res.Existing, Notes: append([]string{}, res.Notes...),
		Renewed: res.Renewed,
	}
	for _, acc := range res.Unmatched {
		ev.Unmatched = append(ev.Unmatched, acc.DisplayName)
	}
	for _, acc := range res.Missing {
		ev.Missing = append(ev.Missing, acc.DisplayName)
	}
	d.sink.Connected(ev)
	go d.syncAndReport(context.Background(), res.ConnectionID, true)
}

// failureView is a failed login as a sentence and a kind the screen
// branches on.
func failureView(err error, words problem.Context) view.ConnectFailed {
	f := view.ConnectFailed{Kind: "other", Problem: words.Of(err)}
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
	return f
}

// Connections lists the bank connections as the screens show them.
func (d *Desk) Connections() ([]view.ConnectionView, error) {
	conns, err := d.store.Connections()
	if err != nil {
		return nil, fmt.Errorf("read connections: %w", err)
	}
	accts, err := d.Accounts()
	if err != nil {
		return nil, err
	}
	out := make([]view.ConnectionView, 0, len(conns))
	now := d.now()
	// The same person renews every connection: the last details given
	// fill the form of one that has none yet.
	var last store.Connection
	for _, c := range conns {
		if c.User.Name != "" && c.UpdatedAt.After(last.UpdatedAt) {
			last = c
		}
	}
	for _, c := range conns {
		// The consent package owns the deadline rules (90-day default,
		// 30-day idle capped at the consent's end).
		info := consent.Of(c, now)
		v := view.ConnectionView{
			ID: c.ID, ProviderID: c.ProviderID, ProviderName: d.flow.BankName(c), Status: c.Status,
			ConsentCreatedAt: RFC3339(info.ConsentCreatedAt), ConsentExpiresAt: RFC3339(info.ConsentExpiresAt),
			RefreshDeadline: RFC3339(info.RefreshIdleDeadline), DaysLeft: info.DaysLeft,
			Scopes: append([]string{}, c.Scopes...), Unfinished: c.Unfinished,
			Permissions: bankdata.Permissions(c.Scopes, connect.ConsentDays), AccountNames: []string{},
		}
		if h := c.Holder; h.Name != "" || len(h.Emails) > 0 || len(h.Phones) > 0 {
			v.Holder = &view.HolderView{Name: h.Name, Emails: append([]string{}, h.Emails...), Phones: append([]string{}, h.Phones...)}
		}
		r := consent.RenewalOf(c, now, nil)
		v.RenewUntil, v.RenewNote = RFC3339(r.Until), r.Note
		u := c.User
		if u.Name == "" {
			u = last.User
		}
		v.Contact = view.Contact{Name: u.Name, Email: u.Email, Phone: u.Phone}
		for _, acc := range accts {
			if acc.ConnectionID != c.ID {
				continue
			}
			v.Accounts++
			v.AccountNames = append(v.AccountNames, acc.DisplayName)
			v.LastSyncedAt = max(v.LastSyncedAt, acc.LastSyncedAt)
			if acc.HistoryLimited {
				v.HistoryLimited = true
				v.HistoryFrom = max(v.HistoryFrom, acc.HistoryFrom)
			}
		}
		out = append(out, v)
	}
	return out, nil
}

// RFC3339 is t in UTC as RFC 3339, or "" for the zero time: how every view
// writes an instant.
func RFC3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// DisconnectAndTell revokes a connection (Disconnect) for the window:
// then the screens are told the data changed, whatever the outcome.
func (d *Desk) DisconnectAndTell(ctx context.Context, connectionID string, keepData bool) error {
	ctx, cancel := context.WithTimeout(ctx, disconnectTimeout)
	defer cancel()
	err := d.Disconnect(ctx, connectionID, keepData)
	d.reloadLedger()
	d.sink.DataChanged()
	return err
}

// keptAlive: while Run runs, KeepAlive keeps every refresh token in use,
// so the consent's end is the deadline the user must act on.
const keptAlive = true

// Consents lists every connection's consent dates and status, as the
// window (where Run keeps tokens in use) shows them.
func (d *Desk) Consents() ([]view.ConsentView, error) {
	infos, err := d.ConsentInfos()
	if err != nil {
		return nil, err
	}
	out := make([]view.ConsentView, 0, len(infos))
	for _, i := range infos {
		out = append(out, ConsentView(i, keptAlive))
	}
	return out, nil
}

// ConsentInfos is every connection's consent (consent.Info), on the desk's
// clock.
func (d *Desk) ConsentInfos() ([]consent.Info, error) { return d.consent.Infos() }

// Extend renews a consent (consent.Service.Extend) once the user's details
// pass consent.CheckUser.
func (d *Desk) Extend(ctx context.Context, connectionID string, user store.User) (consent.ExtendOutcome, error) {
	if err := consent.CheckUser(user); err != nil {
		return consent.ExtendOutcome{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, extendTimeout)
	defer cancel()
	return d.consent.Extend(ctx, connectionID, user)
}

// ConsentView is one consent as the screens (and `bankdesk consents`)
// show it; keptAlive says whether something keeps its token in use.
func ConsentView(i consent.Info, keptAlive bool) view.ConsentView {
	h := i.Headline(keptAlive)
	return view.ConsentView{
		ConnectionID: i.ConnectionID, ProviderID: i.ProviderID, ProviderName: i.ProviderName,
		ConsentCreatedAt: RFC3339(i.ConsentCreatedAt), ConsentExpiresAt: RFC3339(i.ConsentExpiresAt),
		RefreshIdleDeadline: RFC3339(i.RefreshIdleDeadline), DaysLeft: i.DaysLeft, Status: string(i.Status),
		Headline: h.Kind, HeadlineDeadline: RFC3339(h.At), HeadlineDaysLeft: h.DaysLeft,
	}
}

// snoozeMaxDays is the longest a connection's reminders can be hidden.
const snoozeMaxDays = 30

// Snooze hides a connection's reminders for days (1 to snoozeMaxDays).
func (d *Desk) Snooze(connectionID string, days int) error {
	if days < 1 || days > snoozeMaxDays {
		return fmt.Errorf("snooze for 1 to %d days", snoozeMaxDays)
	}
	return d.consent.Snooze(connectionID, d.now().Add(time.Duration(days)*24*time.Hour))
}

// Reconfirm renews a connection's consent after the user reconfirmed it in
// Bankdesk's own screen: connections/extend, else the bank, else a fresh
// login to the same bank (consent.Service.Extend). Link, when set, is the
// page to open in the browser.
func (d *Desk) Reconfirm(ctx context.Context, r view.ReconfirmRequest) (view.ExtendResult, error) {
	if !r.Confirmed {
		return view.ExtendResult{}, errors.New("please confirm that Bankdesk may keep reading this data")
	}
	out, err := d.Extend(ctx, r.ConnectionID, store.User{Name: r.Name, Email: r.Email, Phone: r.Phone})
	if err != nil {
		return view.ExtendResult{}, err
	}
	res := view.ExtendResult{Extended: out.Extended, Fallback: out.Fallback, Message: out.Message, NewExpiry: RFC3339(out.NewExpiry), Link: out.Link}
	res.AtBank = out.Link != ""
	if out.Extended {
		d.sink.DataChanged()
	}
	return res, nil
}

// worder words failures naming the connection's bank (any bank for "").
func (d *Desk) worder(connectionID string) problem.Context {
	w := problem.Context{Now: d.now()}
	if connectionID == "" {
		return w
	}
	if c, err := d.store.Connection(connectionID); err == nil {
		w.Bank = d.flow.BankName(c)
	}
	return w
}
