package consent_test

import (
	"bankdesk/backend/internal/testenv"
	"errors"
	"strings"
	"testing"
	"time"

	"bankdesk/backend/connect"
	"bankdesk/backend/consent"
	"bankdesk/backend/sandbox"
	"bankdesk/backend/store"
	"bankdesk/backend/syncer"
	"bankdesk/backend/truelayer"
)

var john = store.User{Name: "John Doe", Email: "john@doe.com"}

// keepAliveOn runs KeepAlive on each day, as an app started on those days.
func (e *env) keepAliveOn(days ...float64) {
	e.t.Helper()
	for _, d := range days {
		e.toDay(d)
		res, err := e.Consent.KeepAlive(ctx)
		if err != nil {
			e.t.Fatal(err)
		}
		for _, r := range res {
			if r.Err != nil {
				e.t.Fatalf("keep alive on day %v: %+v", d, r)
			}
		}
	}
}

// nearTheEnd connects user, syncs, keeps the consent alive and moves to
// day 80, ten days before the consent ends: the extend tests start there,
// with the connection and its history as they then are.
func nearTheEnd(t *testing.T, user, pass string) (*env, string, store.Connection, history) {
	t.Helper()
	e, id := connected(t, user, pass)
	e.syncOK(id)
	e.keepAliveOn(25, 50, 75)
	e.toDay(80)
	return e, id, e.Connection(e.t, id), e.history(id)
}

// john/eternal: TrueLayer extends with no action needed. New tokens are
// stored (the old refresh token is spent), /me is read again and the
// consent dates move; the connection carries on as before.
func TestExtendWithNoActionNeeded(t *testing.T) {
	e, id, before, hist := nearTheEnd(t, "john", "eternal")

	out, err := e.Consent.Extend(ctx, id, john)
	if err != nil {
		t.Fatal(err)
	}
	if !out.Extended || out.Link != "" || out.Fallback || !out.NewExpiry.Equal(day(170)) || !strings.Contains(out.Message, "renewed") {
		t.Fatalf("outcome %+v", out)
	}
	c := e.Connection(e.t, id)
	if !c.ConsentCreatedAt.Equal(day(80)) || !c.ConsentExpiresAt.Equal(day(170)) || !c.LastRefreshAt.Equal(day(80)) ||
		c.Status != store.StatusActive || c.User != john {
		t.Fatalf("connection after extend: %+v", c)
	}
	if c.RefreshToken == before.RefreshToken || c.AccessToken == before.AccessToken || c.CredentialsID != before.CredentialsID {
		t.Fatal("tokens not rotated, or the connection changed")
	}
	if _, err := e.Flow.Client.Refresh(ctx, before.RefreshToken); !truelayer.NeedsReconnect(err) {
		t.Fatalf("the old refresh token still works: %v", err)
	}
	if i := e.info(id); i.Status != consent.Active || i.DaysLeft != 90 || i.RefreshIdleDaysLeft != 30 {
		t.Fatalf("info %+v", i)
	}
	e.keepAliveOn(100, 120) // past the old consent's end: the renewed one carries on
	e.syncOK(id)
	after := e.history(id)
	for k, was := range hist {
		if now := after[k]; now.ID != was.ID || now.Booked < was.Booked || len(after) != len(hist) {
			t.Fatalf("%s: %+v, was %+v", k, now, was)
		}
	}
}

// A consent that has already ended is still extended (TrueLayer allows it
// for a while): the connection comes back without a login.
func TestExtendAfterTheConsentEnded(t *testing.T) {
	e, id := connected(t, "john", "eternal")
	e.keepAliveOn(25, 50, 75)
	e.toDay(92)
	if i := e.info(id); i.Status != consent.Expired || i.DaysLeft != -2 {
		t.Fatalf("day 92: %+v", i)
	}
	if res, _ := e.Consent.KeepAlive(ctx); res[0].Action != consent.Skipped {
		t.Fatalf("keep alive of an ended consent: %+v", res[0])
	}
	out, err := e.Consent.Extend(ctx, id, john)
	if err != nil || !out.Extended || !out.NewExpiry.Equal(day(182)) {
		t.Fatalf("extend: %v %+v", err, out)
	}
	if i := e.info(id); i.Status != consent.Active {
		t.Fatalf("after extend: %+v", i)
	}
	e.syncOK(id)
}

// john/doe: extend answers authentication_needed. The user logs in at the
// link; the callback completes through the connect flow and renews THIS
// connection: same id, same accounts, history intact, consent moved.
func TestExtendWithAuthenticationNeeded(t *testing.T) {
	e, id, before, hist := nearTheEnd(t, "john", "doe")

	out, err := e.Consent.Extend(ctx, id, store.User{Name: "John Doe", Phone: "+447700900123"})
	if err != nil {
		t.Fatal(err)
	}
	if out.Extended || out.Fallback || !strings.HasPrefix(out.Link, e.Sandbox.AuthURL()+"/?session_id=") ||
		!out.LinkExpiresAt.Equal(day(80).Add(connect.AttemptTTL)) || out.Message == "" {
		t.Fatalf("outcome %+v", out)
	}
	if c := e.Connection(e.t, id); c.RefreshToken != before.RefreshToken || c.User.Phone != "+447700900123" {
		t.Fatalf("before the login nothing but the user may change: %+v", c)
	}

	e.Clock.Add(2 * time.Minute) // the user logs in
	res, err := e.Flow.Complete(ctx, e.login(out.Link, "john", "doe"))
	if err != nil {
		t.Fatal(err)
	}
	if res.ConnectionID != id || len(res.Renamed)+len(res.Unmatched)+len(res.Missing) != 0 {
		t.Fatalf("complete: %+v", res)
	}
	conns, _ := e.Store.Connections()
	c := e.Connection(e.t, id)
	if len(conns) != 1 || c.CredentialsID != before.CredentialsID || c.Status != store.StatusActive ||
		!c.ConsentExpiresAt.Equal(day(80).Add(2*time.Minute).AddDate(0, 0, 90)) {
		t.Fatalf("%d connections; renewed %+v", len(conns), c)
	}
	if after := e.history(id); !sameHistory(hist, after) {
		t.Fatalf("history changed:\n%+v\n%+v", hist, after)
	}
	e.syncOK(id)
}

// A refused extend (422 here) falls back to a fresh login at the same bank.
// This bank then issues new account ids: the accounts are matched by their
// numbers and the history carries on under the new ids, with nothing
// fetched twice.
func TestRefusedExtendFallsBackAndRematchesAccounts(t *testing.T) {
	e, id := connected(t, "john", "doe")
	e.syncOK(id)
	e.toDay(10)
	hist := e.history(id)

	e.Sandbox.SetFaults(sandbox.Faults{ExtendStatus: 422, NewAccountIDs: true})
	out, err := e.Consent.Extend(ctx, id, john)
	if err != nil {
		t.Fatal(err)
	}
	q := testenv.Query(t, out.Link)
	if !out.Fallback || out.Extended || q.Get("provider_id") != "mock" || q.Get("state") == "" ||
		!strings.Contains(out.Message, "cannot extend") || !strings.Contains(out.Message, "same accounts") {
		t.Fatalf("outcome %+v", out)
	}
	if e.Sandbox.Faults().ExtendStatus != 0 {
		t.Fatal("extend was not called")
	}

	res, err := e.Flow.Complete(ctx, e.login(out.Link, "john", "doe"))
	if err != nil {
		t.Fatal(err)
	}
	if res.ConnectionID != id || len(res.Renamed) != 3 || len(res.Unmatched) != 0 || len(res.Missing) != 0 {
		t.Fatalf("complete: %+v", res)
	}
	after := e.history(id)
	if len(after) != len(hist) {
		t.Fatalf("accounts %v, were %v", after, hist)
	}
	for k, was := range hist {
		now := after[k]
		if now.ID == was.ID || res.Renamed[was.ID] != now.ID || now.Booked != was.Booked || !now.Balance ||
			!now.SyncedAt.Equal(was.SyncedAt) || len(now.Keys) != len(was.Keys) {
			t.Fatalf("%s: %+v, was %+v", k, now, was)
		}
	}

	e.toDay(12)
	e.syncOK(id)
	// Every booked transaction the bank has in the synced range, once.
	truth := e.Sandbox.Truth("john").Accounts[0]
	var cur store.Account
	accts, _ := e.Store.AccountsOf(id)
	for _, a := range accts {
		if a.Number == truth.Number {
			cur = a
		}
	}
	state, _ := syncer.ReadState(e.Store, cur.ID)
	want := 0
	for _, tx := range truth.Booked {
		if !tx.Timestamp.Before(state.HistoryFrom) {
			want++
		}
	}
	got := 0
	if err := e.Store.Transactions(cur.ID, 0, 0, func(store.Transaction) error { got++; return nil }); err != nil {
		t.Fatal(err)
	}
	if got != want || got <= hist["account "+cur.SortCode+cur.Number].Booked {
		t.Fatalf("current account holds %d booked transactions, the bank %d since %s (%d before)", got, want, state.HistoryFrom, hist["account "+cur.SortCode+cur.Number].Booked)
	}
}

// Every refusal falls back, each with its own reason; a failure that is
// not a refusal is an error to retry, not a fallback.
func TestExtendRefusalsAndFailures(t *testing.T) {
	e, id := connected(t, "john", "eternal")
	reasons := map[string]bool{}
	for _, status := range []int{400, 401, 422} {
		e.Sandbox.SetFaults(sandbox.Faults{ExtendStatus: status})
		out, err := e.Consent.Extend(ctx, id, john)
		if err != nil || !out.Fallback || testenv.Query(t, out.Link).Get("provider_id") != "mock" {
			t.Fatalf("%d: %v %+v", status, err, out)
		}
		reasons[out.Message] = true
	}
	if len(reasons) != 3 {
		t.Fatalf("reasons not told apart: %v", reasons)
	}
	e.Sandbox.Close()
	out, err := e.Consent.Extend(ctx, id, john)
	if err == nil || out.Fallback || out.Link != "" {
		t.Fatalf("unreachable TrueLayer: %v %+v", err, out)
	}
}

// TrueLayer's extend is UK only: an EU bank goes straight to a login,
// without asking TrueLayer.
func TestExtendAtAnEUBankFallsBack(t *testing.T) {
	e, id := connected(t, "john", "eternal")
	e.Consent.Country = func(providerID string) string {
		if providerID == "mock" {
			return "de" // as if the cached bank list said so
		}
		return ""
	}
	e.Sandbox.SetFaults(sandbox.Faults{ExtendStatus: 422}) // tells whether extend was called
	out, err := e.Consent.Extend(ctx, id, john)
	if err != nil || !out.Fallback || testenv.Query(t, out.Link).Get("provider_id") != "mock" || !strings.Contains(out.Message, "EU") {
		t.Fatalf("%v %+v", err, out)
	}
	if e.Sandbox.Faults().ExtendStatus != 422 {
		t.Fatal("extend was called for an EU bank")
	}
}

func TestExtendNeedsTheUser(t *testing.T) {
	e, id := connected(t, "john", "eternal")
	for _, u := range []store.User{{Email: "john@doe.com"}, {Name: "John Doe"}, {Name: "  ", Phone: "+447700900123"}} {
		if _, err := e.Consent.Extend(ctx, id, u); !errors.Is(err, consent.ErrUserDetails) {
			t.Errorf("%+v: %v", u, err)
		}
	}
	if c := e.Connection(e.t, id); c.User != (store.User{}) {
		t.Fatalf("incomplete details saved: %+v", c.User)
	}
	if _, err := e.Consent.Extend(ctx, "nope", john); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown connection: %v", err)
	}
}
