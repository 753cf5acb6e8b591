package ledger

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"bankdesk/backend/bankday"
	"bankdesk/backend/internal/testenv"
	"bankdesk/backend/query"
	"bankdesk/backend/store"
)

func seed(tb testing.TB, s *store.Store, accounts map[string]string) {
	tb.Helper()
	if err := s.PutConnection(store.Connection{ID: "c1", ProviderID: "mock"}); err != nil {
		tb.Fatal(err)
	}
	var accts []store.Account
	for id, name := range accounts {
		accts = append(accts, store.Account{ID: id, ConnectionID: "c1", Kind: store.KindAccount, DisplayName: name, Currency: "GBP"})
	}
	if err := s.PutAccounts("c1", accts); err != nil {
		tb.Fatal(err)
	}
}

func tx(account, id, date, amount, desc, category string, class ...string) store.Transaction {
	at, _ := time.Parse("2006-01-02", date)
	typ := store.TypeCredit
	a := decimal.RequireFromString(amount)
	if a.IsNegative() {
		typ = store.TypeDebit
	}
	return store.Transaction{
		AccountID: account, NormalisedProviderID: id, BookedAt: at, Description: desc, Amount: a,
		Currency: "GBP", Type: typ, Status: store.TxBooked, Category: category, Classification: class,
	}
}

// put stores txs as acct's booked transactions.
func put(t *testing.T, s *store.Store, acct string, txs ...store.Transaction) {
	t.Helper()
	if _, _, err := s.PutTransactions(acct, txs); err != nil {
		t.Fatal(err)
	}
}

// withPending stores p as its account's one pending transaction and loads
// the ledger.
func withPending(t *testing.T, s *store.Store, p store.Transaction) *Ledger {
	t.Helper()
	p.Status = store.TxPending
	if err := s.ReplacePending(p.AccountID, []store.Transaction{p}); err != nil {
		t.Fatal(err)
	}
	l, err := Load(s)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestQueryFiltersPagesAndTotals(t *testing.T) {
	s := testenv.Store(t)
	seed(t, s, map[string]string{"cur": "Club Lloyds", "sav": "Saver"})
	put(t, s, "cur",
		tx("cur", "t1", "2026-01-05", "-12.34", "TESCO STORES 123", "PURCHASE", "Shopping", "Groceries"),
		tx("cur", "t2", "2026-01-20", "2500.00", "ACME LTD SALARY", "CREDIT", "Income"),
		tx("cur", "t3", "2026-02-03", "-3.10", "PRET A MANGER", "PURCHASE", "Food & Dining"),
		tx("cur", "t4", "2026-02-10", "-0.005", "FX ROUNDING", "FEE_CHARGE"),
	)
	put(t, s, "sav", tx("sav", "s1", "2026-02-01", "0.77", "INTEREST (GROSS)", "INTEREST"))
	l := withPending(t, s, tx("cur", "p1", "2026-02-11", "-5.00", "TFL TRAVEL", "PURCHASE", "Transport"))
	if l.Len() != 6 {
		t.Fatalf("len %d", l.Len())
	}

	all := l.Query(Query{})
	if all.Total != 6 || all.Rows[0].Description != "TFL TRAVEL" || all.Rows[0].Status != store.TxPending || all.Rows[5].Description != "TESCO STORES 123" {
		t.Fatalf("order: %v", descriptions(all.Rows))
	}
	if all.Rows[1].AccountName != "Club Lloyds" {
		t.Fatalf("account name %q", all.Rows[1].AccountName)
	}
	// The pending payment is listed and summed apart, not in the totals.
	tot := all.Totals[0]
	if !tot.In.Equal(decimal.RequireFromString("2500.77")) || !tot.Out.Equal(decimal.RequireFromString("-15.445")) || tot.Count != 5 ||
		!tot.Pending.Equal(decimal.RequireFromString("-5")) || tot.PendingCount != 1 {
		t.Fatalf("totals %+v", tot)
	}

	cases := map[string]struct {
		q    Query
		want []string
	}{
		"account":  {Query{AccountIDs: []string{"sav"}}, []string{"INTEREST (GROSS)"}},
		"dates":    {Query{From: mustDay("2026-02-01"), To: mustDay("2026-02-03")}, []string{"PRET A MANGER", "INTEREST (GROSS)"}},
		"category": {Query{Category: "Shopping"}, []string{"TESCO STORES 123"}},
		"txcat":    {Query{Category: "FEE_CHARGE"}, []string{"FX ROUNDING"}},
		"in words": {Query{Category: "Fees and charges"}, []string{"FX ROUNDING"}},
		"pending":  {Query{Status: store.TxPending}, []string{"TFL TRAVEL"}},
		"search":   {Query{Search: "  tesco "}, []string{"TESCO STORES 123"}},
		"by class": {Query{Search: "groceries"}, []string{"TESCO STORES 123"}},
		"by value": {Query{Search: "2500"}, []string{"ACME LTD SALARY"}},
		"page 2":   {Query{Offset: 4, Limit: 1}, []string{"ACME LTD SALARY"}},
		// The search language (backend/query), on the ledger's own fields.
		"amount":     {Query{Search: "amount:3..20"}, []string{"TFL TRAVEL", "PRET A MANGER", "TESCO STORES 123"}},
		"signed":     {Query{Search: "amount:>+0"}, []string{"INTEREST (GROSS)", "ACME LTD SALARY"}},
		"booked":     {Query{Search: "amount:3..20 -is:pending"}, []string{"PRET A MANGER", "TESCO STORES 123"}},
		"income":     {Query{Search: "is:income"}, []string{"INTEREST (GROSS)", "ACME LTD SALARY"}},
		"acct field": {Query{Search: "account:saver"}, []string{"INTEREST (GROSS)"}},
		"field cat":  {Query{Search: `category:"food & dining"`}, []string{"PRET A MANGER"}},
		"days":       {Query{Search: "after:2026-02-01 before:2026-02-10"}, []string{"PRET A MANGER", "INTEREST (GROSS)"}},
		"excluded":   {Query{Search: "-club"}, []string{"INTEREST (GROSS)"}},
		"half typed": {Query{Search: "amount:>"}, nil}, // looked for as written: nothing holds it
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			got := descriptions(l.Query(c.q).Rows)
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Fatalf("got %q, want %q", got, c.want)
			}
		})
	}
	// What the list shows is what an export of the same filter keeps.
	accounts := map[string]string{"cur": "Club Lloyds", "sav": "Saver"}
	for _, search := range []string{"amount:3..20 -is:pending", "is:income", "account:saver", "tesco"} {
		f := Filter{Search: search}
		keep := f.Keep(accounts)
		kept := 0
		for _, r := range l.Query(Query{Limit: 100}).Rows {
			if keep(r.Transaction) {
				kept++
			}
		}
		if listed := l.Query(Query{Search: search}).Total; kept != listed {
			t.Errorf("%q: the list shows %d, an export keeps %d", search, listed, kept)
		}
	}
	if err := (Filter{Search: "amount:>"}).Check(); !errors.Is(err, query.ErrSyntax) {
		t.Errorf("Check of a half-typed search: %v", err)
	}
	if p := l.Query(Query{Offset: 4, Limit: 1}); p.Total != 6 {
		t.Fatalf("paging must not change Total: %d", p.Total)
	}
}

func TestSpendingByMonthAndCategory(t *testing.T) {
	s := testenv.Store(t)
	seed(t, s, map[string]string{"cur": "Club Lloyds"})
	put(t, s, "cur",
		tx("cur", "t1", "2026-01-05", "-12.34", "TESCO", "PURCHASE", "Shopping"),
		tx("cur", "t2", "2026-01-06", "-7.66", "ASDA", "PURCHASE", "Shopping"),
		tx("cur", "t3", "2026-01-20", "2500.00", "SALARY", "CREDIT", "Income"),
		tx("cur", "t4", "2026-02-03", "-40.00", "ATM", "ATM"),
		tx("cur", "t5", "2026-02-04", "-500.00", "TO SAVINGS", "TRANSFER"),
	)
	l, err := Load(s)
	if err != nil {
		t.Fatal(err)
	}
	sp := l.Spending(Query{}, 0)
	if len(sp.Months) != 2 || sp.Months[0].Month != "2026-01" || !sp.Months[0].Out.Equal(decimal.RequireFromString("20")) ||
		!sp.Months[0].In.Equal(decimal.RequireFromString("2500")) || !sp.Months[1].Out.Equal(decimal.RequireFromString("40")) {
		t.Fatalf("months %+v", sp.Months)
	}
	if sp.From != mustDay("2026-01-05") || sp.To != mustDay("2026-02-04") {
		t.Fatalf("an open query covers the data's days: %s..%s", sp.From, sp.To)
	}
	if len(sp.Categories) != 2 || sp.Categories[0].Name != "Cash" || sp.Categories[1].Name != "Shopping" || !sp.Categories[1].Out.Equal(decimal.RequireFromString("20")) {
		t.Fatalf("categories %+v", sp.Categories)
	}
	if got := fmt.Sprint(l.Categories()); got != "[Cash Income Shopping Transfers]" {
		t.Fatalf("categories list %s", got)
	}
}

// Spending follows the period: only its months (every one, empty ones
// too) and only its categories; the month not over yet is partial. Its
// months add up to the Transactions totals of the same period, where the
// transfers are apart and the pending payment is not counted.
func TestSpendingFollowsThePeriodAndAgreesWithTheTotals(t *testing.T) {
	s := testenv.Store(t)
	seed(t, s, map[string]string{"cur": "Club Lloyds", "card": "Card"})
	put(t, s, "cur",
		tx("cur", "old", "2025-06-10", "-900.00", "SOFA WORLD", "PURCHASE", "Home"),
		tx("cur", "t1", "2026-01-05", "-12.34", "TESCO", "PURCHASE", "Shopping"),
		tx("cur", "t2", "2026-01-20", "2500.00", "SALARY", "CREDIT", "Income"),
		tx("cur", "t3", "2026-03-02", "-40.00", "ATM", "ATM"),
		tx("cur", "t4", "2026-03-03", "-500.00", "CARD PAYMENT", "TRANSFER"),
		tx("cur", "t5", "2026-03-04", "3.10", "REFUND", "CREDIT", "Shopping"),
	)
	put(t, s, "card", tx("card", "c1", "2026-03-03", "500.00", "PAYMENT RECEIVED", "TRANSFER"))
	l := withPending(t, s, tx("cur", "p1", "2026-03-04", "-5.00", "TFL", "PURCHASE", "Transport"))
	today := mustDay("2026-03-04")
	from, to := Period(today, 3)
	if from != mustDay("2026-01-01") || to != today {
		t.Fatalf("3 months to %s: %s..%s", today, from, to)
	}
	sp := l.Spending(Query{From: from, To: to}, today)
	var got []string
	for _, m := range sp.Months {
		got = append(got, fmt.Sprintf("%s in %s out %s partial %v", m.Month, m.In, m.Out, m.Partial))
	}
	want := []string{"2026-01 in 2500 out 12.34 partial false", "2026-02 in 0 out 0 partial false", "2026-03 in 3.1 out 40 partial true"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("months\n got %q\nwant %q", got, want)
	}
	got = nil
	for _, c := range sp.Categories {
		got = append(got, fmt.Sprintf("%s %s×%d", c.Name, c.Out, c.Count))
	}
	if want := []string{"Cash 40×1", "Shopping 12.34×1"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("categories %q, want %q (no sofa from 2025, no transfer)", got, want)
	}

	if len(sp.Totals) != 1 || !sp.Totals[0].In.Equal(decimal.RequireFromString("2503.1")) || !sp.Totals[0].Out.Equal(decimal.RequireFromString("52.34")) {
		t.Fatalf("the period's totals %+v", sp.Totals)
	}

	tot := l.Query(Query{From: from, To: to}).Totals[0]
	if got := fmt.Sprintf("in %s out %s transfers %s %s count %d pending %s×%d", tot.In, tot.Out, tot.TransfersIn, tot.TransfersOut, tot.Count, tot.Pending, tot.PendingCount); got != "in 2503.1 out -52.34 transfers 500 -500 count 6 pending -5×1" {
		t.Fatalf("totals %s", got)
	}
	cur := l.Query(Query{AccountIDs: []string{"cur"}, From: from, To: to}).Totals[0]
	if !cur.TransfersIn.IsZero() || !cur.TransfersOut.Equal(decimal.RequireFromString("-500")) {
		t.Fatalf("the current account's transfers %+v", cur)
	}
	if p := l.Query(Query{Category: TransfersName}); p.Total != 2 || p.Rows[0].Flow != Transfer {
		t.Fatalf("the Transfers category holds %d rows", p.Total)
	}
}

// Every category a screen shows is in words, one name per transfer, and
// the flow goes by the category and the stored sign.
func TestCategoryNamesAreWords(t *testing.T) {
	for _, c := range []struct {
		category string
		class    []string
		want     string
	}{
		{"PURCHASE", []string{"Shopping", "Groceries"}, "Shopping"},
		{"TRANSFER", []string{"Shopping"}, "Transfers"}, // every transfer, so the filter finds them all
		{"TRANSFER", nil, "Transfers"},
		{"ATM", nil, "Cash"},
		{"FEE_CHARGE", []string{""}, "Fees and charges"},
		{"UNKNOWN", nil, "Uncategorised"},
		{"", nil, "Uncategorised"},
		{"NEW_ENUM", nil, "NEW_ENUM"}, // a value TrueLayer adds later still shows
	} {
		tr := store.Transaction{Category: c.category, Classification: c.class, Amount: decimal.New(-1, 0)}
		if got := CategoryName(&tr); got != c.want {
			t.Errorf("%s %q: %q, want %q", c.category, c.class, got, c.want)
		}
	}
	for _, c := range []struct {
		category, amount string
		want             Flow
	}{{"PURCHASE", "-1", Out}, {"CREDIT", "1", In}, {"TRANSFER", "-1", Transfer}, {"TRANSFER", "1", Transfer}, {"PURCHASE", "0", In}} {
		tr := store.Transaction{Category: c.category, Amount: decimal.RequireFromString(c.amount)}
		if got := FlowOf(&tr); got != c.want {
			t.Errorf("%s %s: flow %d, want %d", c.category, c.amount, got, c.want)
		}
	}
}

func descriptions(rows []Row) []string {
	out := []string{}
	for _, r := range rows {
		out = append(out, r.Description)
	}
	return out
}

func mustDay(s string) bankday.Day { return bankday.Of(mustDate(s)) }

func mustDate(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}
