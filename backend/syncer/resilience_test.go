package syncer

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"bankdesk/backend/sandbox"
	"bankdesk/backend/store"
)

// Two syncs of one connection never run at once: the second returns
// ErrInProgress at once, without a call to the bank.
func TestSecondSyncOfAConnectionIsRefused(t *testing.T) {
	e := newEnv(t, envOptions{years: 1})
	eng := e.engine()
	var second error
	var secondRep Report
	var took time.Duration
	asked := false
	rep, err := eng.Sync(ctx, e.connID, Attended, func(p Progress) {
		if !asked {
			asked = true
			start := time.Now()
			secondRep, second = eng.Sync(ctx, e.connID, Attended, nil)
			took = time.Since(start)
		}
	})
	if err != nil || !rep.OK() {
		t.Fatalf("first sync: %v %s", err, describe(rep))
	}
	if !errors.Is(second, ErrInProgress) || len(secondRep.Accounts) != 0 || took > 50*time.Millisecond {
		t.Fatalf("second sync: %v after %s", second, took)
	}
	// Once the first is over, the connection can sync again.
	if _, err := eng.Sync(ctx, e.connID, Attended, nil); err != nil {
		t.Fatalf("sync after the first finished: %v", err)
	}
}

// With the bank unreachable every account reports its failure, nothing is
// fatal, and what is stored stays readable.
func TestOfflineSyncIsReportedNotFatal(t *testing.T) {
	e, truth, stored := syncedYear(t)
	e.sb.Close()

	start := time.Now()
	rep, err := e.engine().Sync(ctx, e.connID, Attended, nil)
	if err != nil {
		t.Fatalf("offline sync returned %v; failures belong in the report", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Fatalf("offline sync took %s; a refused connection is not worth retrying", time.Since(start))
	}
	if rep.OK() || rep.Err != nil || len(rep.Accounts) != 3 {
		t.Fatalf("report: %s (connection error %v)", describe(rep), rep.Err)
	}
	for _, a := range rep.Accounts {
		if a.Err == nil || !strings.Contains(a.Err.Error(), "connect") {
			t.Errorf("%s: error %v", a.Name, a.Err)
		}
	}
	if c := e.conn(); c.Status != store.StatusActive {
		t.Fatalf("offline made the connection %s", c.Status)
	}
	if got := countBooked(t, e.st, truth); got != stored {
		t.Fatalf("stored %d, had %d", got, stored)
	}
	if _, err := e.st.Balance(truth.Accounts[0].AccountID); err != nil {
		t.Fatal(err)
	}
}

// A call that keeps failing gives up after MaxAttempts; that account
// reports it and the others still sync.
func TestRetriesAreBoundedAndOtherAccountsContinue(t *testing.T) {
	e := newEnv(t, envOptions{years: 1})
	card := e.sb.Truth("john").Cards[0].AccountID
	e.sb.SetFaults(sandbox.Faults{ServerErrors: 100, Path: card})
	e.opts.Retry = RetryPolicy{MaxAttempts: 4}
	rep, _ := e.sync(Attended)
	var failed []string
	for _, a := range rep.Accounts {
		if a.Err != nil {
			failed = append(failed, a.AccountID)
			if !strings.Contains(a.Err.Error(), "gave up after 4 attempts") {
				t.Errorf("error %v", a.Err)
			}
		} else if a.Added == 0 {
			t.Errorf("%s did not sync", a.Name)
		}
	}
	if !slices.Equal(failed, []string{card}) || rep.Err != nil {
		t.Fatalf("failed %v, want only the card", failed)
	}
	// Each call gave up after 4 attempts: those of the deep windows already
	// in flight when the first gave up, then the recent days'.
	if n := e.wire.calls(card+"/transactions", true); n%4 != 0 || n < 8 || n > 4*(DefaultDeepAtOnce+1) {
		t.Fatalf("%d attempts, want 4 per call", n)
	}

	// Retry-After longer than the time left gives up instead of waiting.
	e.sb.SetFaults(sandbox.Faults{RateLimit: 100, RetryAfter: 90, Path: card})
	e.opts.Retry = RetryPolicy{MaxElapsed: 2 * time.Minute}
	waited := len(e.sleeps.all())
	rep, _ = e.sync(Attended)
	if a := rep.Accounts[2]; a.Err == nil || !strings.Contains(a.Err.Error(), "gave up after 2 attempts") {
		t.Fatalf("card: %v", a.Err)
	}
	// It waited Retry-After once (the gate holds the connection's other
	// calls back meanwhile: their waits are up to 90s too), not twice.
	for _, w := range e.sleeps.all()[waited:] {
		if w > 90*time.Second || w < 80*time.Second {
			t.Fatalf("wait %v, want the 90s of Retry-After", w)
		}
	}
}

// Cancelled after any window (as a closing app would), a sync resumes from
// its checkpoints with a new Engine: each checkpoint lists exactly the
// windows stored, windows already stored are not fetched again, and the end
// result is the bank's, once.
func TestInterruptedBackfillResumes(t *testing.T) {
	e := newEnv(t, envOptions{})
	truth := e.sb.Truth("john")
	ids := []string{truth.Accounts[0].AccountID, truth.Accounts[1].AccountID, truth.Cards[0].AccountID}
	cur := ids[0]
	stored := map[string]map[string]bool{} // account → deep windows whose store was reported
	for _, id := range ids {
		stored[id] = map[string]bool{}
	}
	for _, stopAfter := range []int{1, 7, 20} {
		before := map[string]map[string]bool{}
		for _, id := range ids {
			before[id] = deepDone(t, e, id)
		}
		e.wire.reset()
		cctx, cancel := context.WithCancel(ctx)
		rep, err := e.engine().Sync(cctx, e.connID, Attended, func(p Progress) {
			if p.Phase != PhaseBackfill || p.WindowTo.After(dayOf(start).AddDate(0, 0, -recentDays)) {
				return
			}
			stored[p.AccountID][p.WindowFrom.Format(time.DateOnly)] = true
			if p.AccountID == cur && len(stored[cur]) >= stopAfter {
				cancel()
			}
		})
		cancel()
		if !errors.Is(err, context.Canceled) || rep.OK() {
			t.Fatalf("cancelled sync: %v", err)
		}
		for _, id := range ids {
			// The checkpoint lists exactly what was stored...
			if got := deepDone(t, e, id); !maps.Equal(got, stored[id]) {
				t.Fatalf("after %d windows: %s checkpoint lists %d deep windows, %d were stored", stopAfter, id, len(got), len(stored[id]))
			}
			// ...and what it listed before was not asked for again.
			for _, w := range e.wire.windows(id) {
				from, _, _ := strings.Cut(w, "..")
				if before[id][from] {
					t.Fatalf("%s: window %s fetched again although stored", id, w)
				}
			}
		}
	}
	e.wire.reset()
	before := deepDone(t, e, cur)
	rep, err := e.engine().Sync(ctx, e.connID, Attended, nil)
	if err != nil || !rep.OK() {
		t.Fatalf("resumed sync: %v %s", err, describe(rep))
	}
	for _, w := range e.wire.windows(cur) {
		if from, _, _ := strings.Cut(w, ".."); before[from] {
			t.Fatalf("resumed: window %s fetched again", w)
		}
	}
	for _, id := range ids {
		if st, _ := ReadState(e.st, id); !st.BackfillDone {
			t.Errorf("%s: backfill not done after the resumed sync", id)
		}
	}
	assertTruth(t, e.st, e.sb.Truth("john"), time.Time{})
}

// deepDone is the set of deep windows an account's checkpoint lists.
func deepDone(t *testing.T, e *env, accountID string) map[string]bool {
	t.Helper()
	cp, err := loadCheckpoint(e.st, accountID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, k := range cp.Backfill.Deep {
		out[k] = true
	}
	return out
}

// A crash after storing a window but before its checkpoint means the window
// is fetched again: dedupe makes that a no-op.
func TestRefetchingAStoredWindowAddsNothing(t *testing.T) {
	e := newEnv(t, envOptions{years: 1})
	e.mustSync(Attended)
	truth := e.sb.Truth("john")
	for _, a := range append(slices.Clone(truth.Accounts), truth.Cards...) {
		cp, err := loadCheckpoint(e.st, a.AccountID)
		if err != nil {
			t.Fatal(err)
		}
		// Back to "only the recent days and the newest deep window done".
		cp.Backfill = backfillState{Anchor: cp.Backfill.Anchor, Deep: cp.Backfill.Deep[:1], Recent: true}
		if err := saveCheckpoint(e.st, a.AccountID, cp); err != nil {
			t.Fatal(err)
		}
	}
	rep, _ := e.mustSync(Attended)
	for _, a := range rep.Accounts {
		if a.Added != 0 || a.Updated != 0 {
			t.Errorf("%s: +%d ~%d from windows already stored", a.Name, a.Added, a.Updated)
		}
	}
	assertTruth(t, e.st, truth, time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC))
}

// Standing orders and direct debits are stored where the bank has them;
// 501 (savings at the sandbox bank) and 403 mark them not applicable, and
// a 403 there says nothing about the consent.
func TestStandingOrdersAndDirectDebits(t *testing.T) {
	e := newEnv(t, envOptions{years: 1})
	rep, _ := e.mustSync(Attended)
	truth := e.sb.Truth("john")
	cur, sav := truth.Accounts[0].AccountID, truth.Accounts[1].AccountID
	so, err := e.st.StandingOrders(cur)
	if err != nil || len(so) != 2 || so[0].Payee != "J SMITH LETTINGS" || so[0].NextPaymentAmount == nil || so[0].NextPaymentDate.IsZero() {
		t.Fatalf("standing orders %+v, %v", so, err)
	}
	dd, err := e.st.DirectDebits(cur)
	if err != nil || len(dd) != 5 || dd[0].MandateID == "" || dd[0].PreviousPaymentAmount == nil {
		t.Fatalf("direct debits %+v, %v", dd, err)
	}
	if got := rep.Accounts[1].NotApplicable; !slices.Equal(got, []string{epStandingOrders, epDirectDebits}) {
		t.Fatalf("savings not applicable %v", got)
	}
	if st, _ := ReadState(e.st, sav); len(st.NotApplicable) != 2 {
		t.Fatalf("state %+v", st)
	}
	if len(rep.Accounts[0].NotApplicable) != 0 || len(rep.Accounts[2].NotApplicable) != 0 {
		t.Fatal("current account or card marked not applicable")
	}
}

func TestForbiddenStandingOrdersAreNotApplicable(t *testing.T) {
	// The consent lacks standing_orders, but the connection says it has it:
	// the bank answers 403 access_denied on that endpoint only.
	e := newEnv(t, envOptions{years: 1, scopes: []string{"info", "accounts", "balance", "cards", "transactions", "direct_debits", "offline_access"}})
	c := e.conn()
	c.Scopes = append(c.Scopes, "standing_orders")
	if err := e.st.PutConnection(c); err != nil {
		t.Fatal(err)
	}
	rep, _ := e.mustSync(Attended)
	if got := rep.Accounts[0].NotApplicable; !slices.Equal(got, []string{epStandingOrders}) {
		t.Fatalf("not applicable %v", got)
	}
	if c := e.conn(); c.Status != store.StatusActive {
		t.Fatalf("a 403 on standing orders made the connection %s", c.Status)
	}
}

// Without the scope, the endpoint is not called at all.
func TestEndpointsOutsideTheConsentAreNotCalled(t *testing.T) {
	e := newEnv(t, envOptions{years: 1, scopes: []string{"accounts", "cards", "transactions", "offline_access"}})
	e.mustSync(Attended)
	for _, ep := range []string{"/balance", "/standing_orders", "/direct_debits"} {
		if n := e.wire.calls(ep, true); n != 0 {
			t.Errorf("%d calls to %s without its scope", n, ep)
		}
	}
}

// A checkpoint that cannot be read costs that account a full re-sync,
// said in a note; it never stops the account syncing.
func TestUnreadableCheckpointStartsTheAccountAfresh(t *testing.T) {
	e := newEnv(t, envOptions{years: 1})
	e.mustSync(Attended)
	cur := e.sb.Truth("john").Accounts[0].AccountID
	if err := e.st.PutCheckpoint(cur, []byte("{not json")); err != nil {
		t.Fatal(err)
	}
	e.clk.Add(time.Hour)
	rep, _ := e.mustSync(Attended)
	if !slices.ContainsFunc(rep.Accounts[0].Notes, func(n string) bool { return strings.Contains(n, "sync state could not be read") }) {
		t.Errorf("notes %q", rep.Accounts[0].Notes)
	}
	if st, err := ReadState(e.st, cur); err != nil || !st.BackfillDone {
		t.Errorf("state after the fresh start %+v %v", st, err)
	}
	assertTruth(t, e.st, e.sb.Truth("john"), time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC))
}
