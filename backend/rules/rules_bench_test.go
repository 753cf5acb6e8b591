package rules_test

import (
	"testing"

	"github.com/shopspring/decimal"

	"bankdesk/backend/internal/testrules"
	"bankdesk/backend/rules"
)

// BenchmarkApply50 is the cost of 50 rules per transaction, the figure
// the ingest benchmark's budget is checked against.
func BenchmarkApply50(b *testing.B) {
	c, err := rules.Compile(testrules.Fifty())
	if err != nil {
		b.Fatal(err)
	}
	tx := func(desc, merchant, account, amount, typ string, dom int) *rules.Transaction {
		return &rules.Transaction{Description: desc, Merchant: merchant, AccountID: account, Amount: decimal.RequireFromString(amount), Type: typ, DayOfMonth: dom}
	}
	txs := []*rules.Transaction{
		tx("PRET A MANGER 1234 LONDON", "Pret A Manger", "cur", "-4.85", "DEBIT", 3),
		tx("RENT JUNE", "", "cur", "-1250.00", "DEBIT", 1),
		tx("ACME LTD SALARY", "", "cur", "2450.00", "CREDIT", 25),
		tx("TESCO STORES 2041", "Tesco", "card", "-56.10", "DEBIT", 14),
		tx("AMAZON REFUND", "Amazon", "card", "23.99", "CREDIT", 14),
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		c.Apply(txs[i%len(txs)])
	}
}
