package desk

import (
	"bankdesk/backend/bankday"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"bankdesk/backend/internal/testenv"
	"bankdesk/backend/syncer"
)

func TestPollIntervalIsShortOnlyForALocalSandbox(t *testing.T) {
	for url, short := range map[string]bool{
		"http://127.0.0.1:4000": true, "http://localhost:4000": true, "http://[::1]:4000": true,
		"https://api.truelayer.com": false, "https://api.truelayer-sandbox.com": false,
	} {
		if got := pollInterval(url) > 0; got != short {
			t.Errorf("%s: short poll %v", url, got)
		}
	}
}

// Desk wires the sync engine to the store: a sync fills what Transactions
// and Accounts read, offline, in the shapes the UI and the CLI print.
func TestSyncFillsTransactionsAndAccountViews(t *testing.T) {
	d, sb := openWithSandbox(t)
	ctx := context.Background()
	id := testenv.Connect(t, d.Flow(), "john", "doe").ConnectionID
	accts, _ := d.Accounts()
	if accts[0].HistoryFrom != "" || accts[0].LastSyncedAt != "" {
		t.Fatalf("before any sync: %+v", accts[0])
	}

	phases := map[string]int{}
	complete := map[string]bool{} // accounts whose backfill reached its last window
	rep, err := d.Sync(ctx, id, true, func(p syncer.Progress) {
		phases[p.Phase]++
		if p.Phase == syncer.PhaseBackfill && p.Window == p.Windows {
			complete[p.AccountID] = true
		}
	})
	if err != nil || !rep.OK() {
		t.Fatalf("sync: %v %+v", err, rep)
	}
	// Six years in quarters: 24 or 25 deep windows and the recent days.
	if phases[syncer.PhaseBackfill] < 75 || phases[syncer.PhaseDone] != 3 || len(complete) != 3 {
		t.Fatalf("progress phases %v, complete %v", phases, complete)
	}
	reports, err := d.SyncAll(ctx, false, nil)
	if err != nil || len(reports) != 1 || !reports[0].OK() {
		t.Fatalf("SyncAll: %v %+v", err, reports)
	}

	accts, err = d.Accounts()
	if err != nil {
		t.Fatal(err)
	}
	truth := sb.Truth("john")
	for _, a := range accts {
		if _, err := time.Parse(time.DateOnly, a.HistoryFrom); err != nil || a.HistoryLimited {
			t.Errorf("%s: history_from %q limited %v", a.DisplayName, a.HistoryFrom, a.HistoryLimited)
		}
		if _, err := time.Parse(time.RFC3339, a.LastSyncedAt); err != nil {
			t.Errorf("%s: last_synced_at %q", a.DisplayName, a.LastSyncedAt)
		}
	}

	cur := truth.Accounts[0]
	txs, err := d.Transactions(TxQuery{AccountID: cur.AccountID, IncludePending: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(txs) != len(cur.Booked)+len(cur.Pending) {
		t.Fatalf("%d transactions, the bank has %d booked and %d pending", len(txs), len(cur.Booked), len(cur.Pending))
	}
	for i := 1; i < len(txs); i++ {
		if txs[i].BookedAt < txs[i-1].BookedAt {
			t.Fatalf("not oldest first at %d", i)
		}
	}
	raw, _ := json.Marshal(txs[len(txs)-1])
	var item map[string]any
	if err := json.Unmarshal(raw, &item); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"id", "accountId", "accountName", "bookedAt", "description", "merchant", "category", "amount", "currency", "type", "status"} {
		if _, ok := item[k]; !ok {
			t.Errorf("transaction JSON lacks %q: %s", k, raw)
		}
	}
	var sawPending, sawRunning bool
	for _, tx := range txs {
		sawPending = sawPending || tx.Status == "pending"
		sawRunning = sawRunning || tx.RunningBalance != ""
		if tx.Type == "DEBIT" && !strings.HasPrefix(tx.Amount, "-") {
			t.Fatalf("money out must be negative: %+v", tx)
		}
		if !strings.Contains(tx.Amount, ".") {
			t.Fatalf("amount %q is not a money decimal", tx.Amount)
		}
	}
	if !sawPending || !sawRunning {
		t.Fatalf("pending %v, running balances %v", sawPending, sawRunning)
	}

	booked, _ := d.Transactions(TxQuery{AccountID: cur.AccountID})
	if len(booked) != len(cur.Booked) {
		t.Fatalf("without pending: %d, want %d", len(booked), len(cur.Booked))
	}
	day := bankday.In(cur.Booked[len(cur.Booked)/2].Timestamp, bankday.London)
	one, _ := d.Transactions(TxQuery{From: day, To: day, IncludePending: true})
	if len(one) == 0 {
		t.Fatal("one-day query found nothing")
	}
	for _, tx := range one {
		if tx.BookingDate != day.String() || !strings.HasPrefix(tx.BookedAt, day.String()) {
			t.Fatalf("one-day query for %s returned %s (%s)", day, tx.BookingDate, tx.BookedAt)
		}
	}
	if len(one) == 0 {
		t.Fatal("one-day query returned nothing")
	}
	if _, err := d.Transactions(TxQuery{AccountID: "nope"}); err == nil {
		t.Fatal("unknown account accepted")
	}
}
