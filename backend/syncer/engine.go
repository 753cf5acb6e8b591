// Package syncer brings a connection's bank data into the store and keeps
// it current: a first backfill of each account and card, its deep history
// (older than 90 days, which banks serve only just after consent) read
// first and in parallel, then the recent days, incremental syncs, the
// pending set, balances, standing orders and direct debits. It retries
// what is transient, holds every call of a connection back when the bank
// says 429, refreshes tokens once on 401, spends no more than PSD2 allows
// when nobody is watching, respects where a bank's history ends, notices
// bookings a bank withdrew, and checkpoints after every window so that a
// killed process resumes with nothing missing and nothing twice.
package syncer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"bankdesk/backend/internal/defaults"
	"bankdesk/backend/internal/wait"
	"bankdesk/backend/store"
	"bankdesk/backend/tokens"
	"bankdesk/backend/truelayer"
)

// Mode says whether the user is at the screen.
type Mode int

const (
	// Background is a sync nobody asked for just now (a timer, an app
	// start). PSD2 lets the bank answer only four such calls per account
	// and endpoint a day, so each one is counted and the sync stops asking
	// once the day's budget is spent. It is the zero Mode: forgetting to
	// choose never overspends the user's budget.
	Background Mode = iota
	// Attended is a sync the user started and is watching. Its calls carry
	// X-PSU-IP, which tells the bank the user is present, so no daily limit
	// applies.
	Attended
)

func (m Mode) String() string {
	if m == Attended {
		return "attended"
	}
	return "background"
}

// UnattendedCallsPerDay is the PSD2 RTS art. 36(5) limit on calls made
// without the user per account, endpoint and day. The engine counts the
// bank's days; the budget is kept in each account's checkpoint, so it
// holds across restarts.
const UnattendedCallsPerDay = 4

// ErrInProgress is returned at once by a second Sync of a connection that
// is already syncing: two syncs of one connection would race for its
// tokens, budget and checkpoints.
var ErrInProgress = errors.New("this connection is already syncing")

// RetryPolicy bounds the retries of one Data API call that failed with
// something transient (429, 5xx, a timeout, a truncated body).
type RetryPolicy struct {
	MaxAttempts int           // tries in all, the first included; default 6
	BaseDelay   time.Duration // wait before the first retry, doubling after; default 500ms
	MaxDelay    time.Duration // cap of one backoff wait (a longer Retry-After is still honoured); default 30s
	MaxElapsed  time.Duration // give up when waiting more would pass this; default 2m
}

// Options configure an Engine. Store, Client and Tokens are required.
type Options struct {
	Store  *store.Store
	Client *truelayer.Client
	Tokens *tokens.Keeper
	Now    func() time.Time // nil means time.Now
	Log    *slog.Logger     // nil discards

	WindowMonths int           // months per backfill window; default 3
	HistoryYears int           // how far back a backfill reaches; default 6
	Overlap      time.Duration // how far before the newest stored booking an incremental sync starts; default 7 days
	// AsyncDays: transaction windows longer than this many days are
	// requested with async=true and polled (by the client) until ready;
	// shorter ones synchronously. Default 31.
	AsyncDays int
	// AccountsAtOnce is how many of a connection's accounts sync their
	// recent data concurrently; default 4.
	AccountsAtOnce int
	// DeepAtOnce bounds a connection's calls in flight: the deep-history
	// windows read side by side (across accounts and within one), and all
	// calls together. Default DefaultDeepAtOnce.
	DeepAtOnce int
	// Country gives a provider's country from TrueLayer's bank list ("uk",
	// "de"...; "" unknown), which decides the zone of its days (bankday);
	// nil goes by the provider id alone.
	Country func(providerID string) string
	Retry   RetryPolicy
	// Sleep waits between retries; nil sleeps for real. Tests inject one
	// that returns at once so Retry-After and backoff cost no time.
	Sleep func(ctx context.Context, d time.Duration) error
	// PSUIP is sent as X-PSU-IP on attended syncs; empty means LocalIP().
	PSUIP string

	// recentFirst is the order before the deep phase existed: each account
	// its recent days first, then its deep windows one at a time. Only the
	// benchmark that measures the difference sets it.
	recentFirst bool
}

// Defaults.
const (
	defaultWindowMonths = 3
	defaultHistoryYears = 6
	defaultOverlap      = 7 * 24 * time.Hour
	defaultAsyncDays    = 31
)

// DefaultDeepAtOnce is how many calls a connection has in flight at most.
// TrueLayer publishes no per-client limit, and a bank's own limit answers
// 429, which the gate honours for all calls at once. Measured against a
// bank taking 1.5 s per call and 3 s per async job, with deep history
// served for 60 s (BenchmarkSlowBank, BENCHMARKS.md), a six-year history
// of three accounts (69 deep windows) is in 34 s with 12; 8 finishes 4 s
// before the window closes, 4 loses 40 % of it. Twelve also leaves room
// for banks slower still within TrueLayer's documented 5 minutes, while
// more only loads the bank.
const DefaultDeepAtOnce = 12

// recentDays is how far back data is readable without a fresh bank
// authentication: TrueLayer answers sca_exceeded for anything older than 90
// days once the 5-minute SCA window has passed. One day less leaves room
// for the bank's day starting before ours.
const recentDays = 89

func (o Options) withDefaults() Options {
	if o.Now == nil {
		o.Now = time.Now
	}
	o.Log = defaults.Log(o.Log)
	if o.WindowMonths <= 0 {
		o.WindowMonths = defaultWindowMonths
	}
	if o.HistoryYears <= 0 {
		o.HistoryYears = defaultHistoryYears
	}
	if o.Overlap <= 0 {
		o.Overlap = defaultOverlap
	}
	if o.AsyncDays <= 0 {
		o.AsyncDays = defaultAsyncDays
	}
	if o.AccountsAtOnce <= 0 {
		o.AccountsAtOnce = 4
	}
	if o.DeepAtOnce <= 0 {
		o.DeepAtOnce = DefaultDeepAtOnce
	}
	r := &o.Retry
	if r.MaxAttempts <= 0 {
		r.MaxAttempts = 6
	}
	if r.BaseDelay <= 0 {
		r.BaseDelay = 500 * time.Millisecond
	}
	if r.MaxDelay <= 0 {
		r.MaxDelay = 30 * time.Second
	}
	if r.MaxElapsed <= 0 {
		r.MaxElapsed = 2 * time.Minute
	}
	if o.Sleep == nil {
		o.Sleep = wait.Sleep
	}
	return o
}

// Engine syncs connections. It is safe for concurrent use; one Engine per
// store, so that it can refuse a second sync of the same connection.
type Engine struct {
	o Options

	mu      sync.Mutex
	running map[string]bool // connection ids syncing now
}

// New returns an Engine; zero fields of o take their defaults.
func New(o Options) *Engine {
	return &Engine{o: o.withDefaults(), running: map[string]bool{}}
}

// Sync brings one connection's accounts and cards up to date, calling
// progress (which may be nil) as it goes.
//
// What went wrong at the bank is in the Report, never fatal: a failing
// account has AccountReport.Err and the others still sync; a consent that
// is gone sets Report.Err (matching tokens.ErrReconnectNeeded), marks the
// connection reconnect_needed and keeps all data. The error return is for a
// sync that could not run or finish: ErrInProgress, an unknown connection,
// an unreadable store, or ctx ending.
func (e *Engine) Sync(ctx context.Context, connectionID string, mode Mode, progress func(Progress)) (Report, error) {
	rep := Report{ConnectionID: connectionID}
	if !e.claim(connectionID) {
		return rep, fmt.Errorf("sync %s: %w", connectionID, ErrInProgress)
	}
	defer e.release(connectionID)

	conn, err := e.o.Store.Connection(connectionID)
	if err != nil {
		return rep, fmt.Errorf("sync %s: %w", connectionID, err)
	}
	accts, err := e.o.Store.AccountsOf(connectionID)
	if err != nil {
		return rep, fmt.Errorf("sync %s: read accounts: %w", connectionID, err)
	}
	s := e.newRun(conn, mode, progress)
	switch conn.Status {
	case store.StatusReconnectNeeded:
		rep.Err = fmt.Errorf("connection %s: %w", connectionID, tokens.ErrReconnectNeeded)
	case store.StatusRevoked:
		rep.Err = fmt.Errorf("connection %s: %w", connectionID, tokens.ErrRevoked)
	}
	rep.Accounts = make([]AccountReport, len(accts))
	if rep.Err != nil {
		for i, a := range accts {
			rep.Accounts[i] = s.untried(a)
			rep.Accounts[i].Err = rep.Err
		}
		return rep, nil
	}
	runs := make([]*accountRun, len(accts))
	for i, a := range accts {
		runs[i] = s.newAccountRun(a)
	}
	// The deep history first, for every account at once: the bank serves
	// it only for minutes. Then each account's recent data, a few at a
	// time; a problem of the whole connection stops those not started.
	if !e.o.recentFirst {
		s.deep(ctx, runs, e.o.DeepAtOnce)
	}
	// A slot is taken before the check, so an account waiting for one
	// does not start once the connection turned out unusable meanwhile.
	var g errgroup.Group
	g.SetLimit(e.o.AccountsAtOnce)
	tried := make([]bool, len(accts))
	for i, r := range runs {
		g.Go(func() error {
			if s.connErr() != nil || ctx.Err() != nil {
				return nil
			}
			tried[i] = true
			r.recent(ctx)
			if e.o.recentFirst {
				s.deep(ctx, []*accountRun{r}, 1)
			}
			return nil
		})
	}
	_ = g.Wait() // every account's error is in its report
	rep.Err = s.connErr()
	for i, r := range runs {
		ar := r.finish()
		if !tried[i] && ar.Err == nil {
			// Not tried: the connection is unusable, or the caller gave up.
			ar.Err = rep.Err
			if ar.Err == nil {
				ar.Err = ctx.Err()
			}
		}
		rep.Accounts[i] = ar
	}
	e.o.Log.Info("sync finished", "connection", connectionID, "mode", mode, "ok", rep.OK())
	if err := ctx.Err(); err != nil {
		return rep, fmt.Errorf("sync %s: %w", connectionID, err)
	}
	return rep, nil
}

func (e *Engine) claim(connID string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.running[connID] {
		return false
	}
	e.running[connID] = true
	return true
}

func (e *Engine) release(connID string) {
	e.mu.Lock()
	delete(e.running, connID)
	e.mu.Unlock()
}

// connectionLevel reports errors that concern the whole connection, so the
// other accounts are not tried.
func connectionLevel(err error) bool {
	return errors.Is(err, tokens.ErrReconnectNeeded) || errors.Is(err, tokens.ErrRevoked)
}
