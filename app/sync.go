package app

import (
	"context"
	"errors"
	"time"

	"bankdesk/backend/store"
	"bankdesk/backend/syncer"
)

// Sync events for progress bars and refreshes.
const (
	EventSyncProgress = "sync:progress"
	EventSyncDone     = "sync:done"
	EventDataChanged  = "data:changed"
)

// SyncProgress is the payload of EventSyncProgress.
type SyncProgress struct {
	ConnectionID string `json:"connectionId"`
	AccountID    string `json:"accountId"`
	AccountName  string `json:"accountName"`
	Phase        string `json:"phase"`
	Window       int    `json:"window"`
	Windows      int    `json:"windows"`
	WindowFrom   string `json:"windowFrom,omitempty"`
	WindowTo     string `json:"windowTo,omitempty"`
	Added        int    `json:"added"`
	Total        int    `json:"total"`
	Message      string `json:"message,omitempty"`
	// DeepHistoryUntil (RFC 3339) is when the bank stops serving history
	// older than 90 days, while that is ahead: the bar shows the time left.
	DeepHistoryUntil string `json:"deepHistoryUntil,omitempty"`
}

// SyncAccount is one account's outcome in EventSyncDone.
type SyncAccount struct {
	AccountID      string `json:"accountId"`
	Name           string `json:"name"`
	Added          int    `json:"added"`
	Updated        int    `json:"updated"`
	Removed        int    `json:"removed"` // bookings the bank no longer lists, now marked removed
	HistoryFrom    string `json:"historyFrom,omitempty"`
	HistoryLimited bool   `json:"historyLimited"`
	Error          string `json:"error,omitempty"`
}

// SyncDone is the payload of EventSyncDone.
type SyncDone struct {
	ConnectionID string        `json:"connectionId"`
	OK           bool          `json:"ok"`
	Error        string        `json:"error,omitempty"`
	Accounts     []SyncAccount `json:"accounts"`
}

// Sync starts a sync of one connection the user asked for (not limited by
// the PSD2 unattended budget) and returns at once; progress and the result
// arrive as events.
func (a *App) Sync(connectionID string) error {
	if _, err := a.backend(); err != nil {
		return err
	}
	go a.runSync(connectionID, true)
	return nil
}

// FetchOlderHistory asks the bank once more for the older history it
// refused before (best right after a reconnect, when its SCA window is
// open again), then syncs; progress and the result arrive as events.
func (a *App) FetchOlderHistory(connectionID string) error {
	d, err := a.backend()
	if err != nil {
		return err
	}
	if err := d.RetryOlder(connectionID); err != nil {
		return err
	}
	go a.runSync(connectionID, true)
	return nil
}

// SyncEverything syncs every connection, as the user asked.
func (a *App) SyncEverything() error {
	d, err := a.backend()
	if err != nil {
		return err
	}
	conns, err := d.Store().Connections()
	if err != nil {
		return err
	}
	for _, c := range conns {
		if c.Status == store.StatusActive {
			go a.runSync(c.ID, true)
		}
	}
	return nil
}

func (a *App) runSync(connectionID string, attended bool) {
	d, err := a.backend()
	if err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	rep, err := d.Sync(ctx, connectionID, attended, func(p syncer.Progress) {
		a.runtime().EventsEmit(EventSyncProgress, progressFrom(p))
	})
	if errors.Is(err, syncer.ErrInProgress) {
		return // the running sync reports for both
	}
	// An unfinished connection may have joined another while finishing
	// (desk.Sync): the report names the one synced.
	if rep.ConnectionID != "" {
		connectionID = rep.ConnectionID
	}
	done := SyncDone{ConnectionID: connectionID, Accounts: []SyncAccount{}}
	if err != nil {
		done.Error = err.Error()
	} else if rep.Err != nil {
		done.Error = rep.Err.Error()
	}
	for _, r := range rep.Accounts {
		sa := SyncAccount{AccountID: r.AccountID, Name: r.Name, Added: r.Added, Updated: r.Updated, Removed: r.Removed, HistoryLimited: r.HistoryLimited}
		if !r.HistoryFrom.IsZero() {
			sa.HistoryFrom = r.HistoryFrom.Format("2006-01-02")
		}
		if r.Err != nil {
			sa.Error = r.Err.Error()
		}
		done.Accounts = append(done.Accounts, sa)
	}
	done.OK = err == nil && rep.OK()
	if err := a.reloadLedger(); err != nil {
		a.log.Warn("reload ledger after sync", "err", err)
	}
	a.log.Info("sync finished", "connection", connectionID, "ok", done.OK, "attended", attended)
	a.runtime().EventsEmit(EventSyncDone, done)
	a.runtime().EventsEmit(EventDataChanged)
}

func progressFrom(p syncer.Progress) SyncProgress {
	sp := SyncProgress{
		ConnectionID: p.ConnectionID, AccountID: p.AccountID, AccountName: p.AccountName, Phase: p.Phase,
		Window: p.Window, Windows: p.Windows, Added: p.Added, Total: p.Total, Message: p.Message,
	}
	if !p.WindowFrom.IsZero() {
		sp.WindowFrom = p.WindowFrom.Format("2006-01-02")
		sp.WindowTo = p.WindowTo.Format("2006-01-02")
	}
	if !p.DeepHistoryUntil.IsZero() {
		sp.DeepHistoryUntil = p.DeepHistoryUntil.UTC().Format(time.RFC3339)
	}
	return sp
}

// schedule syncs every active connection in the background now and then
// every interval while the app runs. The engine refuses a second sync of a
// connection that is already syncing, so overlaps are harmless.
func (a *App) schedule(ctx context.Context, interval time.Duration) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		a.syncBackground()
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

func (a *App) syncBackground() {
	d, err := a.backend()
	if err != nil {
		return
	}
	conns, err := d.Store().Connections()
	if err != nil {
		a.log.Warn("background sync: read connections", "err", err)
		return
	}
	for _, c := range conns {
		if c.Status == store.StatusActive {
			a.runSync(c.ID, false)
		}
	}
}
