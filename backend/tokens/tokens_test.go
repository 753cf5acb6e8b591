// The tests connect through the real connect flow, which itself applies
// grants with this package: they live outside it.
package tokens_test

import (
	"context"
	"errors"
	"os"
	"sync"
	"testing"
	"time"

	"bankdesk/backend/internal/spectest"
	"bankdesk/backend/internal/testenv"
	"bankdesk/backend/store"
	"bankdesk/backend/tokens"
	"bankdesk/backend/truelayer"
)

// Every sandbox response these tests receive is checked against TrueLayer's
// OpenAPI specs.
func TestMain(m *testing.M) { os.Exit(spectest.Main(m)) }

var ctx = context.Background()

// connected is the backend with john/doe connected to the sandbox through
// the real connect flow; its Tokens is the Keeper under test.
func connected(t *testing.T) *testenv.Env {
	t.Helper()
	return testenv.Connected(t, testenv.Options{User: "john", Pass: "doe"})
}

func TestAccessReturnsTheStoredTokenWhileItIsFresh(t *testing.T) {
	e := connected(t)
	before := e.Connection(t, e.ConnID)
	e.Clock.Add(57 * time.Minute) // 3 minutes left: outside the margin
	at, err := e.Tokens.Access(ctx, e.ConnID)
	if err != nil {
		t.Fatal(err)
	}
	after := e.Connection(t, e.ConnID)
	if at != before.AccessToken || after.RefreshToken != before.RefreshToken || !after.LastRefreshAt.Equal(before.LastRefreshAt) {
		t.Fatal("a token with 3 minutes left was refreshed")
	}
}

func TestAccessRefreshesWithinTwoMinutesAndPersistsTheRotation(t *testing.T) {
	e := connected(t)
	before := e.Connection(t, e.ConnID)
	e.Clock.Add(58*time.Minute + 30*time.Second) // 90 s left
	at, err := e.Tokens.Access(ctx, e.ConnID)
	if err != nil {
		t.Fatal(err)
	}
	after := e.Connection(t, e.ConnID)
	switch {
	case at == before.AccessToken:
		t.Fatal("token about to expire was handed out")
	case at != after.AccessToken:
		t.Fatal("the new access token was not stored")
	case after.RefreshToken == before.RefreshToken || after.RefreshToken == "":
		t.Fatal("the rotated refresh token was not stored")
	case !after.LastRefreshAt.Equal(e.Clock.Now()):
		t.Fatalf("LastRefreshAt = %s, want %s", after.LastRefreshAt, e.Clock.Now())
	case !after.AccessTokenExpiry.Equal(e.Clock.Now().Add(time.Hour)):
		t.Fatalf("expiry = %s, want an hour from now", after.AccessTokenExpiry)
	case after.Status != store.StatusActive:
		t.Fatalf("status %s", after.Status)
	}
	if _, err := e.Client.Me(ctx, at); err != nil {
		t.Fatalf("refreshed token does not work: %v", err)
	}
	// The sandbox rotates: the old refresh token is spent, so a keeper that
	// had not stored the new one would now need the user.
	if _, err := e.Client.Refresh(ctx, before.RefreshToken); !truelayer.NeedsReconnect(err) {
		t.Fatalf("old refresh token still accepted: %v", err)
	}
	if _, err := e.Tokens.Refresh(ctx, e.ConnID); err != nil {
		t.Fatalf("refresh with the stored token: %v", err)
	}
}

// Concurrent refreshes of one connection run one at a time, each with the
// refresh token the previous one stored; unserialised, all but one would
// present a spent token and the connection would be lost.
func TestConcurrentRefreshesDoNotBurnEachOther(t *testing.T) {
	e := connected(t)
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() { _, errs[i] = e.Tokens.Refresh(ctx, e.ConnID) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("refresh %d: %v", i, err)
		}
	}
	c := e.Connection(t, e.ConnID)
	if c.Status != store.StatusActive {
		t.Fatalf("status %s", c.Status)
	}
	if _, err := e.Client.Me(ctx, c.AccessToken); err != nil {
		t.Fatalf("stored token after the race: %v", err)
	}
	if _, err := e.Tokens.Refresh(ctx, e.ConnID); err != nil {
		t.Fatalf("stored refresh token after the race: %v", err)
	}
}

func TestRevokedConsentMarksReconnectNeededAndKeepsData(t *testing.T) {
	e := connected(t)
	if err := e.Client.Revoke(ctx, e.Connection(t, e.ConnID).AccessToken); err != nil {
		t.Fatal(err)
	}
	_, err := e.Tokens.Refresh(ctx, e.ConnID)
	if !errors.Is(err, tokens.ErrReconnectNeeded) || !truelayer.NeedsReconnect(err) {
		t.Fatalf("refresh after revoke: %v", err)
	}
	c := e.Connection(t, e.ConnID)
	if c.Status != store.StatusReconnectNeeded || c.RefreshToken == "" {
		t.Fatalf("connection after invalid_grant: status %s, refresh token kept %v", c.Status, c.RefreshToken != "")
	}
	if accts, _ := e.Store.AccountsOf(e.ConnID); len(accts) != 3 {
		t.Fatalf("accounts after reconnect-needed: %d, want 3", len(accts))
	}
	// From now on the keeper does not even try.
	needsReconnect(t, e, "Access on a connection needing reconnect")
}

// needsReconnect wants the keeper to refuse an access token because the
// user must reconnect, and the connection to say so.
func needsReconnect(t *testing.T, e *testenv.Env, when string) {
	t.Helper()
	if _, err := e.Tokens.Access(ctx, e.ConnID); !errors.Is(err, tokens.ErrReconnectNeeded) {
		t.Fatalf("%s: %v", when, err)
	}
	if c := e.Connection(t, e.ConnID); c.Status != store.StatusReconnectNeeded {
		t.Fatalf("%s: status %s", when, c.Status)
	}
}

func TestExpiredConsentMarksReconnectNeeded(t *testing.T) {
	e := connected(t)
	for range 3 { // keep the refresh token in use, as syncs would
		e.Clock.Add(29 * 24 * time.Hour)
		if _, err := e.Tokens.Access(ctx, e.ConnID); err != nil {
			t.Fatal(err)
		}
	}
	e.Clock.Add(4 * 24 * time.Hour) // day 91
	needsReconnect(t, e, "after 91 days")
}

func TestNoRefreshTokenMeansReconnect(t *testing.T) {
	e := connected(t)
	c := e.Connection(t, e.ConnID)
	c.RefreshToken = ""
	if err := e.Store.PutConnection(c); err != nil {
		t.Fatal(err)
	}
	e.Clock.Add(time.Hour)
	needsReconnect(t, e, "expired token without a refresh token")
}

func TestTransientRefreshFailureKeepsTheConnectionActive(t *testing.T) {
	e := connected(t)
	e.Sandbox.Close() // the auth server is unreachable
	_, err := e.Tokens.Refresh(ctx, e.ConnID)
	if err == nil || errors.Is(err, tokens.ErrReconnectNeeded) {
		t.Fatalf("refresh against a dead server: %v", err)
	}
	if c := e.Connection(t, e.ConnID); c.Status != store.StatusActive {
		t.Fatalf("a network failure changed the status to %s", c.Status)
	}
}

func TestMarkReconnectNeededKeepsEverythingElse(t *testing.T) {
	e := connected(t)
	before := e.Connection(t, e.ConnID)
	cause := errors.New("403 access_denied")
	err := e.Tokens.MarkReconnectNeeded(e.ConnID, cause)
	if !errors.Is(err, tokens.ErrReconnectNeeded) || !errors.Is(err, cause) {
		t.Fatalf("MarkReconnectNeeded: %v", err)
	}
	after := e.Connection(t, e.ConnID)
	if after.Status != store.StatusReconnectNeeded || after.RefreshToken != before.RefreshToken || after.AccessToken != before.AccessToken {
		t.Fatalf("after marking: %+v", after.Status)
	}
}

// Several callers refused the same token refresh it once between them.
func TestReplaceRefreshesOncePerRejectedToken(t *testing.T) {
	e := connected(t)
	rejected := e.Connection(t, e.ConnID).AccessToken
	first, err := e.Tokens.Replace(ctx, e.ConnID, rejected)
	if err != nil || first == rejected {
		t.Fatalf("Replace: %v", err)
	}
	refreshedAt := e.Connection(t, e.ConnID).LastRefreshAt
	e.Clock.Add(time.Second)
	second, err := e.Tokens.Replace(ctx, e.ConnID, rejected)
	if err != nil || second != first || !e.Connection(t, e.ConnID).LastRefreshAt.Equal(refreshedAt) {
		t.Fatalf("second Replace of the same token refreshed again (%v)", err)
	}
	third, err := e.Tokens.Replace(ctx, e.ConnID, first)
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
