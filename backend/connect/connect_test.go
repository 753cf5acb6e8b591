package connect

import (
	"bankdesk/backend/internal/testclock"
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"bankdesk/backend/callback"
	"bankdesk/backend/internal/testbank"
	"bankdesk/backend/sandbox"
	"bankdesk/backend/store"
)

// clock is the injectable time given to the sandbox and the code under test.
type clock = testclock.Clock

type env struct {
	t    *testing.T
	clk  *clock
	sb   *sandbox.Server
	st   *store.Store
	flow *Flow
}

var ctx = context.Background()

func newEnv(t *testing.T) *env {
	t.Helper()
	clk := testclock.New(testbank.Start)
	sb := testbank.Sandbox(t, clk)
	st := testbank.Store(t)
	// Tests need not wait between /me retries.
	flow := &Flow{Store: st, Client: testbank.Client(t, sb), Now: clk.Now, MeRetryWaits: []time.Duration{time.Millisecond, time.Millisecond}, ReadBalances: true}
	return &env{t: t, clk: clk, sb: sb, st: st, flow: flow}
}

// login follows an auth link through the sandbox dialog as the user would.
func (e *env) login(link, user, pass string) string {
	e.t.Helper()
	return testbank.Login(e.t, link, user, pass)
}

// callback begins a connection to the mock bank and logs user in: the
// callback URL the bank sends back.
func (e *env) callback(user, pass string) string {
	e.t.Helper()
	link, err := e.flow.Begin(ctx, "mock")
	if err != nil {
		e.t.Fatal(err)
	}
	return e.login(link.URL, user, pass)
}

// connect logs john in to the mock bank through a new auth link and
// completes it: the Result and the stored connection.
func (e *env) connect() (Result, store.Connection) {
	e.t.Helper()
	res, err := e.flow.Complete(ctx, e.callback("john", "doe"))
	if err != nil {
		e.t.Fatal(err)
	}
	c, err := e.st.Connection(res.ConnectionID)
	if err != nil {
		e.t.Fatal(err)
	}
	return res, c
}

// refuses completes cb and wants the error want, its text saying each of
// says, and stored connections in the store afterwards.
func (e *env) refuses(cb string, want error, stored int, says ...string) {
	e.t.Helper()
	_, err := e.flow.Complete(ctx, cb)
	if !errors.Is(err, want) {
		e.t.Fatalf("complete: %v, want %v", err, want)
	}
	for _, s := range says {
		if !strings.Contains(err.Error(), s) {
			e.t.Fatalf("complete: %v, want it to say %q", err, s)
		}
	}
	if n := e.connections(); n != stored {
		e.t.Fatalf("%d connections stored, want %d", n, stored)
	}
}

func (e *env) connections() int {
	e.t.Helper()
	cs, err := e.st.Connections()
	if err != nil {
		e.t.Fatal(err)
	}
	return len(cs)
}

func TestConnectStoresConnectionAccountsAndBalances(t *testing.T) {
	e := newEnv(t)
	link, err := e.flow.Begin(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(link.URL)
	q := u.Query()
	if len(q.Get("state")) < 22 || q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" {
		t.Fatalf("link lacks a strong state or PKCE: %s", link.URL)
	}
	if !link.ExpiresAt.Equal(e.clk.Now().Add(AttemptTTL)) {
		t.Fatalf("expires %s", link.ExpiresAt)
	}
	res, err := e.flow.Complete(ctx, e.login(link.URL, "john", "doe"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Accounts != 2 || res.Cards != 1 || len(res.Warnings) != 0 || res.ProviderID != "mock" {
		t.Fatalf("result %+v", res)
	}
	c, err := e.st.Connection(res.ConnectionID)
	if err != nil {
		t.Fatal(err)
	}
	if c.AccessToken == "" || c.RefreshToken == "" || c.CredentialsID == "" || c.Status != store.StatusActive {
		t.Fatalf("connection %+v", c)
	}
	if d := c.ConsentExpiresAt.Sub(c.ConsentCreatedAt); d < 89*24*time.Hour || d > 93*24*time.Hour {
		t.Fatalf("consent length %s", d)
	}
	accts, err := e.st.AccountsOf(c.ID)
	if err != nil || len(accts) != 3 {
		t.Fatalf("accounts %v %v", accts, err)
	}
	for _, a := range accts {
		b, err := e.st.Balance(a.ID)
		if err != nil {
			t.Fatalf("balance of %s: %v", a.DisplayName, err)
		}
		if a.Kind == store.KindCard && b.CreditLimit == nil {
			t.Fatalf("card balance without limit: %+v", b)
		}
	}
}

func TestStateIsSingleUse(t *testing.T) {
	e := newEnv(t)
	cb := e.callback("john", "doe")
	if _, err := e.flow.Complete(ctx, cb); err != nil {
		t.Fatal(err)
	}
	e.refuses(cb, ErrUnknownState, 1) // a replay
}

func TestUnknownStateStoresNothing(t *testing.T) {
	e := newEnv(t)
	cb := e.callback("john", "doe")
	u, _ := url.Parse(cb)
	q := u.Query()
	q.Set("state", "forged-state-value")
	u.RawQuery = q.Encode()
	e.refuses(u.String(), ErrUnknownState, 0)
	// The real callback still works: a forged one does not burn the attempt.
	if _, err := e.flow.Complete(ctx, cb); err != nil {
		t.Fatal(err)
	}
}

func TestExpiredAttempt(t *testing.T) {
	e := newEnv(t)
	link, _ := e.flow.Begin(ctx, "mock")
	e.clk.Add(AttemptTTL + time.Second)
	e.refuses(e.login(link.URL, "john", "doe"), ErrExpired, 0)
}

func TestExpiredCode(t *testing.T) {
	e := newEnv(t)
	cb := e.callback("john", "doe")
	e.clk.Add(6 * time.Minute) // codes live 5 minutes, attempts 10
	e.refuses(cb, ErrCodeExpired, 0)
}

func TestCancelAndMalformed(t *testing.T) {
	e := newEnv(t)
	link, _ := e.flow.Begin(ctx, "mock")
	state := testbank.Query(t, link.URL).Get("state")
	_, err := e.flow.Complete(ctx, "bankdesk://callback?error=access_denied&state="+url.QueryEscape(state))
	if !errors.Is(err, ErrCancelled) {
		t.Fatalf("cancel: %v", err)
	}
	if _, err := e.flow.Complete(ctx, "bankdesk://callback?error=access_denied&state="+url.QueryEscape(state)); !errors.Is(err, ErrUnknownState) {
		t.Fatalf("a cancel must consume the attempt: %v", err)
	}
	if _, err := e.flow.Complete(ctx, "bankdesk://elsewhere?code=x&state=y"); !errors.Is(err, callback.ErrMalformed) {
		t.Fatalf("malformed: %v", err)
	}
	if !strings.Contains(ErrCancelled.Error(), "cancelled") {
		t.Fatal("cancel message unclear")
	}
}

func TestReconnectingTheSameUserUpdatesTheConnection(t *testing.T) {
	e := newEnv(t)
	first, err := e.flow.Complete(ctx, e.callback("john", "doe"))
	if err != nil {
		t.Fatal(err)
	}
	link, _ := e.flow.Reconnect(ctx, first.ConnectionID)
	if got := testbank.Query(t, link.URL).Get("provider_id"); got != "mock" {
		t.Fatalf("reconnect link must name the bank, got %q", got)
	}
	second, err := e.flow.Complete(ctx, e.login(link.URL, "john", "doe"))
	if err != nil {
		t.Fatal(err)
	}
	if second.ConnectionID != first.ConnectionID || e.connections() != 1 {
		t.Fatalf("reconnect made a new connection: %s vs %s", second.ConnectionID, first.ConnectionID)
	}
}

func TestDisconnectRevokesAndRemovesTokens(t *testing.T) {
	e := newEnv(t)
	res, _ := e.connect()
	c, _ := e.st.Connection(res.ConnectionID)
	if err := e.flow.Disconnect(ctx, res.ConnectionID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.Connection(res.ConnectionID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("connection still stored: %v", err)
	}
	if accts, _ := e.st.Accounts(); len(accts) != 3 {
		t.Fatalf("--keep-data lost accounts: %d left", len(accts))
	}
	if _, err := e.flow.Client.Accounts(ctx, c.AccessToken); err == nil {
		t.Fatal("TrueLayer still accepts the revoked token")
	}
}
