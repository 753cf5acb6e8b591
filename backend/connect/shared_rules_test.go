// Rules the connect flow shares with the rest of the backend: token grants
// (tokens.Apply), the TrueLayer → store mapping and the scope rule
// (bankdata).
package connect

import (
	"slices"
	"testing"
	"time"

	"bankdesk/backend/store"
	"bankdesk/backend/truelayer"
)

// A new consent's access token expires by the Flow's clock, the one the
// token Keeper later compares with: the sandbox issues it for an hour, so it
// runs out an hour after the (injected) now, whatever the wall clock says.
func TestConnectDatesTheTokenOnTheFlowClock(t *testing.T) {
	e := newEnv(t)
	_, c := e.connect()
	if want := e.clk.Now().Add(time.Hour); !c.AccessTokenExpiry.Equal(want) {
		t.Fatalf("access token expires %s, want %s (an hour on the Flow's clock)", c.AccessTokenExpiry, want)
	}
}

// A grant that renews a stored connection but carries no refresh token
// (TrueLayer sends one only with offline_access) leaves the connection the
// refresh token it had, which still works: losing it would mean a new login
// at the bank once the access token runs out.
func TestRenewingWithoutARefreshTokenKeepsTheOldOne(t *testing.T) {
	e := newEnv(t)
	_, c := e.connect()
	// A fresh access token for the same consent, as a renewal that continues
	// it gets; its refresh token rotated, so store the new one as the token
	// Keeper would.
	fresh, err := e.flow.Client.Refresh(ctx, c.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.st.UpdateConnection(c.ID, func(c *store.Connection) error {
		c.RefreshToken = fresh.RefreshToken
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	before := mustConnection(t, e.st, c.ID)

	grant := &truelayer.Token{AccessToken: fresh.AccessToken, TokenType: "Bearer", ExpiresIn: time.Hour}
	e.clk.Add(time.Minute)
	got, err := e.flow.save(ctx, store.Attempt{ProviderID: "mock", ConnectionID: before.ID}, grant)
	if err != nil {
		t.Fatal(err)
	}
	if got.ConnectionID != before.ID || e.connections() != 1 {
		t.Fatalf("renewal went to %s (%d connections), want %s", got.ConnectionID, e.connections(), before.ID)
	}
	after := mustConnection(t, e.st, before.ID)
	switch {
	case after.AccessToken != fresh.AccessToken:
		t.Fatal("the renewal's access token was not stored")
	case after.RefreshToken != before.RefreshToken:
		t.Fatalf("refresh token %q after a grant without one, want the old one kept", after.RefreshToken)
	case !after.AccessTokenExpiry.Equal(e.clk.Now().Add(time.Hour)):
		t.Fatalf("access token expires %s, want an hour from now", after.AccessTokenExpiry)
	}
	if _, err := e.flow.Client.Refresh(ctx, after.RefreshToken); err != nil {
		t.Fatalf("the kept refresh token does not work: %v", err)
	}
}

func mustConnection(t *testing.T, st *store.Store, id string) store.Connection {
	t.Helper()
	c, err := st.Connection(id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// A card's balance read at connect keeps its statement: the last
// statement's balance and date and the payment due, as a sync stores them.
func TestConnectStoresTheCardStatement(t *testing.T) {
	e := newEnv(t)
	_, c := e.connect()
	accts, err := e.st.AccountsOf(c.ID)
	if err != nil {
		t.Fatal(err)
	}
	cards := 0
	for _, a := range accts {
		if a.Kind != store.KindCard {
			continue
		}
		cards++
		b, err := e.st.Balance(a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if b.CreditLimit == nil || b.LastStatementBalance == nil || b.LastStatementDate.IsZero() || b.PaymentDue == nil || b.PaymentDueDate.IsZero() {
			t.Errorf("card balance stored at connect lacks its statement: %+v", b)
		}
	}
	if cards == 0 {
		t.Fatal("the sandbox listed no card")
	}
}

// A connection that records no scopes (an answer without a scope field, an
// older record) reads as one with every scope: the connect flow lists its
// accounts and cards and reads their balances, as a sync would.
func TestUnrecordedScopesListEverything(t *testing.T) {
	e := newEnv(t)
	e.flow.ReadBalances = false // read below, without scopes
	_, c := e.connect()
	if !slices.Contains(c.Scopes, "cards") || !slices.Contains(c.Scopes, "balance") {
		t.Fatalf("the login granted %v", c.Scopes)
	}
	want, _, err := e.flow.listAccounts(ctx, c, c.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	c.Scopes = nil
	got, listed, err := e.flow.listAccounts(ctx, c, c.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || !listed[store.KindAccount] || !listed[store.KindCard] {
		t.Fatalf("without recorded scopes: %d accounts and cards (listed %v), want %d", len(got), listed, len(want))
	}
	for _, a := range got {
		if _, err := e.st.Balance(a.ID); err == nil {
			t.Fatalf("%s has a balance already", a.DisplayName)
		}
	}
	if w := e.flow.readBalances(ctx, c, c.AccessToken, got); len(w) != 0 {
		t.Fatalf("warnings %v", w)
	}
	for _, a := range got {
		if _, err := e.st.Balance(a.ID); err != nil {
			t.Errorf("balance of %s not read without recorded scopes: %v", a.DisplayName, err)
		}
	}
}
