package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"bankdesk/backend/consent"
	"bankdesk/backend/store"
)

// Consent events.
const (
	EventReminder = "consent:reminder"
	EventExtended = "consent:extended"
)

// ConsentView is one connection's consent as the badges and banners show it.
type ConsentView struct {
	ConnectionID        string `json:"connectionId"`
	ProviderID          string `json:"providerId"`
	ProviderName        string `json:"providerName"`
	ConsentCreatedAt    string `json:"consentCreatedAt"`
	ConsentExpiresAt    string `json:"consentExpiresAt"`
	RefreshIdleDeadline string `json:"refreshIdleDeadline"`
	// DaysLeft counts to the consent's end, as `bankdesk consents` does.
	DaysLeft int    `json:"daysLeft"`
	Status   string `json:"status"` // active, expiring, reconnect_needed, expired
	// Headline is the deadline to put first (consent.Info.Headline):
	// "consent", or "refresh" if nothing kept the token in use.
	Headline         string `json:"headline"`
	HeadlineDeadline string `json:"headlineDeadline"`
	HeadlineDaysLeft int    `json:"headlineDaysLeft"`
}

// keptAlive: while the window is open, lifecycle runs KeepAlive, so the
// refresh token never comes near its idle deadline; the consent's end is
// what the user must act on.
const keptAlive = true

// ReminderView is one reminder for the in-app banner.
type ReminderView struct {
	ConnectionID string `json:"connectionId"`
	ProviderName string `json:"providerName"`
	Kind         string `json:"kind"` // consent or refresh
	Step         int    `json:"step"`
	DaysLeft     int    `json:"daysLeft"`
	Message      string `json:"message"`
}

// Consents lists every connection's consent dates and status.
func (a *App) Consents() ([]ConsentView, error) {
	d, err := a.backend()
	if err != nil {
		return nil, err
	}
	infos, err := d.Consent().Infos()
	if err != nil {
		return nil, err
	}
	out := make([]ConsentView, 0, len(infos))
	for _, i := range infos {
		h := i.Headline(keptAlive)
		out = append(out, ConsentView{
			ConnectionID: i.ConnectionID, ProviderID: i.ProviderID, ProviderName: i.ProviderName,
			ConsentCreatedAt: rfc3339(i.ConsentCreatedAt), ConsentExpiresAt: rfc3339(i.ConsentExpiresAt),
			RefreshIdleDeadline: rfc3339(i.RefreshIdleDeadline), DaysLeft: i.DaysLeft, Status: string(i.Status),
			Headline: h.Kind, HeadlineDeadline: rfc3339(h.At), HeadlineDaysLeft: h.DaysLeft,
		})
	}
	return out, nil
}

// SnoozeReminders hides a connection's reminders for some days.
func (a *App) SnoozeReminders(connectionID string, days int) error {
	if days < 1 || days > 30 {
		return errors.New("snooze for 1 to 30 days")
	}
	d, err := a.backend()
	if err != nil {
		return err
	}
	return d.Consent().Snooze(connectionID, time.Now().Add(time.Duration(days)*24*time.Hour))
}

// ReconfirmRequest is what the reconfirmation screen sends after the user
// ticked the explicit confirmation.
type ReconfirmRequest struct {
	ConnectionID string `json:"connectionId"`
	Name         string `json:"name"`
	Email        string `json:"email"`
	Phone        string `json:"phone"`
	Confirmed    bool   `json:"confirmed"`
}

// ExtendResult tells the screen what happened next.
type ExtendResult struct {
	Extended  bool   `json:"extended"`  // done: consent renewed without visiting the bank
	AtBank    bool   `json:"atBank"`    // the bank's page was opened; the deep link completes it
	Fallback  bool   `json:"fallback"`  // extend was refused; a fresh login to the same bank was opened
	Message   string `json:"message"`   // a sentence for the user
	NewExpiry string `json:"newExpiry"` // RFC 3339, when extended
}

// Reconfirm renews a connection's consent after the user reconfirmed it in
// Bankdesk's own screen: connections/extend, else the bank, else a fresh
// login to the same bank.
func (a *App) Reconfirm(r ReconfirmRequest) (ExtendResult, error) {
	if !r.Confirmed {
		return ExtendResult{}, errors.New("please confirm that Bankdesk may keep reading this data")
	}
	if r.Name == "" || (r.Email == "" && r.Phone == "") {
		return ExtendResult{}, errors.New("enter your full name and an email address or phone number")
	}
	d, err := a.backend()
	if err != nil {
		return ExtendResult{}, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := d.Consent().Extend(ctx, r.ConnectionID, store.User{Name: r.Name, Email: r.Email, Phone: r.Phone})
	if err != nil {
		return ExtendResult{}, err
	}
	res := ExtendResult{Extended: out.Extended, Fallback: out.Fallback, Message: out.Message, NewExpiry: rfc3339(out.NewExpiry)}
	if out.Link != "" {
		a.runtime().BrowserOpenURL(out.Link)
		res.AtBank = true
	}
	if out.Extended {
		a.runtime().EventsEmit(EventExtended, r.ConnectionID)
		a.runtime().EventsEmit(EventDataChanged)
	}
	return res, nil
}

func reminderView(r consent.Reminder) ReminderView {
	return ReminderView{ConnectionID: r.ConnectionID, ProviderName: r.ProviderName, Kind: r.Kind, Step: r.Step, DaysLeft: r.DaysLeft, Message: r.Message}
}

// lifecycle keeps connections alive and reminds, daily after the start.
// Reminders are checked hourly so a step is not missed by a day.
func (a *App) lifecycle(ctx context.Context) {
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			a.keepAliveAndRemind(ctx)
		}
	}
}

func (a *App) keepAliveAndRemind(ctx context.Context) {
	d, err := a.backend()
	if err != nil {
		return
	}
	c := d.Consent()
	if _, err := c.KeepAlive(ctx); err != nil {
		a.log.Warn("keep-alive", "err", err)
	}
	due, err := c.Due()
	if err != nil {
		a.log.Warn("reminders", "err", err)
		return
	}
	for _, r := range due {
		v := reminderView(r)
		if err := a.runtime().Notify(fmt.Sprintf("%s-%s-%d", r.ConnectionID, r.Kind, r.Step), "Bankdesk: "+r.ProviderName, r.Message); err != nil {
			a.log.Info("reminder shown in the app only", "reason", err)
		}
		a.runtime().EventsEmit(EventReminder, v)
		if err := c.MarkFired(r); err != nil {
			a.log.Warn("mark reminder", "err", err)
		}
	}
	a.runtime().EventsEmit(EventDataChanged)
}
