package connect

import (
	"slices"
	"testing"

	"bankdesk/backend/store"
)

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
