package connect

import (
	"errors"
	"maps"
	"testing"

	"github.com/shopspring/decimal"

	"bankdesk/backend/sandbox"
	"bankdesk/backend/store"
)

func TestSameAccount(t *testing.T) {
	cur := store.Account{Kind: store.KindAccount, IBAN: "GB29 NWBK 6016 1331 9268 19", SortCode: "60-16-13", Number: "31926819"}
	card := store.Account{Kind: store.KindCard, PartialCardNumber: "1234", NameOnCard: "MR JOHN DOE"}
	for _, tc := range []struct {
		name string
		a, b store.Account
		same bool
	}{
		{"same IBAN, written differently", cur, store.Account{Kind: store.KindAccount, IBAN: "gb29nwbk60161331926819"}, true},
		{"IBANs differ, numbers equal", cur, store.Account{Kind: store.KindAccount, IBAN: "GB94BARC10201530093459", SortCode: "601613", Number: "31926819"}, false},
		{"no IBAN on one side: sort code and number", cur, store.Account{Kind: store.KindAccount, SortCode: "601613", Number: "31926819"}, true},
		{"other number", cur, store.Account{Kind: store.KindAccount, SortCode: "601613", Number: "31926818"}, false},
		{"other sort code", cur, store.Account{Kind: store.KindAccount, SortCode: "601614", Number: "31926819"}, false},
		{"nothing to compare", store.Account{Kind: store.KindAccount, DisplayName: "Current"}, store.Account{Kind: store.KindAccount, DisplayName: "Current"}, false},
		{"card: partial number and name", card, store.Account{Kind: store.KindCard, PartialCardNumber: "1234", NameOnCard: "Mr John Doe"}, true},
		{"card: another holder", card, store.Account{Kind: store.KindCard, PartialCardNumber: "1234", NameOnCard: "MRS JANE DOE"}, false},
		{"card: another number", card, store.Account{Kind: store.KindCard, PartialCardNumber: "9999", NameOnCard: "MR JOHN DOE"}, false},
		{"kinds differ", store.Account{Kind: store.KindCard, Number: "1"}, store.Account{Kind: store.KindAccount, Number: "1"}, false},
	} {
		if got := sameAccount(tc.a, tc.b); got != tc.same {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.same)
		}
	}
}

// connectJohn connects john/doe and stores a few transactions on each
// account, standing in for the history a sync keeps.
func (e *env) connectJohn() (Result, map[string]int) {
	e.t.Helper()
	res, err := e.flow.Complete(ctx, e.callback("john", "doe"))
	if err != nil {
		e.t.Fatal(err)
	}
	accts, _ := e.st.AccountsOf(res.ConnectionID)
	history := map[string]int{} // by sort code + number, or card number
	for i, a := range accts {
		var txs []store.Transaction
		for d := range 3 + i {
			txs = append(txs, store.Transaction{
				ProviderTransactionID: a.ID + "-" + string(rune('a'+d)), BookedAt: e.clk.Now().AddDate(0, 0, -d),
				Description: "SEEDED", Amount: decimal.New(-int64(d+1), 0), Currency: "GBP", Type: store.TypeDebit,
				Category: "user-chosen",
			})
		}
		if _, _, err := e.st.PutTransactions(a.ID, txs); err != nil {
			e.t.Fatal(err)
		}
		history[a.SortCode+a.Number+a.PartialCardNumber] = len(txs)
	}
	return res, history
}

func (e *env) historyByNumber(connID string) map[string]int {
	e.t.Helper()
	accts, _ := e.st.AccountsOf(connID)
	out := map[string]int{}
	for _, a := range accts {
		n := 0
		_ = e.st.Transactions(a.ID, 0, 0, func(tx store.Transaction) error { // a failed read shows as a count mismatch
			if tx.Category == "user-chosen" {
				n++
			}
			return nil
		})
		out[a.SortCode+a.Number+a.PartialCardNumber] = n
	}
	return out
}

// A bank that hands out new account ids on re-consent: the stored accounts
// are found again by their numbers and their history moves to the new ids.
func TestReconnectWithNewAccountIDsKeepsTheHistory(t *testing.T) {
	e := newEnv(t)
	first, history := e.connectJohn()
	before, _ := e.st.AccountsOf(first.ConnectionID)

	e.sb.SetFaults(sandbox.Faults{NewAccountIDs: true})
	link, _ := e.flow.Reconnect(ctx, first.ConnectionID)
	res, err := e.flow.Complete(ctx, e.login(link.URL, "john", "doe"))
	if err != nil {
		t.Fatal(err)
	}
	if res.ConnectionID != first.ConnectionID || e.connections() != 1 {
		t.Fatalf("reconnect made connection %s", res.ConnectionID)
	}
	if len(res.Renamed) != 3 || len(res.Unmatched) != 0 || len(res.Missing) != 0 || len(res.Warnings) != 0 {
		t.Fatalf("renamed %v unmatched %v missing %v warnings %v", res.Renamed, res.Unmatched, res.Missing, res.Warnings)
	}
	after, _ := e.st.AccountsOf(first.ConnectionID)
	if len(after) != 3 {
		t.Fatalf("%d accounts after the reconnect", len(after))
	}
	for _, old := range before {
		if _, err := e.st.Account(old.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("old id %s still stored: %v", old.ID, err)
		}
		if _, err := e.st.Account(res.Renamed[old.ID]); err != nil {
			t.Errorf("new id of %s: %v", old.DisplayName, err)
		}
		if _, err := e.st.Balance(res.Renamed[old.ID]); err != nil {
			t.Errorf("balance under the new id of %s: %v", old.DisplayName, err)
		}
	}
	if got := e.historyByNumber(first.ConnectionID); !maps.Equal(got, history) {
		t.Fatalf("history by account %v, was %v", got, history)
	}
}

// What cannot be matched is reported, not guessed: an account whose
// numbers changed is both unmatched (the new one) and missing (the old).
func TestReconnectReportsUnmatchedAndMissingAccounts(t *testing.T) {
	e := newEnv(t)
	first, _ := e.connectJohn()
	accts, _ := e.st.AccountsOf(first.ConnectionID)
	var savings store.Account
	for _, a := range accts {
		if a.Type == "SAVINGS" {
			savings = a
		}
	}
	savings.IBAN, savings.Number = "", "00000000" // as if the bank had changed it
	if err := e.st.PutAccounts(first.ConnectionID, []store.Account{savings}); err != nil {
		t.Fatal(err)
	}

	e.sb.SetFaults(sandbox.Faults{NewAccountIDs: true})
	link, _ := e.flow.Reconnect(ctx, first.ConnectionID)
	res, err := e.flow.Complete(ctx, e.login(link.URL, "john", "doe"))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Renamed) != 2 || len(res.Unmatched) != 1 || len(res.Missing) != 1 {
		t.Fatalf("renamed %v unmatched %v missing %v", res.Renamed, res.Unmatched, res.Missing)
	}
	if res.Missing[0].ID != savings.ID || res.Unmatched[0].Type != "SAVINGS" || res.Unmatched[0].ID == savings.ID {
		t.Fatalf("missing %+v unmatched %+v", res.Missing[0], res.Unmatched[0])
	}
	if _, err := e.st.Account(savings.ID); err != nil {
		t.Fatalf("the missing account's history must stay: %v", err)
	}
}

// A renewal attempt carries state and PKCE to another door (extend); an
// abandoned one can no longer complete.
func TestRenewalAttempt(t *testing.T) {
	e := newEnv(t)
	first, _ := e.connectJohn()
	r, err := e.flow.BeginRenewal(first.ConnectionID)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.State) < 22 || r.CodeChallenge == "" || r.RedirectURI != "bankdesk://callback" || !r.ExpiresAt.Equal(e.clk.Now().Add(AttemptTTL)) {
		t.Fatalf("renewal %+v", r)
	}
	e.flow.Abandon(r.State)
	if _, err := e.flow.Complete(ctx, "bankdesk://callback?code=x&state="+r.State); !errors.Is(err, ErrUnknownState) {
		t.Fatalf("abandoned state: %v", err)
	}
	if _, err := e.flow.BeginRenewal("nope"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown connection: %v", err)
	}
}
