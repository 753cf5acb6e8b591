package desk

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

	"bankdesk/backend/consent"
	"bankdesk/backend/problem"
	"bankdesk/backend/store"
	"bankdesk/backend/syncer"
	"bankdesk/backend/view"
)

// Sink is where the desk reports what happens without being asked: sync
// progress and results, reminders, finished logins, and changed data. The
// window implements it with Wails events; tests and a headless job use
// their own. Its methods must not block for long.
type Sink interface {
	SyncProgress(view.SyncProgress)
	SyncDone(view.SyncDone)
	// Reminder shows a reminder (a desktop notification where there is
	// one); an error means it could be shown in the app only.
	Reminder(view.ReminderView) error
	Connected(view.Connected)
	ConnectFailed(view.ConnectFailed)
	// DataChanged says stored data changed: screens fetch what they show.
	DataChanged()
}

// nopSink discards reports: the command line asks for what it prints.
type nopSink struct{}

func (nopSink) SyncProgress(view.SyncProgress)   {}
func (nopSink) SyncDone(view.SyncDone)           {}
func (nopSink) Reminder(view.ReminderView) error { return errors.New("no one to remind") }
func (nopSink) Connected(view.Connected)         {}
func (nopSink) ConnectFailed(view.ConnectFailed) {}
func (nopSink) DataChanged()                     {}

// Ticker starts a ticker of period d; stop ends it. Options.Ticker lets
// tests see and drive Run's schedule.
type Ticker func(d time.Duration) (c <-chan time.Time, stop func())

func realTicker(d time.Duration) (<-chan time.Time, func()) {
	t := time.NewTicker(d)
	return t.C, t.Stop
}

// SyncInterval is the background sync period in force: the saved one
// from Settings unless the environment set one (config and
// applySavedEnvironment decide, once, at Open).
func (d *Desk) SyncInterval() time.Duration { return d.cfg.SyncInterval }

// Run is the background work of an open backend until ctx ends or the
// desk is closed: first the
// keep-alive and reminders (a refresh token near its idle deadline is used
// before anything else touches the bank), then a sync of every active
// connection, again every SyncInterval, while keep-alive and reminders are
// checked every consent.KeepAliveCheck. Everything is reported to the
// Sink given at Open.
func (d *Desk) Run(ctx context.Context) {
	d.KeepAliveAndRemind(ctx)
	syncs, stopSyncs := d.ticker(d.SyncInterval())
	defer stopSyncs()
	checks, stopChecks := d.ticker(consent.KeepAliveCheck)
	defer stopChecks()
	d.SyncBackground(ctx)
	for {
		select {
		case <-ctx.Done():
			return
		case <-d.closed:
			return
		case <-syncs:
			d.SyncBackground(ctx)
		case <-checks:
			d.KeepAliveAndRemind(ctx)
		}
	}
}

// KeepAliveReport is what one KeepAliveAndRemind did.
type KeepAliveReport struct {
	// Kept is what keep-alive did with each connection (consent.KeepAlive).
	Kept []consent.KeepAliveResult
	// Reminded are the reminders fired, in order.
	Reminded []Reminded
}

// Reminded is one reminder fired: Shown is the Sink's answer (nil when it
// reached a desktop notification).
type Reminded struct {
	consent.Reminder
	Shown error
}

// KeepAliveAndRemind refreshes tokens that would lapse unused
// (consent.Service.KeepAlive), then fires the reminders that are due: this
// is where every reminder fires, once per step.
func (d *Desk) KeepAliveAndRemind(ctx context.Context) KeepAliveReport {
	var rep KeepAliveReport
	kept, err := d.consent.KeepAlive(ctx)
	if err != nil {
		d.log.Warn("keep-alive", "err", err)
	}
	rep.Kept = kept
	due, err := d.consent.Due()
	if err != nil {
		d.log.Warn("reminders", "err", err)
		return rep
	}
	for _, r := range due {
		shown := d.sink.Reminder(reminderView(r))
		if shown != nil {
			d.log.Info("reminder shown in the app only", "reason", shown)
		}
		if err := d.consent.MarkFired(r); err != nil {
			d.log.Warn("mark reminder", "err", err)
		}
		rep.Reminded = append(rep.Reminded, Reminded{Reminder: r, Shown: shown})
	}
	d.sink.DataChanged()
	return rep
}

func reminderView(r consent.Reminder) view.ReminderView {
	return view.ReminderView{ConnectionID: r.ConnectionID, ProviderName: r.ProviderName, Kind: r.Kind, Step: r.Step, DaysLeft: r.DaysLeft, Message: r.Message}
}

// SyncBackground syncs every active connection in turn, unattended (the
// PSD2 daily budget applies).
func (d *Desk) SyncBackground(ctx context.Context) {
	ids, err := d.activeConnections()
	if err != nil {
		d.log.Warn("background sync: read connections", "err", err)
		return
	}
	for _, id := range ids {
		d.syncAndReport(ctx, id, false)
	}
}

// activeConnections are the connections a sync may use.
func (d *Desk) activeConnections() ([]string, error) {
	conns, err := d.store.Connections()
	if err != nil {
		return nil, fmt.Errorf("read connections: %w", err)
	}
	var ids []string
	for _, c := range conns {
		if c.Status == store.StatusActive {
			ids = append(ids, c.ID)
		}
	}
	return ids, nil
}

// syncTimeout bounds one sync the window started: a six-year backfill
// from a slow bank takes minutes, not hours.
const syncTimeout = 30 * time.Minute

// StartSync syncs one connection the user asked for (attended: no PSD2
// daily limit) and returns at once; progress and the result go to the
// Sink. olderToo asks the bank again for older history it refused.
func (d *Desk) StartSync(connectionID string, olderToo bool) error {
	if olderToo {
		if err := d.RetryOlder(connectionID); err != nil {
			return err
		}
	}
	go d.syncAndReport(context.Background(), connectionID, true)
	return nil
}

// StartSyncAll starts an attended sync of every active connection.
func (d *Desk) StartSyncAll() error {
	ids, err := d.activeConnections()
	if err != nil {
		return err
	}
	for _, id := range ids {
		go d.syncAndReport(context.Background(), id, true)
	}
	return nil
}

// syncAndReport syncs one connection and tells the Sink how it went.
func (d *Desk) syncAndReport(ctx context.Context, connectionID string, attended bool) {
	ctx, cancel := context.WithTimeout(ctx, syncTimeout)
	defer cancel()
	rep, err := d.Sync(ctx, connectionID, attended, func(p syncer.Progress) { d.sink.SyncProgress(progressView(p)) })
	if errors.Is(err, syncer.ErrInProgress) {
		return // the running sync reports for both
	}
	done := syncDoneView(connectionID, rep, err, d.worder(connectionID))
	if !done.OK {
		d.log.Warn("sync failed", "connection", done.ConnectionID, "err", cmp.Or(err, rep.Err))
	}
	d.reloadLedger()
	d.log.Info("sync finished", "connection", done.ConnectionID, "ok", done.OK, "attended", attended)
	d.sink.SyncDone(done)
	d.sink.DataChanged()
}

func syncDoneView(connectionID string, rep syncer.Report, err error, words problem.Context) view.SyncDone {
	// An unfinished connection may have joined another while finishing
	// (Sync): the report names the one synced.
	if rep.ConnectionID != "" {
		connectionID = rep.ConnectionID
	}
	done := view.SyncDone{ConnectionID: connectionID, Accounts: []view.SyncAccount{}, OK: err == nil && rep.OK()}
	if err != nil {
		done.Error = words.Ptr(err)
	} else if rep.Err != nil {
		done.Error = words.Ptr(rep.Err)
	}
	for _, r := range rep.Accounts {
		sa := view.SyncAccount{AccountID: r.AccountID, Name: r.Name, Added: r.Added, Updated: r.Updated, Removed: r.Removed, HistoryLimited: r.HistoryLimited}
		if !r.HistoryFrom.IsZero() {
			sa.HistoryFrom = r.HistoryFrom.Format(time.DateOnly)
		}
		sa.Error = words.Ptr(r.Err)
		done.Accounts = append(done.Accounts, sa)
	}
	return done
}

func progressView(p syncer.Progress) view.SyncProgress {
	sp := view.SyncProgress{
		ConnectionID: p.ConnectionID, AccountID: p.AccountID, AccountName: p.AccountName, Phase: p.Phase,
		Window: p.Window, Windows: p.Windows, Added: p.Added, Total: p.Total, Message: p.Message,
	}
	if !p.WindowFrom.IsZero() {
		sp.WindowFrom = p.WindowFrom.Format(time.DateOnly)
		sp.WindowTo = p.WindowTo.Format(time.DateOnly)
	}
	if !p.DeepHistoryUntil.IsZero() {
		sp.DeepHistoryUntil = p.DeepHistoryUntil.UTC().Format(time.RFC3339)
	}
	return sp
}
