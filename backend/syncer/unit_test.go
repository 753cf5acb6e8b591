package syncer

import (
	"fmt"
	"net"
	"testing"
	"time"

	"bankdesk/backend/tokens"
	"bankdesk/backend/truelayer"
)

func d(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestWindowsAreCalendarAligned(t *testing.T) {
	anchor := d("2026-03-11")
	limit := historyLimit(anchor, 6)
	if !limit.Equal(d("2020-03-01")) {
		t.Fatalf("limit %s", limit)
	}
	if n := windowsBetween(limit, anchor, 3); n != 25 {
		t.Fatalf("%d windows", n)
	}
	for _, c := range []struct{ to, from string }{
		{"2026-03-11", "2026-01-01"}, // the first ends today
		{"2025-12-31", "2025-10-01"},
		{"2020-05-31", "2020-03-01"},
		{"2020-03-31", "2020-03-01"}, // clamped at the limit
	} {
		if w := windowEndingAt(d(c.to), 3, limit); !w.from.Equal(d(c.from)) {
			t.Errorf("window ending %s starts %s, want %s", c.to, w.from.Format(time.DateOnly), c.from)
		}
	}
	if n := (window{d("2026-01-01"), d("2026-03-11")}).days(); n != 70 {
		t.Errorf("days %d", n)
	}
}

func TestIncrementalWindowsAreOldestFirstAndContiguous(t *testing.T) {
	ws := oldestFirst(d("2025-11-20"), d("2026-03-11"), 3)
	want := []window{{d("2025-11-20"), d("2025-12-31")}, {d("2026-01-01"), d("2026-03-11")}}
	if len(ws) != len(want) {
		t.Fatalf("%v", ws)
	}
	for i := range want {
		if !ws[i].from.Equal(want[i].from) || !ws[i].to.Equal(want[i].to) {
			t.Errorf("window %d = %s, want %s", i, ws[i], want[i])
		}
	}
	if ws := oldestFirst(d("2026-03-11"), d("2026-03-11"), 3); len(ws) != 1 || ws[0].days() != 1 {
		t.Errorf("one day: %v", ws)
	}
}

func TestLocalIPIsAnAddress(t *testing.T) {
	if ip := net.ParseIP(LocalIP()); ip == nil {
		t.Fatalf("LocalIP() = %q", LocalIP())
	}
}

func TestReportOK(t *testing.T) {
	if !(Report{}).OK() || (Report{Err: ErrInProgress}).OK() || (Report{Accounts: []AccountReport{{}, {Err: ErrInProgress}}}).OK() {
		t.Fatal("OK is wrong")
	}
	if !(Report{Accounts: []AccountReport{{Skipped: []string{epBalance}}}}).OK() {
		t.Fatal("a skipped endpoint is not a failure")
	}
}

// The gate bounds a connection's calls in flight, and a 429's pause holds
// back every call that enters after it, once: a pause waited out is over.
func TestGateBoundsCallsAndSharesPauses(t *testing.T) {
	var s sleeps
	g := newGate(2, s.Sleep)
	if err := g.enter(ctx); err != nil {
		t.Fatal(err)
	}
	if err := g.enter(ctx); err != nil {
		t.Fatal(err)
	}
	third := make(chan error, 1)
	go func() { third <- g.enter(ctx) }()
	select {
	case err := <-third:
		t.Fatalf("a third call entered a gate of two (%v)", err)
	case <-time.After(20 * time.Millisecond):
	}
	g.leave()
	if err := <-third; err != nil {
		t.Fatal(err)
	}
	g.leave()
	g.leave()

	g.pause(7 * time.Second)
	g.pause(2 * time.Second) // shorter: does not shorten the pause
	if err := g.enter(ctx); err != nil {
		t.Fatal(err)
	}
	g.leave()
	if err := g.enter(ctx); err != nil { // the pause was waited out
		t.Fatal(err)
	}
	g.leave()
	w := s.all()
	if len(w) != 1 || w[0] < 6*time.Second || w[0] > 7*time.Second {
		t.Fatalf("waits %v, want one of about 7s", w)
	}
}

// A connection's windows are fetched side by side: one can read the
// connection already marked reconnect_needed (an error without the bank's
// answer) and record that before the call whose 403 marked it records its
// own. The report keeps the bank's answer, whatever the order.
func TestConnectionErrorKeepsTheBanksAnswer(t *testing.T) {
	marked := fmt.Errorf("connection c: %w", tokens.ErrReconnectNeeded)
	bank := fmt.Errorf("connection c: %w (%w)", tokens.ErrReconnectNeeded, &truelayer.Error{Status: 403, Code: "access_denied"})
	s := &syncRun{}
	s.failConnection(marked)
	s.failConnection(bank)
	s.failConnection(marked)
	if got := s.connErr(); got != bank {
		t.Fatalf("connection error %v, want the bank's %v", got, bank)
	}
}
