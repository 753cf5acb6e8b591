// The tests connect through the real connect flow, which itself applies
// grants with this package: they live outside it.
package tokens_test

import (
	"bankdesk/backend/internal/testclock"
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"bankdesk/backend/connect"
	"bankdesk/backend/internal/spectest"
	"bankdesk/backend/sandbox"
	"bankdesk/backend/store"
	"bankdesk/backend/tokens"
	"bankdesk/backend/truelayer"
	"bankdesk/backend/vault"
)

// Every sandbox response these tests receive is checked against TrueLayer's
// OpenAPI specs.
func TestMain(m *testing.M) { os.Exit(spectest.Main(m)) }

var ctx = context.Background()

// clock is the injectable time given to the sandbox and the code under test.
type clock = testclock.Clock

type env struct {
	clk    *clock
	sb     *sandbox.Server
	st     *store.Store
	client *truelayer.Client
	keeper *tokens.Keeper
	connID string
}

// connected returns a Keeper over a store holding one john/doe connection to
// the sandbox, made through the real connect flow.
func connected(t *testing.T, password string) *env {
	t.Helper()
	clk := testclock.New(time.Date(2026, 3, 11, 14, 30, 0, 0, time.UTC))
	sb, err := sandbox.Start(sandbox.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	v, err := vault.NewEphemeral()
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(filepath.Join(t.TempDir(), "bankdesk.db"), v, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close(); v.Close() })
	client, err := truelayer.New(truelayer.Config{
		AuthURL: sb.AuthURL(), APIURL: sb.APIURL(), ClientID: sandbox.ClientID, ClientSecret: sandbox.ClientSecret,
		RedirectURI: "bankdesk://callback",
	})
	if err != nil {
		t.Fatal(err)
	}
	flow := &connect.Flow{Store: st, Client: client, Now: clk.Now}
	link, err := flow.Begin(ctx, "mock")
	if err != nil {
		t.Fatal(err)
	}
	cb, err := sandbox.Login(ctx, nil, link.URL, "john", password)
	if err != nil {
		t.Fatal(err)
	}
	res, err := flow.Complete(ctx, cb)
	if err != nil {
		t.Fatal(err)
	}
	return &env{clk: clk, sb: sb, st: st, client: client, keeper: &tokens.Keeper{Store: st, Client: client, Now: clk.Now}, connID: res.ConnectionID}
}

func (e *env) conn(t *testing.T) store.Connection {
	t.Helper()
	c, err := e.st.Connection(e.connID)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestAccessReturnsTheStoredTokenWhileItIsFresh(t *testing.T) {
	e := connected(t, "doe")
	before := e.conn(t)
	e.clk.Add(57 * time.Minute) // 3 minutes left: outside the margin
	at, err := e.keeper.Access(ctx, e.connID)
	if err != nil {
		t.Fatal(err)
	}
	after := e.conn(t)
	if at != before.AccessToken || after.RefreshToken != before.RefreshToken || !after.LastRefreshAt.Equal(before.LastRefreshAt) {
		t.Fatal("a token with 3 minutes left was refreshed")
	}
}

func TestAccessRefreshesWithinTwoMinutesAndPersistsTheRotation(t *testing.T) {
	e := connected(t, "doe")
	before := e.conn(t)
	e.clk.Add(58*time.Minute + 30*time.Second) // 90 s left
	at, err := e.keeper.Access(ctx, e.connID)
	if err != nil {
		t.Fatal(err)
	}
	after := e.conn(t)
	switch {
	case at == before.AccessToken:
		t.Fatal("token about to expire was handed out")
	case at != after.AccessToken:
		t.Fatal("the new access token was not stored")
	case after.RefreshToken == before.RefreshToken || after.RefreshToken == "":
		t.Fatal("the rotated refresh token was not stored")
	case !after.LastRefreshAt.Equal(e.clk.Now()):
		t.Fatalf("LastRefreshAt = %s, want %s", after.LastRefreshAt, e.clk.Now())
	case !after.AccessTokenExpiry.Equal(e.clk.Now().Add(time.Hour)):
		t.Fatalf("expiry = %s, want an hour from now", after.AccessTokenExpiry)
	case after.Status != store.StatusActive:
		t.Fatalf("status %s", after.Status)
	}
	if _, err := e.client.Me(ctx, at); err != nil {
		t.Fatalf("refreshed token does not work: %v", err)
	}
	// The sandbox rotates: the old refresh token is spent, so a keeper that
	// had not stored the new one would now need the user.
	if _, err := e.client.Refresh(ctx, before.RefreshToken); !truelayer.NeedsReconnect(err) {
		t.Fatalf("old refresh token still accepted: %v", err)
	}
	if _, err := e.keeper.Refresh(ctx, e.connID); err != nil {
		t.Fatalf("refresh with the stored token: %v", err)
	}
}

// Concurrent refreshes of one connection run one at a time, each with the
// refresh token the previous one stored; unserialised, all but one would
// present a spent token and the connection would be lost.
func TestConcurrentRefreshesDoNotBurnEachOther(t *testing.T) {
	e := connected(t, "doe")
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() { _, errs[i] = e.keeper.Refresh(ctx, e.connID) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("refresh %d: %v", i, err)
		}
	}
	c := e.conn(t)
	if c.Status != store.StatusActive {
		t.Fatalf("status %s", c.Status)
	}
	if _, err := e.client.Me(ctx, c.AccessToken); err != nil {
		t.Fatalf("stored token after the race: %v", err)
	}
	if _, err := e.keeper.Refresh(ctx, e.connID); err != nil {
		t.Fatalf("stored refresh token after the race: %v", err)
	}
}

func TestRevokedConsentMarksReconnectNeededAndKeepsData(t *testing.T) {
	e := connected(t, "doe")
	if err := e.client.Revoke(ctx, e.conn(t).AccessToken); err != nil {
		t.Fatal(err)
	}
	_, err := e.keeper.Refresh(ctx, e.connID)
	if !errors.Is(err, tokens.ErrReconnectNeeded) || !truelayer.NeedsReconnect(err) {
		t.Fatalf("refresh after revoke: %v", err)
	}
	c := e.conn(t)
	if c.Status != store.StatusReconnectNeeded || c.RefreshToken == "" {
		t.Fatalf("connection after invalid_grant: status %s, refresh token kept %v", c.Status, c.RefreshToken != "")
	}
	if accts, _ := e.st.AccountsOf(e.connID); len(accts) != 3 {
		t.Fatalf("accounts after reconnect-needed: %d, want 3", len(accts))
	}
	// From now on the keeper does not even try.
	if _, err := e.keeper.Access(ctx, e.connID); !errors.Is(err, tokens.ErrReconnectNeeded) {
		t.Fatalf("Access on a connection needing reconnect: %v", err)
	}
}

func TestExpiredConsentMarksReconnectNeeded(t *testing.T) {
	e := connected(t, "doe")
	for range 3 { // keep the refresh token in use, as syncs would
		e.clk.Add(29 * 24 * time.Hour)
		if _, err := e.keeper.Access(ctx, e.connID); err != nil {
			t.Fatal(err)
		}
	}
	e.clk.Add(4 * 24 * time.Hour) // day 91
	if _, err := e.keeper.Access(ctx, e.connID); !errors.Is(err, tokens.ErrReconnectNeeded) {
		t.Fatalf("after 91 days: %v", err)
	}
	if c := e.conn(t); c.Status != store.StatusReconnectNeeded {
		t.Fatalf("status %s", c.Status)
	}
}

func TestNoRefreshTokenMeansReconnect(t *testing.T) {
	e := connected(t, "doe")
	c := e.conn(t)
	c.RefreshToken = ""
	if err := e.st.PutConnection(c); err != nil {
		t.Fatal(err)
	}
	e.clk.Add(time.Hour)
	if _, err := e.keeper.Access(ctx, e.connID); !errors.Is(err, tokens.ErrReconnectNeeded) {
		t.Fatalf("expired token without a refresh token: %v", err)
	}
}

func TestTransientRefreshFailureKeepsTheConnectionActive(t *testing.T) {
	e := connected(t, "doe")
	e.sb.Close() // the auth server is unreachable
	_, err := e.keeper.Refresh(ctx, e.connID)
	if err == nil || errors.Is(err, tokens.ErrReconnectNeeded) {
		t.Fatalf("refresh against a dead server: %v", err)
	}
	if c := e.conn(t); c.Status != store.StatusActive {
		t.Fatalf("a network failure changed the status to %s", c.Status)
	}
}

func TestMarkReconnectNeededKeepsEverythingElse(t *testing.T) {
	e := connected(t, "doe")
	before := e.conn(t)
	cause := errors.New("403 access_denied")
	err := e.keeper.MarkReconnectNeeded(e.connID, cause)
	if !errors.Is(err, tokens.ErrReconnectNeeded) || !errors.Is(err, cause) {
		t.Fatalf("MarkReconnectNeeded: %v", err)
	}
	after := e.conn(t)
	if after.Status != store.StatusReconnectNeeded || after.RefreshToken != before.RefreshToken || after.AccessToken != before.AccessToken {
		t.Fatalf("after marking: %+v", after.Status)
	}
}

// Several callers refused the same token refresh it once between them.
func TestReplaceRefreshesOncePerRejectedToken(t *testing.T) {
	e := connected(t, "doe")
	rejected := e.conn(t).AccessToken
	first, err := e.keeper.Replace(ctx, e.connID, rejected)
	if err != nil || first == rejected {
		t.Fatalf("Replace: %v", err)
	}
	refreshedAt := e.conn(t).LastRefreshAt
	e.clk.Add(time.Second)
	second, err := e.keeper.Replace(ctx, e.connID, rejected)
	if err != nil || second != first || !e.conn(t).LastRefreshAt.Equal(refreshedAt) {
		t.Fatalf("second Replace of the same token refreshed again (%v)", err)
	}
	third, err := e.keeper.Replace(ctx, e.connID, first)
	if err != nil || third == first {
		t.Fatalf("Replace of the new token: %v", err)
	}
}

// Apply is the one writer of a grant: the expiry counts from the given now,
// and what a grant leaves out (the refresh token, the scopes) is kept.
func TestApplyDatesTheGrantAndKeepsWhatItLeavesOut(t *testing.T) {
	now := time.Date(2026, 3, 11, 14, 30, 0, 0, time.UTC)
	old := store.Connection{AccessToken: "old-at", RefreshToken: "old-rt", Scopes: []string{"info", "accounts"}}
	for _, tc := range []struct {
		name        string
		tok         truelayer.Token
		wantRefresh string
		wantScopes  int
		wantExpiry  time.Time
	}{
		{"full grant", truelayer.Token{AccessToken: "at", RefreshToken: "rt", ExpiresIn: 30 * time.Minute, Scopes: []string{"info"}}, "rt", 1, now.Add(30 * time.Minute)},
		{"no refresh token, no scopes, no expires_in", truelayer.Token{AccessToken: "at"}, "old-rt", 2, now.Add(truelayer.DefaultLifetime)},
	} {
		c := old
		tokens.Apply(&c, &tc.tok, now)
		if c.AccessToken != "at" || c.RefreshToken != tc.wantRefresh || len(c.Scopes) != tc.wantScopes ||
			!c.AccessTokenExpiry.Equal(tc.wantExpiry) || !c.LastRefreshAt.Equal(now) || !c.UpdatedAt.Equal(now) {
			t.Errorf("%s: got %+v", tc.name, c)
		}
	}
}
