package syncer

import (
	"net"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"bankdesk/backend/store"
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

func tx(typ, amount string) truelayer.Transaction {
	var ts truelayer.Time
	if err := ts.UnmarshalJSON([]byte(`"2026-03-06T00:00:00"`)); err != nil {
		panic(err)
	}
	return truelayer.Transaction{
		TransactionID: "per-request", NormalisedProviderTransactionID: "txn-1", ProviderTransactionID: "B1",
		Timestamp: ts, Description: "SAINSBURYS", Amount: decimal.RequireFromString(amount), Currency: "GBP",
		Type: typ, Category: "PURCHASE", Classification: []string{"Shopping", "Groceries"}, MerchantName: "Sainsbury's",
		RunningBalance: &truelayer.RunningBalance{Amount: decimal.RequireFromString("100.10"), Currency: "GBP"},
		Meta:           map[string]any{"provider_transaction_category": "DEB", "count": 2.0, "flag": true, "nested": map[string]any{"a": "b"}, "none": nil},
	}
}

// Direction comes from transaction_type, not the sign: card feeds send
// purchases as positive DEBITs.
func TestConversionSignsByTypeAndKeepsDetails(t *testing.T) {
	for _, c := range []struct{ typ, amount, want string }{
		{"DEBIT", "24.25", "-24.25"},  // card purchase
		{"DEBIT", "-2.99", "-2.99"},   // account purchase
		{"CREDIT", "0.77", "0.77"},    // interest
		{"CREDIT", "-50.00", "50.00"}, // a card repayment some banks sign negative
	} {
		got, skipped := toStore("acc", store.TxBooked, []truelayer.Transaction{tx(c.typ, c.amount)}, time.UTC)
		if skipped != 0 || len(got) != 1 {
			t.Fatal(got, skipped)
		}
		g := got[0]
		if !g.Amount.Equal(decimal.RequireFromString(c.want)) || g.Type != c.typ {
			t.Errorf("%s %s → %s %s, want %s", c.typ, c.amount, g.Amount, g.Type, c.want)
		}
		if g.AccountID != "acc" || g.Status != store.TxBooked || !g.BookedAt.Equal(d("2026-03-06")) || g.Merchant != "Sainsbury's" ||
			g.Category != "PURCHASE" || len(g.Classification) != 2 || g.NormalisedProviderID != "txn-1" || g.ProviderTransactionID != "B1" ||
			g.TransactionID != "per-request" || g.RunningBalance == nil || g.RunningBalance.String() != "100.1" {
			t.Errorf("details lost: %+v", g)
		}
		if m := g.Meta; m["provider_transaction_category"] != "DEB" || m["count"] != "2" || m["flag"] != "true" || m["nested"] != `{"a":"b"}` || len(m) != 4 {
			t.Errorf("meta %v", m)
		}
	}
	bad := tx("DEBIT", "1")
	bad.Timestamp = truelayer.Time{Raw: "2017-02-247T17:29:24Z"}
	got, skipped := toStore("acc", store.TxPending, []truelayer.Transaction{bad, tx("DEBIT", "1")}, time.UTC)
	if skipped != 1 || len(got) != 1 || got[0].Status != store.TxPending {
		t.Fatalf("unparseable timestamp: %d kept, %d skipped", len(got), skipped)
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
	case <-third:
		t.Fatal("a third call entered a gate of two")
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
