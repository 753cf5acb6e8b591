package bankdata

import (
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"bankdesk/backend/store"
	"bankdesk/backend/truelayer"
)

// in2026 is midnight UTC of a day in 2026.
func in2026(month time.Month, day int) time.Time {
	return time.Date(2026, month, day, 0, 0, 0, 0, time.UTC)
}

func tx(typ, amount string) truelayer.Transaction {
	var ts truelayer.Time
	if err := ts.UnmarshalJSON([]byte(`"2026-03-06T00:00:00"`)); err != nil {
		panic(err)
	}
	return truelayer.Transaction{
		TransactionID: "per-request", NormalisedProviderTransactionID: "txn-1", ProviderTransactionID: "B1",
		Timestamp: ts, Description: "SAINSBURYS", Amount: decimal.RequireFromString(amount), Currency: "GBP",
		Type: typ, Category: "PURCHASE", Classification: []string{"Shopping", "Groceries"}, MerchantName: "Sainsbury's",
		RunningBalance: &truelayer.RunningBalance{Amount: decimal.RequireFromString("100.10"), Currency: "GBP"},
		Meta:           map[string]any{"provider_transaction_category": "DEB", "count": 2.0, "flag": true, "nested": map[string]any{"a": "b"}, "none": nil},
	}
}

// Direction comes from transaction_type, not the sign: card feeds send
// purchases as positive DEBITs.
func TestConversionSignsByTypeAndKeepsDetails(t *testing.T) {
	for _, c := range []struct{ typ, amount, want string }{
		{"DEBIT", "24.25", "-24.25"},  // card purchase
		{"DEBIT", "-2.99", "-2.99"},   // account purchase
		{"CREDIT", "0.77", "0.77"},    // interest
		{"CREDIT", "-50.00", "50.00"}, // a card repayment some banks sign negative
	} {
		got, skipped := Transactions("acc", store.TxBooked, []truelayer.Transaction{tx(c.typ, c.amount)}, time.UTC)
		if skipped != 0 || len(got) != 1 {
			t.Fatal(got, skipped)
		}
		g := got[0]
		if !g.Amount.Equal(decimal.RequireFromString(c.want)) || g.Type != c.typ {
			t.Errorf("%s %s → %s %s, want %s", c.typ, c.amount, g.Amount, g.Type, c.want)
		}
		if g.AccountID != "acc" || g.Status != store.TxBooked || !g.BookedAt.Equal(in2026(time.March, 6)) || g.Merchant != "Sainsbury's" ||
			g.Category != "PURCHASE" || len(g.Classification) != 2 || g.NormalisedProviderID != "txn-1" || g.ProviderTransactionID != "B1" ||
			g.TransactionID != "per-request" || g.RunningBalance == nil || g.RunningBalance.String() != "100.1" {
			t.Errorf("details lost: %+v", g)
		}
		if m := g.Meta; m["provider_transaction_category"] != "DEB" || m["count"] != "2" || m["flag"] != "true" || m["nested"] != `{"a":"b"}` || len(m) != 4 {
			t.Errorf("meta %v", m)
		}
	}
	bad := tx("DEBIT", "1")
	bad.Timestamp = truelayer.Time{Raw: "2017-02-247T17:29:24Z"}
	got, skipped := Transactions("acc", store.TxPending, []truelayer.Transaction{bad, tx("DEBIT", "1")}, time.UTC)
	if skipped != 1 || len(got) != 1 || got[0].Status != store.TxPending {
		t.Fatalf("unparseable timestamp: %d kept, %d skipped", len(got), skipped)
	}
}

// One rule for every reader: scopes that were not recorded are all of them;
// recorded ones are taken at their word.
func TestHasScope(t *testing.T) {
	for _, c := range []struct {
		scopes []string
		want   bool
	}{
		{nil, true},
		{[]string{}, true},
		{[]string{"info", "accounts", "cards"}, true},
		{[]string{"info", "accounts"}, false},
	} {
		if got := HasScope(store.Connection{Scopes: c.scopes}, "cards"); got != c.want {
			t.Errorf("scopes %v: cards %v, want %v", c.scopes, got, c.want)
		}
	}
}

// A balance maps alike for an account and a card: each keeps what its bank
// sent (overdraft; limit and statement), the account's currency fills in,
// and a timestamp that did not parse means "read now".
func TestBalanceKeepsWhatTheBankSent(t *testing.T) {
	now := time.Date(2026, 3, 11, 14, 30, 0, 0, time.UTC)
	amt := func(s string) *decimal.Decimal { v := decimal.RequireFromString(s); return &v }
	card := store.Account{ID: "card1", Kind: store.KindCard, Currency: "GBP"}
	b := Balance(card, &truelayer.Balance{
		Current: decimal.RequireFromString("20"), CreditLimit: amt("3300"), LastStatementBalance: amt("420"),
		LastStatementDate: truelayer.Time{Time: in2026(time.February, 28)}, PaymentDue: amt("5"), PaymentDueDate: truelayer.Time{Time: in2026(time.March, 20)},
		UpdateTimestamp: truelayer.Time{Raw: "2017-02-247T17:29:24Z"},
	}, now)
	if b.AccountID != "card1" || b.Currency != "GBP" || !b.UpdatedAt.Equal(now) || b.CreditLimit == nil || b.LastStatementBalance == nil ||
		!b.LastStatementDate.Equal(in2026(time.February, 28)) || b.PaymentDue == nil || !b.PaymentDueDate.Equal(in2026(time.March, 20)) || b.Overdraft != nil {
		t.Errorf("card balance %+v", b)
	}
	acct := store.Account{ID: "acc1", Kind: store.KindAccount, Currency: "GBP"}
	b = Balance(acct, &truelayer.Balance{Currency: "EUR", Current: decimal.RequireFromString("1"), Overdraft: amt("500"),
		UpdateTimestamp: truelayer.Time{Time: in2026(time.March, 10)}}, now)
	if b.Currency != "EUR" || b.Overdraft == nil || !b.UpdatedAt.Equal(in2026(time.March, 10)) || b.CreditLimit != nil {
		t.Errorf("account balance %+v", b)
	}
	if r := Resource(card); !r.Card || r.ID != "card1" {
		t.Errorf("card resource %+v", r)
	}
	if r := Resource(acct); r.Card || r.ID != "acc1" {
		t.Errorf("account resource %+v", r)
	}
}

// Every frequency code TrueLayer documents reads as words; one it does not
// know reads as nothing rather than as a code.
func TestFrequencyInWords(t *testing.T) {
	for code, want := range map[string]string{
		"EvryDay":             "every day",
		"EvryWorkgDay":        "every working day",
		"IntrvlDay:15":        "every 15 days",
		"IntrvlWkDay:01:03":   "every week on Wednesday",
		"IntrvlWkDay:02:05":   "every 2 weeks on Friday",
		"WkInMnthDay:02:01":   "every month on the 2nd Monday",
		"IntrvlMnthDay:01:26": "every month on the 26th",
		"IntrvlMnthDay:01:01": "every month on the 1st",
		"IntrvlMnthDay:03:22": "every 3 months on the 22nd",
		"IntrvlMnthDay:01:-1": "every month on the last day",
		"IntrvlMnthDay:01:-2": "every month on the 2nd last day",
		"IntrvlMnthDay:01:11": "every month on the 11th",
		"QtrDay:ENGLISH":      "every quarter",
		"IntrvlWkDay:01:09":   "",
		"Fortnightly":         "",
		"":                    "",
	} {
		if got := Frequency(code); got != want {
			t.Errorf("%q: %q, want %q", code, got, want)
		}
	}
}

// Scopes read as sentences; an unknown scope is not shown as its id.
func TestPermissionsInWords(t *testing.T) {
	got := Permissions([]string{"accounts", "offline_access", "new_scope", "other_scope"}, 90)
	want := []string{"your account names, numbers and types", "to refresh this data for 90 days without asking you again", "other data your bank shares"}
	if !slices.Equal(got, want) {
		t.Errorf("%q, want %q", got, want)
	}
}
