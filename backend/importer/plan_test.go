package importer

import (
	"testing"

	"github.com/shopspring/decimal"

	"bankdesk/backend/bankday"
	"bankdesk/backend/store"
)

func tx(day int, amount, desc, id string) store.Transaction {
	t := store.Transaction{AccountID: "a", BookedAt: bankday.Date(2026, 7, day).Midnight(bankday.London), Amount: decimal.RequireFromString(amount),
		Description: desc, Type: store.TypeCredit, ProviderTransactionID: id}
	if t.Amount.IsNegative() {
		t.Type = store.TypeDebit
	}
	t.Key = store.DedupeKey(t)
	return t
}

func TestMakePlan(t *testing.T) {
	stored := []store.Transaction{
		tx(1, "-2.50", "COFFEE", ""),
		tx(1, "-2.50", "COFFEE", ""), // two coffees on one day
		tx(3, "-9.99", "BOOKS", "B1"),
		tx(10, "-40", "GAS", ""),
		tx(12, "100", "SALARY", ""),
	}
	rows := []store.Transaction{
		tx(1, "-2.50", "coffee ", ""),        // duplicate by content (case, spaces)
		tx(1, "-2.50", "Coffee", ""),         // the second coffee
		tx(1, "-2.50", "COFFEE", ""),         // a third: new
		tx(5, "-9.99", "BOOKS ONLINE", "B1"), // duplicate by id, 2 days and other words apart
		tx(12, "-40", "GAS", ""),             // same amount and words, 2 days on: review
		tx(12, "100", "PAYROLL", ""),         // same day and amount, other words: review
		tx(20, "-9.99", "BOOKS", "B1"),       // the id again, 17 days on: reused, and new
	}
	p := MakePlan(rows, stored)
	if p.Duplicates != 3 || len(p.Review) != 2 || len(p.Add) != 2 {
		t.Fatalf("duplicates %d, review %d, add %d; want 3, 2, 2", p.Duplicates, len(p.Review), len(p.Add))
	}
	if p.Add[0].Description != "COFFEE" || p.Add[1].Day() != bankday.Date(2026, 7, 20) {
		t.Fatalf("added %+v", p.Add)
	}
	if p.Review[0].Why != "the same amount and description, 2 days apart" || p.Review[1].Why != "the same day and amount, another description" {
		t.Fatalf("review %q, %q", p.Review[0].Why, p.Review[1].Why)
	}
	// The plan of the rows against what it would leave stored adds nothing.
	again := MakePlan(rows, append(append(stored, p.Add...), func() (r []store.Transaction) {
		for _, v := range p.Review {
			r = append(r, v.Row)
		}
		return r
	}()...))
	if len(again.Add) != 0 || again.Duplicates != len(rows) {
		t.Fatalf("again: add %d, duplicates %d", len(again.Add), again.Duplicates)
	}
}
