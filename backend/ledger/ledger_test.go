package ledger

import (
	"bankdesk/backend/bankday"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"bankdesk/backend/internal/testenv"
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

func TestQueryFiltersPagesAndTotals(t *testing.T) {
	s := testenv.Store(t)
	seed(t, s, map[string]string{"cur": "Club Lloyds", "sav": "Saver"})
	put := func(acct string, txs ...store.Transaction) {
		if _, _, err := s.PutTransactions(acct, txs); err != nil {
			t.Fatal(err)
		}
	}
	put("cur",
		tx("cur", "t1", "2026-01-05", "-12.34", "TESCO STORES 123", "PURCHASE", "Shopping", "Groceries"),
		tx("cur", "t2", "2026-01-20", "2500.00", "ACME LTD SALARY", "CREDIT", "Income"),
		tx("cur", "t3", "2026-02-03", "-3.10", "PRET A MANGER", "PURCHASE", "Food & Dining"),
		tx("cur", "t4", "2026-02-10", "-0.005", "FX ROUNDING", "FEE_CHARGE"),
	)
	put("sav", tx("sav", "s1", "2026-02-01", "0.77", "INTEREST (GROSS)", "INTEREST"))
	if err := s.ReplacePending("cur", []store.Transaction{func() store.Transaction {
		p := tx("cur", "p1", "2026-02-11", "-5.00", "TFL TRAVEL", "PURCHASE", "Transport")
		p.Status = store.TxPending
		return p
	}()}); err != nil {
		t.Fatal(err)
	}
	l, err := Load(s)
	if err != nil {
		t.Fatal(err)
	}
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
	tot := all.Totals[0]
	if !tot.In.Equal(decimal.RequireFromString("2500.77")) || !tot.Out.Equal(decimal.RequireFromString("-20.445")) || tot.Count != 6 {
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
		"pending":  {Query{Status: store.TxPending}, []string{"TFL TRAVEL"}},
		"search":   {Query{Search: "  tesco "}, []string{"TESCO STORES 123"}},
		"by class": {Query{Search: "groceries"}, []string{"TESCO STORES 123"}},
		"by value": {Query{Search: "2500"}, []string{"ACME LTD SALARY"}},
		"page 2":   {Query{Offset: 4, Limit: 1}, []string{"ACME LTD SALARY"}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			got := descriptions(l.Query(c.q).Rows)
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Fatalf("got %q, want %q", got, c.want)
			}
		})
	}
	if p := l.Query(Query{Offset: 4, Limit: 1}); p.Total != 6 {
		t.Fatalf("paging must not change Total: %d", p.Total)
	}
}

func TestSpendingByMonthAndCategory(t *testing.T) {
	s := testenv.Store(t)
	seed(t, s, map[string]string{"cur": "Club Lloyds"})
	if _, _, err := s.PutTransactions("cur", []store.Transaction{
		tx("cur", "t1", "2026-01-05", "-12.34", "TESCO", "PURCHASE", "Shopping"),
		tx("cur", "t2", "2026-01-06", "-7.66", "ASDA", "PURCHASE", "Shopping"),
		tx("cur", "t3", "2026-01-20", "2500.00", "SALARY", "CREDIT", "Income"),
		tx("cur", "t4", "2026-02-03", "-40.00", "ATM", "ATM"),
		tx("cur", "t5", "2026-02-04", "-500.00", "TO SAVINGS", "TRANSFER"),
	}); err != nil {
		t.Fatal(err)
	}
	l, err := Load(s)
	if err != nil {
		t.Fatal(err)
	}
	sp := l.Spending(Query{})
	if len(sp.Months) != 2 || sp.Months[0].Month != "2026-01" || !sp.Months[0].Out.Equal(decimal.RequireFromString("20")) ||
		!sp.Months[0].In.Equal(decimal.RequireFromString("2500")) || !sp.Months[1].Out.Equal(decimal.RequireFromString("40")) {
		t.Fatalf("months %+v", sp.Months)
	}
	if len(sp.Categories) != 2 || sp.Categories[0].Name != "ATM" || sp.Categories[1].Name != "Shopping" || !sp.Categories[1].Out.Equal(decimal.RequireFromString("20")) {
		t.Fatalf("categories %+v", sp.Categories)
	}
	if got := fmt.Sprint(l.Categories()); got != "[ATM Income Shopping TRANSFER]" {
		t.Fatalf("categories list %s", got)
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
