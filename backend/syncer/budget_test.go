package syncer

import (
	"slices"
	"strings"
	"testing"
	"time"

	"bankdesk/backend/sandbox"
	"bankdesk/backend/truelayer"
)

// PSD2 allows four unattended calls per account and endpoint a day. The
// sandbox enforces it, but the engine must never get that far: it counts
// every call it makes in the background (failed ones too) in the store,
// across processes, and stops at four. Attended syncs carry X-PSU-IP and
// are not limited.
func TestBackgroundSyncsStayWithinTheDailyBudget(t *testing.T) {
	e := newEnv(t, envOptions{sandbox: sandbox.Options{EnforceUnattendedLimit: true}, years: 1})
	connectCalls := e.wire.calls("/balance", false) // the connect flow reads balances itself
	e.mustSync(Attended)
	truth := e.sb.Truth("john")
	cur := truth.Accounts[0].AccountID
	if n := e.wire.calls("/balance", false); n != connectCalls {
		t.Fatalf("attended sync made %d calls without X-PSU-IP", n-connectCalls)
	}
	if n := e.wire.calls("/balance", true); n != 3 {
		t.Fatalf("attended sync: %d balance calls with X-PSU-IP, want 3", n)
	}

	// The next day (the connect flow's calls were yesterday's), sync 1 in
	// the background; then the current account's balance fails twice
	// before it works: three calls, all counted.
	e.clk.Add(24 * time.Hour)
	e.wire.reset()
	e.mustSync(Background)
	e.sb.SetFaults(sandbox.Faults{ServerErrors: 2, Path: cur + "/balance"})
	e.clk.Add(time.Hour)
	rep, _ := e.mustSync(Background)
	if got := e.wire.calls(cur+"/balance", false); got != 4 {
		t.Fatalf("%d background balance calls for the current account, want 1+3", got)
	}
	if len(rep.Accounts[0].Skipped) != 0 {
		t.Fatalf("skipped %v while the budget lasted", rep.Accounts[0].Skipped)
	}

	// Syncs 3, 4 and 5, each by a new Engine as a new process would be.
	for i := range 3 {
		e.clk.Add(time.Hour)
		rep, _ = e.mustSync(Background)
		if i == 0 && !slices.Equal(rep.Accounts[0].Skipped, []string{epBalance}) {
			t.Fatalf("sync 3 skipped %v, want only the spent balance", rep.Accounts[0].Skipped)
		}
	}
	for _, a := range rep.Accounts {
		want := []string{epTransactions, epPending, epBalance}
		if a.Kind == "account" {
			want = append(want, epStandingOrders, epDirectDebits)
		}
		if !slices.Equal(a.Skipped, want) || a.Err != nil {
			t.Errorf("sync 5, %s: skipped %v (err %v), want %v and no error", a.Name, a.Skipped, a.Err, want)
		}
	}
	for _, a := range append(slices.Clone(truth.Accounts), truth.Cards...) {
		for _, ep := range []string{"/transactions", "/transactions/pending", "/balance", "/standing_orders", "/direct_debits"} {
			if n := e.wire.calls(a.AccountID+ep, false); n > UnattendedCallsPerDay {
				t.Errorf("%s%s: %d unattended calls today", a.DisplayName, ep, n)
			}
		}
	}
	if n := e.wire.calls(cur+"/transactions", false); n != UnattendedCallsPerDay {
		t.Errorf("%d unattended transaction calls, want the full budget of 4 used", n)
	}

	// The user opens the app: an attended sync is not limited.
	attended := e.wire.calls(cur+"/balance", true)
	rep, _ = e.mustSync(Attended)
	if e.wire.calls(cur+"/balance", true) != attended+1 || len(rep.Accounts[0].Skipped) != 0 {
		t.Fatalf("attended sync on a spent day: skipped %v", rep.Accounts[0].Skipped)
	}

	// A new (UTC) day brings a new budget.
	e.clk.Add(24 * time.Hour)
	rep, _ = e.mustSync(Background)
	for _, a := range rep.Accounts {
		if len(a.Skipped) != 0 {
			t.Errorf("next day, %s skipped %v", a.Name, a.Skipped)
		}
	}
	assertTruth(t, e.st, e.sb.Truth("john"), time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC))
}

// A bank that counts differently (another app using the same consent) and
// answers provider_request_limit_exceeded ends the day for that endpoint:
// skipped, not failed, and not asked again today.
func TestBankRequestLimitIsASkipNotAFailure(t *testing.T) {
	e := newEnv(t, envOptions{sandbox: sandbox.Options{EnforceUnattendedLimit: true}, years: 1})
	e.mustSync(Attended)
	cur := e.sb.Truth("john").Accounts[0].AccountID
	e.clk.Add(24 * time.Hour)
	// Someone else spends the current account's balance budget.
	at, err := e.keeper.Access(ctx, e.connID)
	if err != nil {
		t.Fatal(err)
	}
	for range UnattendedCallsPerDay {
		if _, err := e.client.Balance(ctx, at, truelayer.Resource{ID: cur}); err != nil {
			t.Fatal(err)
		}
	}
	rep, _ := e.mustSync(Background)
	if !slices.Equal(rep.Accounts[0].Skipped, []string{epBalance}) {
		t.Fatalf("skipped %v, want balance", rep.Accounts[0].Skipped)
	}
	calls := e.wire.calls(cur+"/balance", false)
	e.mustSync(Background)
	if e.wire.calls(cur+"/balance", false) != calls {
		t.Fatal("asked again on a day the bank said was over")
	}
}

func TestModeNames(t *testing.T) {
	if Mode(0) != Background || !strings.Contains(Attended.String()+Background.String(), "attendedbackground") {
		t.Fatalf("zero Mode must be Background; names %q %q", Attended, Background)
	}
}
