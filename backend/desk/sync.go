package desk

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"bankdesk/backend/connect"
	"bankdesk/backend/store"
	"bankdesk/backend/syncer"
	"bankdesk/backend/tokens"
)

// PhaseConnect is the Progress phase that reports finishing an unfinished
// connection before its sync; Message says what happened, in sentences.
const PhaseConnect = "connect"

// Sync brings one connection up to date; attended says the user started it
// and is watching (no PSD2 daily limit, X-PSU-IP sent). See syncer.Engine.Sync.
// A connection saved unfinished is finished first (Finish); the report is
// then about the connection it became. A sync stopped because a new
// consent is taking the connection over returns syncer.ErrInProgress: the
// sync that follows the login reports.
func (d *Desk) Sync(ctx context.Context, connectionID string, attended bool, progress func(syncer.Progress)) (syncer.Report, error) {
	id, err := d.finishFirst(ctx, connectionID, progress)
	if err != nil {
		return syncer.Report{ConnectionID: id, Err: err}, nil
	}
	ctx, r, err := d.startRun(ctx, id)
	if err != nil {
		return syncer.Report{ConnectionID: id}, err
	}
	defer d.endRun(id, r)
	rep, err := d.syncer.Sync(ctx, id, mode(attended), progress)
	if r != nil && r.stopped.Load() {
		return rep, fmt.Errorf("sync %s: %w (a new consent took the connection over)", id, syncer.ErrInProgress)
	}
	if err == nil {
		d.snapshot()
	}
	return rep, err
}

// snapshot keeps a consistent copy of the data file beside it after a
// sync, what `bankdesk repair` restores from (store.Snapshot). A failure
// costs nothing now, so it is logged, not reported.
func (d *Desk) snapshot() {
	if _, err := d.store.Snapshot(store.SnapshotDir(d.cfg.StorePath()), 0, d.now()); err != nil {
		d.log.Warn("no snapshot after the sync", "err", err)
	}
}

// SyncAll syncs every stored connection in turn (each as Sync does) after
// finishing the unfinished ones (which may join a connection that already
// held their accounts): each connection is synced once and has one
// report. The error joins the connections' Sync errors (e.g. one already
// syncing); it stops early only when ctx ends.
func (d *Desk) SyncAll(ctx context.Context, attended bool, progress func(syncer.Progress)) ([]syncer.Report, error) {
	conns, err := d.store.Connections()
	if err != nil {
		return nil, fmt.Errorf("sync all: read connections: %w", err)
	}
	failed := map[string]error{}
	finished := false
	for _, c := range conns {
		if c.Unfinished {
			if _, err := d.finishFirst(ctx, c.ID, progress); err != nil {
				failed[c.ID] = err
			} else {
				finished = true
			}
		}
	}
	if finished {
		if conns, err = d.store.Connections(); err != nil {
			return nil, fmt.Errorf("sync all: read connections: %w", err)
		}
	}
	var reports []syncer.Report
	var errs []error
	for _, c := range conns {
		if ctx.Err() != nil {
			errs = append(errs, ctx.Err())
			break
		}
		if err, ok := failed[c.ID]; ok {
			reports = append(reports, syncer.Report{ConnectionID: c.ID, Err: err})
			continue
		}
		rep, err := d.Sync(ctx, c.ID, attended, progress)
		reports = append(reports, rep)
		if err != nil {
			errs = append(errs, err)
		}
	}
	return reports, errors.Join(errs...)
}

// run is a desk sync under way; hold stops it.
type run struct {
	cancel  context.CancelFunc
	done    chan struct{}
	stopped atomic.Bool
}

// startRun records a sync of id, unless a new consent is taking it over.
// r is nil when another sync of id is under way (the engine refuses it).
func (d *Desk) startRun(ctx context.Context, id string) (context.Context, *run, error) {
	d.runMu.Lock()
	defer d.runMu.Unlock()
	if d.held[id] > 0 {
		return ctx, nil, fmt.Errorf("sync %s: %w (a new consent is taking the connection over)", id, syncer.ErrInProgress)
	}
	if d.running[id] != nil {
		return ctx, nil, nil
	}
	ctx, cancel := context.WithCancel(ctx)
	r := &run{cancel: cancel, done: make(chan struct{})}
	if d.running == nil {
		d.running = map[string]*run{}
	}
	d.running[id] = r
	return ctx, r, nil
}

func (d *Desk) endRun(id string, r *run) {
	if r == nil {
		return
	}
	d.runMu.Lock()
	delete(d.running, id)
	d.runMu.Unlock()
	r.cancel()
	close(r.done)
}

// hold is connect.Flow's Hold: it stops the syncs of the given connections
// and keeps new ones from starting, waits for them to end, then holds
// their token refreshes, until release.
func (d *Desk) hold(ctx context.Context, ids ...string) (func(), error) {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	var waits []*run
	d.runMu.Lock()
	if d.held == nil {
		d.held = map[string]int{}
	}
	for _, id := range ids {
		d.held[id]++
		if r := d.running[id]; r != nil {
			r.stopped.Store(true)
			r.cancel()
			waits = append(waits, r)
		}
	}
	d.runMu.Unlock()
	unheld := func() {
		d.runMu.Lock()
		for _, id := range ids {
			if d.held[id]--; d.held[id] <= 0 {
				delete(d.held, id)
			}
		}
		d.runMu.Unlock()
	}
	for _, r := range waits {
		select {
		case <-r.done:
		case <-ctx.Done():
			unheld()
			return nil, ctx.Err()
		}
	}
	var releases []func()
	for _, id := range ids {
		releases = append(releases, d.tokens.Hold(id))
	}
	return func() {
		for i := len(releases) - 1; i >= 0; i-- {
			releases[i]()
		}
		unheld()
	}, nil
}

// Finish completes a connection saved unfinished: its tokens were saved
// but the bank did not answer for its details or accounts right after the
// login (connect.Result.Unfinished). done is false when connectionID was
// not unfinished. res.ConnectionID is the connection it became (it may
// have joined one that already held its accounts). An error matching
// connect.ErrUnfinished means the bank still did not answer.
func (d *Desk) Finish(ctx context.Context, connectionID string) (res connect.Result, done bool, err error) {
	c, err := d.store.Connection(connectionID)
	if err != nil || !c.Unfinished {
		return connect.Result{ConnectionID: connectionID}, false, nil // Sync reports a missing one
	}
	at, err := d.tokens.Access(ctx, connectionID)
	if err != nil {
		return connect.Result{ConnectionID: connectionID}, true, err
	}
	res, err = d.flow.Finish(ctx, connectionID, at)
	if err == nil && res.Unfinished {
		err = connect.ErrUnfinished
		if res.Cause != nil {
			err = fmt.Errorf("%w (%w)", connect.ErrUnfinished, res.Cause)
		}
	}
	if err != nil {
		return connect.Result{ConnectionID: connectionID}, true, err
	}
	return res, true, nil
}

// finishFirst finishes connectionID if it is unfinished and tells progress
// what that did; it returns the connection to sync.
func (d *Desk) finishFirst(ctx context.Context, connectionID string, progress func(syncer.Progress)) (string, error) {
	res, done, err := d.Finish(ctx, connectionID)
	if !done {
		return connectionID, nil
	}
	if err != nil {
		// A sentence for the user (package problem words it), the cause
		// kept for its details and the log.
		d.log.Warn("unfinished connection not finished yet", "connection", connectionID, "err", err)
		if errors.Is(err, tokens.ErrReconnectNeeded) || errors.Is(err, connect.ErrUnfinished) {
			return connectionID, err
		}
		return connectionID, fmt.Errorf("%w (%w)", connect.ErrUnfinished, err)
	}
	if progress != nil {
		msg := fmt.Sprintf("Finished connecting %s: %s", res.ProviderName, connect.Holdings(res.Accounts, res.Cards))
		for _, n := range append(res.Notes, res.Warnings...) {
			msg += ". " + strings.TrimSuffix(n, ".")
		}
		progress(syncer.Progress{ConnectionID: res.ConnectionID, AccountName: res.ProviderName, Phase: PhaseConnect, Message: msg + "."})
	}
	return res.ConnectionID, nil
}

// RetryOlder has the next sync of one connection (every connection when
// connectionID is empty) ask again for the older history its bank refused;
// see syncer.RetryOlder.
func (d *Desk) RetryOlder(connectionID string) error {
	ids := []string{connectionID}
	if connectionID == "" {
		conns, err := d.store.Connections()
		if err != nil {
			return fmt.Errorf("read connections: %w", err)
		}
		ids = ids[:0]
		for _, c := range conns {
			ids = append(ids, c.ID)
		}
	}
	for _, id := range ids {
		if err := syncer.RetryOlder(d.store, id); err != nil {
			return fmt.Errorf("connection %s: %w", id, err)
		}
	}
	return nil
}

// Tokens hands out fresh access tokens for stored connections.
func (d *Desk) Tokens() *tokens.Keeper { return d.tokens }

func mode(attended bool) syncer.Mode {
	if attended {
		return syncer.Attended
	}
	return syncer.Background
}

// pollInterval is the client's first wait between polls of an async task.
// TrueLayer's tasks take a while, so the client's default (500 ms, then
// doubling) suits it. A loopback API host is a sandbox on this machine
// (built-in, or a standalone `bankdesk sandbox`), whose tasks are ready at
// the first poll: waiting half a second on each of a backfill's 75 windows
// would make the sandbox's six years take 30 s instead of about one.
func pollInterval(apiURL string) time.Duration {
	u, err := url.Parse(apiURL)
	if err != nil {
		return 0
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); host == "localhost" || ip != nil && ip.IsLoopback() {
		return 10 * time.Millisecond
	}
	return 0 // the client's default
}

// Disconnect revokes a connection and removes it (connect.Flow.Disconnect),
// then takes a snapshot: a repair restores from the newest one, which must
// not bring the connection back.
func (d *Desk) Disconnect(ctx context.Context, connectionID string, keepData bool) error {
	err := d.flow.Disconnect(ctx, connectionID, keepData)
	d.snapshot()
	return err
}
