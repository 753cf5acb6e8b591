package syncer

import (
	"bytes"
	"context"
	"encoding/csv"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"bankdesk/backend/bankday"
	"bankdesk/backend/export"
	"bankdesk/backend/ledger"
	"bankdesk/backend/sandbox"
	"bankdesk/backend/store"
)

// What real banks do that the first sandbox did not: history horizons,
// reused ids, withdrawn bookings, a slow bank racing the SCA window, and
// a calendar that is not UTC's.

// londonMidnight is the instant a bank day starts in London.
func londonMidnight(day string) time.Time {
	d, err := bankday.Parse(day)
	if err != nil {
		panic(err)
	}
	return d.Midnight(bankday.London)
}

// A bank that keeps 500 days answers invalid_date_range for anything
// older. The first sync stores everything it keeps and says since when;
// the second sync is clean and never asks for the refused days again.
func TestHistoryHorizonStoresWhatTheBankKeeps(t *testing.T) {
	e := newEnv(t, envOptions{faults: sandbox.Faults{HistoryHorizonDays: 500}})
	rep, _ := e.mustSync(Attended)
	truth := e.sb.Truth("john")
	horizon := map[string]string{}
	for _, a := range append(slices.Clone(truth.Accounts), truth.Cards...) {
		horizon[a.AccountID] = a.HistoryFrom
	}
	for _, a := range rep.Accounts {
		if !a.HistoryLimited || a.HistoryFrom.Format(time.DateOnly) != horizon[a.AccountID] {
			t.Errorf("%s: history from %s (limited %v), want the horizon %s", a.Name, a.HistoryFrom, a.HistoryLimited, horizon[a.AccountID])
		}
		if !slices.ContainsFunc(a.Notes, func(n string) bool { return strings.Contains(n, "keeps history only since "+horizon[a.AccountID]) }) {
			t.Errorf("%s: notes %q do not say since when", a.Name, a.Notes)
		}
	}
	assertTruth(t, e.st, truth, londonMidnight(truth.Accounts[0].HistoryFrom))

	e.clk.Add(time.Hour)
	e.wire.reset()
	rep, _ = e.mustSync(Attended)
	for _, a := range rep.Accounts {
		for _, w := range e.wire.windows(a.AccountID) {
			if from, _, _ := strings.Cut(w, ".."); from < horizon[a.AccountID] {
				t.Errorf("%s: the second sync asked for %s, before the horizon %s", a.Name, w, horizon[a.AccountID])
			}
		}
		if !a.HistoryLimited || a.Err != nil {
			t.Errorf("%s: second sync %+v", a.Name, a)
		}
	}
	assertTruth(t, e.st, e.sb.Truth("john"), londonMidnight(truth.Accounts[0].HistoryFrom))

	// The user asks for older history: it is tried once, refused again, and
	// nothing is lost.
	if err := RetryOlder(e.st, e.connID); err != nil {
		t.Fatal(err)
	}
	e.wire.reset()
	rep, _ = e.mustSync(Attended)
	asked := 0
	for _, a := range rep.Accounts {
		for _, w := range e.wire.windows(a.AccountID) {
			if from, _, _ := strings.Cut(w, ".."); from < horizon[a.AccountID] {
				asked++
			}
		}
		if !a.HistoryLimited || a.HistoryFrom.Format(time.DateOnly) != horizon[a.AccountID] {
			t.Errorf("%s: after asking for older history: %+v", a.Name, a)
		}
	}
	if asked == 0 {
		t.Error("RetryOlder did not ask the bank again")
	}
	assertTruth(t, e.st, e.sb.Truth("john"), londonMidnight(truth.Accounts[0].HistoryFrom))
}

// A bank that reuses ids: two different transactions with one id, far
// apart or in opposite directions, are both kept, and stay two.
func TestReusedIDsAreKeptApart(t *testing.T) {
	e := newEnv(t, envOptions{faults: sandbox.Faults{ReusedIDs: true}})
	e.mustSync(Attended)
	truth := e.sb.Truth("john")
	reused := 0
	for _, a := range append(slices.Clone(truth.Accounts), truth.Cards...) {
		for _, tt := range a.Booked {
			if tt.ReusesIDsOf != "" {
				reused++
			}
		}
	}
	if reused < 50 {
		t.Fatalf("only %d reused ids in the truth", reused)
	}
	assertTruth(t, e.st, truth, time.Time{})
	e.clk.Add(time.Hour)
	rep, _ := e.mustSync(Attended)
	for _, a := range rep.Accounts {
		if a.Added != 0 || a.Updated != 0 || a.Removed != 0 {
			t.Errorf("second sync of %s: +%d ~%d -%d", a.Name, a.Added, a.Updated, a.Removed)
		}
	}
	assertTruth(t, e.st, e.sb.Truth("john"), time.Time{})
}

// A booking the bank stops listing is missing after one sync and removed
// after the second: kept, marked, and out of the totals and exports.
func TestRemovedBookingsLeaveTotalsAndExports(t *testing.T) {
	e := newEnv(t, envOptions{years: 1})
	e.mustSync(Attended)
	e.sb.SetFaults(sandbox.Faults{RemoveBookings: 1})
	truth := e.sb.Truth("john")
	cur := truth.Accounts[0]
	if len(cur.Removed) != 1 {
		t.Fatalf("the bank removed %d bookings of the current account", len(cur.Removed))
	}
	gone := cur.Removed[0]
	status := func() string {
		for _, tx := range storedBooked(t, e.st, cur.AccountID) {
			if tx.Key == truthKey(gone) {
				return tx.Status
			}
		}
		return "absent"
	}

	e.clk.Add(time.Hour)
	rep, _ := e.mustSync(Attended)
	if s := status(); s != store.TxBooked || rep.Accounts[0].Removed != 0 {
		t.Fatalf("after one sync without it: %s, removed %d", s, rep.Accounts[0].Removed)
	}
	e.clk.Add(24 * time.Hour)
	rep, _ = e.mustSync(Attended)
	if s := status(); s != store.TxRemoved || rep.Accounts[0].Removed != 1 {
		t.Fatalf("after two syncs without it: %s, removed %d", s, rep.Accounts[0].Removed)
	}
	truth = e.sb.Truth("john")
	cur = truth.Accounts[0]
	limit := storedFrom(t, e, cur.AccountID)
	assertTruth(t, e.st, truth, londonMidnight(limit))

	// Totals: the ledger's sums are the bank's, without the removed one.
	l, err := ledger.Load(e.st)
	if err != nil {
		t.Fatal(err)
	}
	var in, out decimal.Decimal
	for _, tt := range cur.Booked {
		if tt.BookingDate < limit {
			continue
		}
		if s := signed(tt); s.IsNegative() {
			out = out.Add(s)
		} else {
			in = in.Add(s)
		}
	}
	tot := l.Query(ledger.Query{AccountIDs: []string{cur.AccountID}, Status: store.TxBooked}).Totals
	if len(tot) != 1 || !tot[0].In.Add(tot[0].TransfersIn).Equal(in) || !tot[0].Out.Add(tot[0].TransfersOut).Equal(out) {
		t.Errorf("ledger totals %+v, the bank's are in %s out %s, transfers included", tot, in, out)
	}
	listed := l.Query(ledger.Query{AccountIDs: []string{cur.AccountID}, Status: store.TxRemoved})
	if listed.Total != 1 || listed.Rows[0].Key != truthKey(gone) {
		t.Errorf("the removed booking is not listed as removed: %+v", listed.Rows)
	}

	// Exports leave it out unless asked.
	ids := func(opts export.Options) []string {
		var buf bytes.Buffer
		opts.Accounts = []string{cur.AccountID}
		if _, err := export.CSV(context.Background(), &buf, e.st, opts); err != nil {
			t.Fatal(err)
		}
		records, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range records[1:] {
			out = append(out, r[14])
		}
		return out
	}
	if slices.Contains(ids(export.Options{}), truthKey(gone)) {
		t.Error("the removed booking is exported")
	}
	if !slices.Contains(ids(export.Options{IncludeRemoved: true}), truthKey(gone)) {
		t.Error("IncludeRemoved does not export it")
	}
}

// storedFrom is the first booking day stored for an account.
func storedFrom(t *testing.T, e *env, accountID string) string {
	t.Helper()
	first := ""
	for _, tx := range storedBooked(t, e.st, accountID) {
		if d := tx.Day().String(); first == "" || d < first {
			first = d
		}
	}
	return first
}

// The deep history is requested before anything else of the sync: the
// bank serves it only for minutes, the recent days stay readable.
func TestDeepHistoryIsRequestedFirst(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.wire.reset()
	e.mustSync(Attended)
	recentFrom := dayOf(start).AddDate(0, 0, -recentDays).Format(time.DateOnly)
	e.wire.mu.Lock()
	hits := slices.Clone(e.wire.hits)
	e.wire.mu.Unlock()
	lastDeep, firstOther := -1, -1
	for i, h := range hits {
		deep := strings.HasSuffix(h.path, "/transactions") && h.to != "" && h.to < recentFrom
		switch {
		case deep:
			lastDeep = i
		case firstOther < 0:
			firstOther = i
		}
	}
	if lastDeep < 0 || firstOther < 0 || lastDeep > firstOther {
		t.Fatalf("last deep window at request %d, first other request at %d (%+v)", lastDeep, firstOther, hits[max(firstOther, 0)])
	}
}

// A slow bank (a scaled-down version of 1.5 s per call, async jobs of 3 s
// and deep history for 60 s after the login) still gives up every deep
// transaction: the deep windows go first and side by side.
func TestSlowBankLosesNoDeepHistory(t *testing.T) {
	if testing.Short() {
		t.Skip("runs for about 15 s of real time")
	}
	e := newEnv(t, envOptions{realTime: true, pollInterval: 100 * time.Millisecond,
		faults: sandbox.Faults{DelayMS: 300, AsyncMS: 600, SCAWindowSeconds: 12}})
	rep, _ := e.mustSync(Attended)
	for _, a := range rep.Accounts {
		if a.HistoryLimited {
			t.Errorf("%s: history limited to %s: the SCA window closed first", a.Name, a.HistoryFrom)
		}
	}
	assertTruth(t, e.st, e.sb.Truth("john"), time.Time{})
}

// The bank's today is London's: at 23:30 UTC on 30 April it is already
// 1 May there, and 1 May's bookings are fetched.
func TestTodayIsTheBanksDay(t *testing.T) {
	e := newEnv(t, envOptions{years: 1})
	e.mustSync(Attended)
	for _, at := range []time.Time{
		time.Date(2026, 4, 5, 12, 0, 0, 0, time.UTC),   // refresh within 30 days
		time.Date(2026, 4, 30, 23, 30, 0, 0, time.UTC), // 00:30 on 1 May in London
	} {
		e.clk.Add(at.Sub(e.clk.Now()))
		e.mustSync(Attended)
	}
	truth := e.sb.Truth("john")
	if truth.Today != "2026-05-01" {
		t.Fatalf("the bank's today is %s", truth.Today)
	}
	if !slices.ContainsFunc(truth.Accounts[0].Booked, func(tt sandbox.TruthTransaction) bool { return tt.BookingDate == "2026-05-01" }) {
		t.Fatal("the bank booked nothing on 1 May: the test proves little")
	}
	assertTruth(t, e.st, truth, londonMidnight(storedFrom(t, e, truth.Accounts[0].AccountID)))
}
