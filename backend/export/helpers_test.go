package export

import (
	"bankdesk/backend/bankday"
	"cmp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"bankdesk/backend/store"
)

// addAccounts stores accounts under one connection.
func addAccounts(t testing.TB, st *store.Store, accts ...store.Account) {
	t.Helper()
	if err := st.PutConnection(store.Connection{ID: "conn", ProviderID: "ob-lloyds"}); err != nil {
		t.Fatal(err)
	}
	if err := st.PutAccounts("conn", accts); err != nil {
		t.Fatal(err)
	}
}

func addBooked(t testing.TB, st *store.Store, accountID string, txs ...store.Transaction) {
	t.Helper()
	if _, _, err := st.PutTransactions(accountID, txs); err != nil {
		t.Fatal(err)
	}
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func decp(s string) *decimal.Decimal { d := dec(s); return &d }

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// bday is a bank day, for Options.From and To.
func bday(s string) bankday.Day { return bankday.Of(date(s)) }

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

var (
	current = store.Account{ID: "acc-current", Kind: store.KindAccount, Type: "TRANSACTION", ProviderID: "ob-lloyds",
		DisplayName: "Club Lloyds", Currency: "GBP", SortCode: "30-94-57", Number: "12345678"}
	savings = store.Account{ID: "acc-savings", Kind: store.KindAccount, Type: "SAVINGS", ProviderID: "ob-lloyds",
		DisplayName: "=Saver, \"easy\"", Currency: "GBP", IBAN: "GB33 BUKB 2020 1555 5555 55"}
	card = store.Account{ID: "0123456789abcdef0123456789abcdef", Kind: store.KindCard, Type: "CREDIT", ProviderID: "ob-lloyds",
		DisplayName: "Platinum Visa", Currency: "GBP", PartialCardNumber: "4321"}
)

// trickyTexts are texts a CSV writer and a spreadsheet get wrong:
// delimiters, quotes, line breaks of every kind, emoji, non-ASCII and every
// formula trigger.
var trickyTexts = []string{
	`TESCO, STORES 3297`,
	`He said "hi", then left`,
	"two\nlines",
	"windows\r\nline",
	"old mac\rline",
	"café crème 😀 £5 — Zürich",
	"=HYPERLINK(\"http://evil.example\",\"click\")",
	"+44 20 7946 0958",
	"-5 refund",
	"@SUM(A1:A9)",
	"\tTAB LEADING",
	"\rCR LEADING",
	"semi;colon;text",
	"'already quoted",
	" leading space",
	"",
}

// trickyTransactions carry trickyTexts in descriptions, merchants and
// classifications.
func trickyTransactions() []store.Transaction {
	amounts := []string{"-12.50", "1500", "-0.01", "-1234567.891", "0", "99.99", "-3.5", "250.00"}
	var txs []store.Transaction
	for i, text := range trickyTexts {
		amount := dec(amounts[i%len(amounts)])
		typ := store.TypeCredit
		if amount.IsNegative() {
			typ = store.TypeDebit
		}
		t := store.Transaction{
			ProviderTransactionID: "bank-" + string(rune('a'+i)),
			BookedAt:              at("2025-03-01T09:00:00Z").Add(time.Duration(i) * 7 * time.Hour),
			Description:           text,
			Merchant:              trickyTexts[(i+6)%len(trickyTexts)],
			Category:              []string{"PURCHASE", "DIRECT_DEBIT", "STANDING_ORDER", "ATM", "INTEREST"}[i%5],
			Classification:        []string{"Shopping", trickyTexts[(i+9)%len(trickyTexts)]},
			Amount:                amount,
			Currency:              "GBP",
			Type:                  typ,
		}
		if i%3 != 0 {
			t.RunningBalance = decp([]string{"1000.25", "-50.5", "0.125"}[i%3])
		}
		if i%4 == 0 {
			t.Classification = nil
		}
		txs = append(txs, t)
	}
	return txs
}

// fillTricky stores the tricky transactions across a current account, a
// savings account and a card, with a few pending ones, and returns every
// stored row in export order.
func fillTricky(t testing.TB, st *store.Store) []store.Transaction {
	t.Helper()
	addAccounts(t, st, current, savings, card)
	txs := trickyTransactions()
	addBooked(t, st, current.ID, txs[:8]...)
	addBooked(t, st, savings.ID, txs[8:12]...)
	addBooked(t, st, card.ID, txs[12:]...)
	// The same booking time in two accounts and a pending twin: the order's
	// tie-breaks.
	addBooked(t, st, savings.ID, store.Transaction{ProviderTransactionID: "tie", BookedAt: txs[0].BookedAt,
		Description: "tie", Amount: dec("1"), Currency: "GBP", Type: store.TypeCredit})
	pending := []store.Transaction{
		{ProviderTransactionID: "pend-1", BookedAt: txs[0].BookedAt, Description: "-pending, \"quoted\"",
			Amount: dec("-4.20"), Currency: "GBP", Type: store.TypeDebit},
		{ProviderTransactionID: "pend-2", BookedAt: at("2025-03-10T12:00:00Z"), Description: "pending\r\ntwo lines",
			Amount: dec("-0.99"), Currency: "GBP", Type: store.TypeDebit},
	}
	if err := st.ReplacePending(current.ID, pending); err != nil {
		t.Fatal(err)
	}
	// The person's own fields, as tricky as the bank's: formulas, quotes,
	// delimiters, line breaks, a transfer link, on booked and pending rows.
	for _, u := range []struct {
		acct, key string
		f         store.UserFields
	}{
		{current.ID, storedRows(t, st, false)[0].Key, store.UserFields{Category: "=Eating; out", Note: "line one\nline \"two\", three",
			Tags: []string{"+plus", "zürich 😀"}, Payee: "@payee", Hidden: true, TransferWith: &store.TxRef{AccountID: savings.ID, Key: "p:tie"}}},
		{current.ID, "p:pend-2", store.UserFields{Note: "-minus", Payee: "Café; Crème"}},
	} {
		if err := st.SetUserFields(u.acct, u.key, u.f); err != nil {
			t.Fatal(err)
		}
	}
	return storedRows(t, st, true)
}

// storedRows reads back everything stored, in the documented order.
func storedRows(t testing.TB, st *store.Store, withPending bool) []store.Transaction {
	t.Helper()
	accts, err := st.Accounts()
	if err != nil {
		t.Fatal(err)
	}
	var all []store.Transaction
	for _, a := range accts {
		if err := st.Transactions(a.ID, 0, 0, func(tx store.Transaction) error {
			all = append(all, tx)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if withPending {
			p, err := st.Pending(a.ID)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, p...)
		}
	}
	slices.SortFunc(all, func(a, b store.Transaction) int {
		return cmp.Or(a.BookedAt.Compare(b.BookedAt), strings.Compare(a.AccountID, b.AccountID),
			strings.Compare(a.Status, b.Status), strings.Compare(a.Key, b.Key))
	})
	return all
}
