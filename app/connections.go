package app

import (
	"context"
	"time"

	"bankdesk/backend/consent"
)

// ConnectionView is a bank connection as the UI shows it: dates, never tokens.
type ConnectionView struct {
	ID               string `json:"id"`
	ProviderID       string `json:"provider_id"`
	ProviderName     string `json:"provider_name"`
	Status           string `json:"status"` // active, reconnect_needed, revoked
	ConsentCreatedAt string `json:"consent_created_at"`
	ConsentExpiresAt string `json:"consent_expires_at"`
	// RefreshDeadline is when the refresh token lapses unless used: 30 days
	// after its last use, never past the consent's end.
	RefreshDeadline string `json:"refresh_deadline"`
	// DaysLeft is the whole days until the consent ends (consent.Info):
	// the screens show this number rather than counting themselves.
	DaysLeft     int      `json:"days_left"`
	LastSyncedAt string   `json:"last_synced_at,omitempty"`
	Scopes       []string `json:"scopes"`
	Accounts     int      `json:"accounts"`
	// Unfinished: saved, but the bank has not yet answered for the
	// accounts; the next sync finishes it.
	Unfinished bool `json:"unfinished"`
	// HistoryFrom is the latest first day of its accounts' stored history
	// (YYYY-MM-DD) when the bank refused older history (HistoryLimited):
	// the screen offers to ask once more (FetchOlderHistory).
	HistoryFrom    string `json:"history_from,omitempty"`
	HistoryLimited bool   `json:"history_limited"`
}

// Connections lists the bank connections.
func (a *App) Connections() ([]ConnectionView, error) {
	d, err := a.backend()
	if err != nil {
		return nil, err
	}
	conns, err := d.Store().Connections()
	if err != nil {
		return nil, err
	}
	accts, err := d.Accounts()
	if err != nil {
		return nil, err
	}
	out := make([]ConnectionView, 0, len(conns))
	now := time.Now()
	for _, c := range conns {
		// The consent package owns the deadline rules (90-day default,
		// 30-day idle capped at the consent's end).
		info := consent.Of(c, now)
		v := ConnectionView{
			ID: c.ID, ProviderID: c.ProviderID, ProviderName: c.ProviderName, Status: c.Status,
			ConsentCreatedAt: rfc3339(info.ConsentCreatedAt), ConsentExpiresAt: rfc3339(info.ConsentExpiresAt),
			RefreshDeadline: rfc3339(info.RefreshIdleDeadline), DaysLeft: info.DaysLeft,
			Scopes: append([]string{}, c.Scopes...), Unfinished: c.Unfinished,
		}
		for _, acc := range accts {
			if acc.ConnectionID != c.ID {
				continue
			}
			v.Accounts++
			if acc.LastSyncedAt > v.LastSyncedAt {
				v.LastSyncedAt = acc.LastSyncedAt
			}
			if acc.HistoryLimited {
				v.HistoryLimited = true
				if acc.HistoryFrom > v.HistoryFrom {
					v.HistoryFrom = acc.HistoryFrom
				}
			}
		}
		out = append(out, v)
	}
	return out, nil
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// Disconnect revokes a connection at TrueLayer and removes its tokens;
// keepData keeps its accounts and transactions for offline reading.
func (a *App) Disconnect(connectionID string, keepData bool) error {
	d, err := a.backend()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = d.Disconnect(ctx, connectionID, keepData)
	if rerr := a.reloadLedger(); rerr != nil {
		a.log.Warn("reload ledger after disconnect", "err", rerr)
	}
	a.runtime().EventsEmit(EventDataChanged)
	return err
}

// Reconnect opens a new auth link for an existing connection's bank, so the
// code that comes back renews it (history and settings continue).
func (a *App) Reconnect(connectionID string) (ConnectStart, error) {
	d, err := a.backend()
	if err != nil {
		return ConnectStart{}, err
	}
	link, err := d.Flow().Reconnect(context.Background(), connectionID)
	if err != nil {
		return ConnectStart{}, err
	}
	a.runtime().BrowserOpenURL(link.URL)
	return ConnectStart{ExpiresAt: link.ExpiresAt}, nil
}
