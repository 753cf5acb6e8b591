package syncer

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"bankdesk/backend/sandbox"
	"bankdesk/backend/store"
	"bankdesk/backend/tokens"
)

// The whole pipeline against the sandbox with faults switched on at chosen
// points of the backfill: 429s with Retry-After, 503 bursts, truncated
// bodies, access tokens that die mid-backfill. The store must end exactly
// as the bank is, and stay so.
func TestSyncEqualsTheBankDespiteFaults(t *testing.T) {
	e := newEnv(t, envOptions{})
	before := e.conn()
	e.clk.Add(time.Minute) // so a refresh shows in LastRefreshAt
	e.sb.SetFaults(sandbox.Faults{RateLimit: 2, RetryAfter: 7, ServerErrors: 3})
	// The faults fire on whichever requests come next, so now and then one
	// call takes several sets in a row; with more attempts than there are
	// faults, none gives up (giving up has tests of its own).
	e.opts.Retry.MaxAttempts, e.opts.Retry.MaxElapsed = 16, time.Hour

	// Each set is armed at its window, or later once the one before has
	// fully fired: SetFaults replaces what is left, and parallel windows
	// can run ahead of the faults, which would then never fire.
	stages := []struct {
		at     int
		faults sandbox.Faults
	}{
		{3, sandbox.Faults{Truncate: 2}}, // the 202 and the poll with the results
		{6, sandbox.Faults{ExpireTokensAfter: 3}},
		{12, sandbox.Faults{ServerErrors: 4, ServerErrorStatus: 504}},
		{20, sandbox.Faults{Truncate: 1, Path: "/results/"}},
		{30, sandbox.Faults{RateLimit: 1, RetryAfter: 2, ExpireTokensAfter: 1}},
	}
	armed := 0
	var events []Progress
	windows := 0
	rep, err := e.engine().Sync(ctx, e.connID, Attended, func(p Progress) {
		events = append(events, p)
		if p.Phase != PhaseBackfill {
			return
		}
		windows++
		if armed < len(stages) && windows >= stages[armed].at && unfired(e.sb.Faults()) == 0 {
			e.sb.SetFaults(stages[armed].faults)
			armed++
		}
	})
	if err != nil || !rep.OK() {
		t.Fatalf("sync: %v, %s", err, describe(rep))
	}
	if armed != len(stages) {
		t.Fatalf("only %d of %d fault sets armed before the backfill ended: the test proves less than it says", armed, len(stages))
	}
	if f := e.sb.Faults(); unfired(f) != 0 {
		t.Fatalf("faults left unfired, the test proves less than it says: %+v", f)
	}

	// Every retry waited: each 5xx and truncation for itself, each 429 for
	// what Retry-After asked, all of the connection's calls together (two
	// 429s at once share one pause); nothing waited beyond MaxDelay unasked.
	waits := e.sleeps.all()
	long := 0
	for _, w := range waits {
		if w >= 6*time.Second {
			long++
		}
		if w > 30*time.Second {
			t.Fatalf("wait %s above MaxDelay without a Retry-After asking for it", w)
		}
	}
	if len(waits) < 3+2+4+1+1 || long < 1 || !slices.ContainsFunc(waits, func(w time.Duration) bool { return w > 1500*time.Millisecond && w <= 2*time.Second }) {
		t.Fatalf("waits %v: want one per 5xx and truncation, one of about Retry-After 7s and one of 2s", waits)
	}
	after := e.conn()
	if after.Status != store.StatusActive || !after.LastRefreshAt.After(before.LastRefreshAt) || after.RefreshToken == before.RefreshToken {
		t.Fatalf("connection after expired tokens: status %s, refreshed %v", after.Status, after.LastRefreshAt.After(before.LastRefreshAt))
	}
	truth := e.sb.Truth("john")
	assertTruth(t, e.st, truth, time.Time{})
	assertBackfillShape(t, rep, events)

	// Again: nothing changes.
	rep, _ = e.mustSync(Attended)
	for _, a := range rep.Accounts {
		if a.Added != 0 || a.Updated != 0 {
			t.Errorf("second sync of %s: +%d ~%d, want nothing", a.Name, a.Added, a.Updated)
		}
	}
	assertTruth(t, e.st, truth, time.Time{})
}

// unfired counts the faults f still has to fire.
func unfired(f sandbox.Faults) int {
	return f.RateLimit + f.ServerErrors + f.Truncate + f.ExpireTokensAfter
}

// The backfill reads the deep history (older than 90 days) first, in
// calendar-aligned windows that cover it from the first of the month six
// years back without gap or overlap, then the recent 90 days; its window
// count ends at the total.
func assertBackfillShape(t *testing.T, rep Report, events []Progress) {
	t.Helper()
	limit := time.Date(2020, 3, 1, 0, 0, 0, 0, time.UTC)
	recentFrom := dayOf(start).AddDate(0, 0, -recentDays)
	for _, a := range rep.Accounts {
		if !a.HistoryFrom.Equal(limit) || a.HistoryLimited {
			t.Errorf("%s: history from %s (limited %v), want %s", a.Name, a.HistoryFrom, a.HistoryLimited, limit)
		}
		var deep, recent []Progress
		for _, p := range events {
			if p.AccountID != a.AccountID || p.Phase != PhaseBackfill || p.Window == 0 {
				continue
			}
			if p.WindowTo.Before(recentFrom) {
				if len(recent) > 0 {
					t.Errorf("%s: deep window %s..%s after the recent days", a.Name, p.WindowFrom, p.WindowTo)
				}
				deep = append(deep, p)
			} else {
				recent = append(recent, p)
			}
		}
		cover := func(what string, ws []Progress, from, to time.Time) {
			slices.SortFunc(ws, func(x, y Progress) int { return x.WindowFrom.Compare(y.WindowFrom) })
			next := from
			for _, p := range ws {
				if !p.WindowFrom.Equal(next) || p.WindowTo.Before(p.WindowFrom) {
					t.Errorf("%s: %s window %s..%s, want one from %s", a.Name, what, p.WindowFrom, p.WindowTo, next)
				}
				if what == "deep" && p.WindowFrom.Day() != 1 {
					t.Errorf("%s: deep window starts mid-month: %s", a.Name, p.WindowFrom)
				}
				next = p.WindowTo.AddDate(0, 0, 1)
			}
			if !next.Equal(to.AddDate(0, 0, 1)) {
				t.Errorf("%s: %s windows end at %s, want %s", a.Name, what, next.AddDate(0, 0, -1), to)
			}
		}
		cover("deep", slices.Clone(deep), limit, recentFrom.AddDate(0, 0, -1))
		cover("recent", slices.Clone(recent), recentFrom, dayOf(start))
		if len(deep) != 24 || len(recent) != 2 {
			t.Errorf("%s: %d deep and %d recent windows, want 24 and 2", a.Name, len(deep), len(recent))
		}
		if last := recent[len(recent)-1]; last.Window != last.Windows || last.Windows != len(deep)+len(recent) {
			t.Errorf("%s: last window %d/%d, want %d/%d", a.Name, last.Window, last.Windows, len(deep)+len(recent), len(deep)+len(recent))
		}
	}
}

// Days later: pending transactions that booked leave the pending set and
// appear once as booked; one whose details changed at the bank is updated
// in place, not duplicated.
func TestLaterSyncsFollowTheBank(t *testing.T) {
	e := newEnv(t, envOptions{years: 1})
	e.mustSync(Attended)
	truth := e.sb.Truth("john")
	cur := truth.Accounts[0]
	if len(cur.Pending) == 0 {
		t.Fatal("the sandbox has nothing pending; the test needs some")
	}
	since := dayOf(start).AddDate(-1, 0, 0).AddDate(0, 0, 1-dayOf(start).Day())

	// The merchant and category of the newest booked transaction change at
	// the bank (here: the stored copy is made to differ from the bank's).
	newest, err := e.st.NewestTransactions(cur.AccountID, 1)
	if err != nil || len(newest) != 1 {
		t.Fatal(newest, err)
	}
	stale := newest[0]
	stale.Merchant, stale.Category, stale.Classification = "Old Merchant Name", "OTHER", nil
	if _, _, err := e.st.PutTransactions(cur.AccountID, []store.Transaction{stale}); err != nil {
		t.Fatal(err)
	}
	// And a pending card authorisation the bank has since dropped.
	pend, _ := e.st.Pending(cur.AccountID)
	pend = append(pend, store.Transaction{BookedAt: dayOf(start), Description: "HOTEL DEPOSIT HOLD", Amount: decimal.New(-20000, -2),
		Currency: "GBP", Type: store.TypeDebit, NormalisedProviderID: "txn-withdrawn-hold"})
	if err := e.st.ReplacePending(cur.AccountID, pend); err != nil {
		t.Fatal(err)
	}

	e.clk.Add(3 * 24 * time.Hour)
	rep, _ := e.mustSync(Attended)
	later := e.sb.Truth("john")
	assertTruth(t, e.st, later, since) // the pending set is the bank's: the withdrawn hold is gone

	booked := map[string]bool{}
	for _, tt := range later.Accounts[0].Booked {
		booked[tt.Description+tt.Amount.String()+tt.Timestamp.Format(time.DateOnly)] = true
	}
	settled := 0
	for _, p := range cur.Pending {
		if slices.ContainsFunc(later.Accounts[0].Pending, func(x sandbox.TruthTransaction) bool { return x.ID == p.ID }) {
			continue
		}
		settled++
	}
	if settled == 0 {
		t.Fatal("no pending transaction settled in three days; the test proves nothing")
	}
	if got := rep.Accounts[0]; got.Updated != 1 || got.Added == 0 {
		t.Fatalf("%s: +%d ~%d, want the changed transaction updated once and the new ones added", got.Name, got.Added, got.Updated)
	}
	fixed, err := e.st.Transaction(cur.AccountID, stale.Key)
	if err != nil || fixed.Merchant != newest[0].Merchant || fixed.Category != newest[0].Category {
		t.Fatalf("changed transaction after sync: %+v, %v", fixed, err)
	}
}

// After the 5-minute SCA window the bank refuses anything older than 90
// days: the backfill keeps what it can, records how far back history
// reaches, and the connection stays healthy.
func TestExpiredSCAWindowLimitsHistoryTo90Days(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.sb.SetFaults(sandbox.Faults{SCAExpired: true})
	rep, events := e.mustSync(Attended)
	want := dayOf(start).AddDate(0, 0, -89)
	for _, a := range rep.Accounts {
		if !a.HistoryLimited || !a.HistoryFrom.Equal(want) || len(a.Notes) == 0 {
			t.Errorf("%s: limited %v from %s notes %q, want limited from %s", a.Name, a.HistoryLimited, a.HistoryFrom, a.Notes, want)
		}
		st, err := ReadState(e.st, a.AccountID)
		if err != nil || !st.BackfillDone || !st.HistoryLimited || !st.HistoryFrom.Equal(want) {
			t.Errorf("%s: stored state %+v, %v", a.Name, st, err)
		}
		oldest, ok, _ := e.st.OldestBookedAt(a.AccountID)
		if !ok || oldest.Before(want) {
			t.Errorf("%s: oldest stored %s, before the limit %s", a.Name, oldest, want)
		}
	}
	if c := e.conn(); c.Status != store.StatusActive {
		t.Fatalf("connection %s after sca_exceeded, want active", c.Status)
	}
	// The deep windows are refused; then the recent 90 days, oldest first:
	// the tail of the last quarter, then this one.
	var got []string
	for _, p := range events {
		if p.AccountID == rep.Accounts[0].AccountID && p.Phase == PhaseBackfill {
			got = append(got, p.WindowFrom.Format(time.DateOnly)+".."+p.WindowTo.Format(time.DateOnly))
		}
	}
	if w := []string{want.Format(time.DateOnly) + "..2025-12-31", "2026-01-01..2026-03-11"}; !slices.Equal(got, w) {
		t.Errorf("backfill windows %v, want %v", got, w)
	}
	assertTruth(t, e.st, e.sb.Truth("john"), want)

	// Later syncs do not knock on the closed door again.
	before := e.wire.calls("/transactions", true)
	e.mustSync(Attended)
	if got := e.wire.calls("/transactions", true) - before; got != 3 {
		t.Fatalf("%d transaction calls in the next sync, want one incremental per account", got)
	}
}

// A consent revoked at the bank: the sync says reconnect, marks the
// connection, and keeps every byte already stored.
func TestRevokedConsentNeedsReconnectAndKeepsData(t *testing.T) {
	e, truth, stored := syncedYear(t)
	if err := e.client.Revoke(ctx, e.conn().AccessToken); err != nil {
		t.Fatal(err)
	}
	rep, _ := e.sync(Attended)
	assertReconnect(t, e, rep, stored, truth)
}

// Ninety days on, the consent has lapsed: refreshing fails with
// invalid_grant and the same happens.
func TestExpiredConsentNeedsReconnectAndKeepsData(t *testing.T) {
	e, truth, stored := syncedYear(t)
	e.clk.Add(91 * 24 * time.Hour)
	rep, _ := e.sync(Background)
	assertReconnect(t, e, rep, stored, truth)
}

func assertReconnect(t *testing.T, e *env, rep Report, stored int, truth sandbox.Truth) {
	t.Helper()
	if !errors.Is(rep.Err, tokens.ErrReconnectNeeded) || rep.OK() {
		t.Fatalf("report error %v, want reconnect needed", rep.Err)
	}
	if len(rep.Accounts) != 3 {
		t.Fatalf("%d accounts in the report, want all 3", len(rep.Accounts))
	}
	for _, a := range rep.Accounts {
		if !errors.Is(a.Err, tokens.ErrReconnectNeeded) || a.HistoryFrom.IsZero() {
			t.Errorf("%s: %v (history from %s)", a.Name, a.Err, a.HistoryFrom)
		}
	}
	if c := e.conn(); c.Status != store.StatusReconnectNeeded || c.RefreshToken == "" {
		t.Fatalf("connection status %s", c.Status)
	}
	if got := countBooked(t, e.st, truth); got != stored {
		t.Fatalf("%d transactions after reconnect-needed, had %d", got, stored)
	}
	for _, a := range truth.Accounts {
		if _, err := e.st.Balance(a.AccountID); err != nil {
			t.Fatalf("balance lost: %v", err)
		}
	}
	// A connection known to need the user is not even tried.
	calls := len(e.wire.hits)
	rep, _ = e.sync(Attended)
	if !errors.Is(rep.Err, tokens.ErrReconnectNeeded) || len(e.wire.hits) != calls {
		t.Fatalf("second sync: %v after %d more calls", rep.Err, len(e.wire.hits)-calls)
	}
}

// Some banks say access_denied, not sca_exceeded, for history they will no
// longer give. Refused for old windows only, once recent ones worked, that
// limits history like sca_exceeded; refused for everything, it is a
// consent that is gone.
func TestAccessDeniedForOldWindowsLimitsHistory(t *testing.T) {
	const denied = `{"error":"access_denied","error_description":"Access to a specific resource has been denied.","error_details":{}}`
	oldWindow := func(req *http.Request) bool {
		from, err := time.Parse(time.DateOnly, req.URL.Query().Get("from"))
		return strings.HasSuffix(req.URL.Path, "/transactions") && err == nil && from.Before(dayOf(start).AddDate(0, 0, -90))
	}
	e := newEnv(t, envOptions{})
	e.wire.refuse = func(req *http.Request) (int, string) {
		if oldWindow(req) {
			return http.StatusForbidden, denied
		}
		return 0, ""
	}
	rep, _ := e.mustSync(Attended)
	want := dayOf(start).AddDate(0, 0, -89)
	for _, a := range rep.Accounts {
		if !a.HistoryLimited || !a.HistoryFrom.Equal(want) {
			t.Errorf("%s: limited %v from %s, want from %s", a.Name, a.HistoryLimited, a.HistoryFrom, want)
		}
	}
	if c := e.conn(); c.Status != store.StatusActive {
		t.Fatalf("connection %s", c.Status)
	}
	assertTruth(t, e.st, e.sb.Truth("john"), want)

	// Everything refused: not a history limit but a lost consent.
	e2 := newEnv(t, envOptions{})
	e2.wire.refuse = func(req *http.Request) (int, string) {
		if strings.Contains(req.URL.Path, "/transactions") {
			return http.StatusForbidden, denied
		}
		return 0, ""
	}
	rep, _ = e2.sync(Attended)
	if !errors.Is(rep.Err, tokens.ErrReconnectNeeded) || e2.conn().Status != store.StatusReconnectNeeded {
		t.Fatalf("all refused: %v, status %s", rep.Err, e2.conn().Status)
	}
	for _, a := range rep.Accounts {
		if st, _ := ReadState(e2.st, a.AccountID); st.HistoryLimited {
			t.Errorf("%s marked history-limited by a revoked consent", a.Name)
		}
	}
}

// A call that polls and retries can outlive more than one access token:
// a 401 on the second token too is refreshed again, not the end of the
// sync. A bank that refuses every new token ends the call after
// maxRefreshes, instead of looping.
func TestACallOutlivesTwoTokensButNotEvery(t *testing.T) {
	const expired = `{"error":"invalid_token","error_description":"The token expired."}`
	// refuseBalance refuses the first n balance requests of one account
	// (the first asked for), whichever token they carry.
	refuseBalance := func(e *env, n int) (hits func() int) {
		var mu sync.Mutex
		var path string
		seen := 0
		e.wire.refuse = func(req *http.Request) (int, string) {
			mu.Lock()
			defer mu.Unlock()
			if !strings.HasSuffix(req.URL.Path, "/balance") {
				return 0, ""
			}
			if path == "" {
				path = req.URL.Path
			}
			if req.URL.Path != path {
				return 0, ""
			}
			seen++
			if seen <= n {
				return http.StatusUnauthorized, expired
			}
			return 0, ""
		}
		return func() int { mu.Lock(); defer mu.Unlock(); return seen }
	}

	e := newEnv(t, envOptions{})
	hits := refuseBalance(e, 2)
	rep, err := e.engine().Sync(ctx, e.connID, Attended, nil)
	if err != nil || !rep.OK() {
		t.Fatalf("two tokens refused in one call: %v, %s", err, describe(rep))
	}
	if got := hits(); got != 3 {
		t.Errorf("balance asked %d times, want 3 (two refused, one answered)", got)
	}

	e2 := newEnv(t, envOptions{})
	hits = refuseBalance(e2, 1<<30)
	rep, _ = e2.engine().Sync(ctx, e2.connID, Attended, nil)
	if rep.OK() {
		t.Fatalf("every token refused, yet the sync reports success: %s", describe(rep))
	}
	if got := hits(); got != maxRefreshes+1 {
		t.Errorf("balance asked %d times with every token refused, want %d", got, maxRefreshes+1)
	}
}
