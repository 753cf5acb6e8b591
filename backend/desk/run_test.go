package desk

import (
	"context"
	"sync"
	"testing"
	"time"

	"bankdesk/backend/consent"
	"bankdesk/backend/sandbox"
	"bankdesk/backend/view"
)

// fakeTicker records the periods Run asks for and lets a test tick them.
type fakeTicker struct {
	mu    sync.Mutex
	ticks map[time.Duration]chan time.Time
	asked chan time.Duration
}

func newFakeTicker() *fakeTicker {
	return &fakeTicker{ticks: map[time.Duration]chan time.Time{}, asked: make(chan time.Duration, 8)}
}

func (f *fakeTicker) start(d time.Duration) (<-chan time.Time, func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := make(chan time.Time)
	f.ticks[d] = c
	f.asked <- d
	return c, func() {}
}

func (f *fakeTicker) tick(t *testing.T, d time.Duration) {
	t.Helper()
	f.mu.Lock()
	c := f.ticks[d]
	f.mu.Unlock()
	if c == nil {
		t.Fatalf("no ticker of %v", d)
	}
	c <- time.Now()
}

// periods waits for Run to have started its two tickers.
func (f *fakeTicker) periods(t *testing.T) map[time.Duration]bool {
	t.Helper()
	got := map[time.Duration]bool{}
	for range 2 {
		select {
		case d := <-f.asked:
			got[d] = true
		case <-time.After(30 * time.Second):
			t.Fatalf("Run started %v only", got)
		}
	}
	return got
}

// The interval saved in Settings is the one the background schedule uses
// after a restart (the window used to start its timer from its own copy
// of the configuration: Settings said 120 minutes, syncs ran every 6 hours).
func TestRunUsesTheSavedSyncInterval(t *testing.T) {
	cfg := fileVaultConfig(t, nil)
	d := openDesk(t, Options{Config: cfg})
	if _, err := d.SaveSettings(view.EnvironmentChoice{Env: "builtin", SyncIntervalMinutes: 120}); err != nil {
		t.Fatal(err)
	}
	d.Close()

	ft := newFakeTicker()
	d = openDesk(t, Options{Config: cfg, Ticker: ft.start})
	if got := d.Settings().SyncIntervalMinutes; got != 120 {
		t.Fatalf("Settings says %d minutes", got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ended := make(chan struct{})
	go func() { d.Run(ctx); close(ended) }()
	got := ft.periods(t)
	if !got[120*time.Minute] || !got[consent.KeepAliveCheck] {
		t.Fatalf("Run ticks every %v, want 2h0m0s and %v", got, consent.KeepAliveCheck)
	}
	cancel()
	<-ended
}

// Run syncs every active connection at once and at each tick, unattended,
// and reports each sync to the Sink; closing the desk ends it.
func TestRunSyncsAtStartAndOnEachTick(t *testing.T) {
	sink := newRecordSink()
	ft := newFakeTicker()
	d := openDesk(t, Options{Config: fileVaultConfig(t, nil), Sink: sink, Ticker: ft.start})
	ctx := context.Background()
	start, err := d.Connect(ctx, "mock")
	if err != nil || start.Link == "" {
		t.Fatalf("connect: %+v %v", start, err)
	}
	cb, err := sandbox.Login(ctx, nil, start.Link, "john", "doe")
	if err != nil {
		t.Fatal(err)
	}
	d.CompleteAndTell(ctx, cb)
	if err := <-sink.logins; err != nil {
		t.Fatal(err)
	}
	backfill := <-sink.syncs // Complete backfills at once
	if !backfill.OK || len(backfill.Accounts) != 3 {
		t.Fatalf("backfill %+v", backfill)
	}

	ended := make(chan struct{})
	go func() { d.Run(ctx); close(ended) }()
	if first := <-sink.syncs; first.ConnectionID != backfill.ConnectionID || !first.OK {
		t.Fatalf("first background sync %+v", first)
	}
	ft.periods(t)
	ft.tick(t, d.SyncInterval())
	if next := <-sink.syncs; next.ConnectionID != backfill.ConnectionID {
		t.Fatalf("sync on the tick %+v", next)
	}
	d.Close()
	select {
	case <-ended:
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not end when the desk closed")
	}
}
