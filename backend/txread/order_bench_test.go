package txread

import (
	"slices"
	"testing"

	"bankdesk/backend/internal/fixture"
	"bankdesk/backend/store"
)

// BenchmarkSort100k is the one order over the benchmarks' 100,000
// transactions of one account (fixture.Transactions: about 39 a day, each
// with a running balance that does not chain, so every day is tried and
// keeps its key order), from the store's order: the ledger's share of a
// load, and what Rows spends a day at a time.
func BenchmarkSort100k(b *testing.B) {
	txs := fixture.Transactions(fixture.N)
	for i := range txs {
		txs[i].AccountID, txs[i].Key, txs[i].Status = fixture.Account, "n:"+txs[i].NormalisedProviderID, store.TxBooked
	}
	accts := []store.Account{{ID: fixture.Account, Kind: store.KindAccount}}
	rows := make([]store.Transaction, len(txs))
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		copy(rows, txs)
		b.StartTimer()
		Sort(rows, func(t *store.Transaction) *store.Transaction { return t }, accts)
	}
	if !slices.IsSortedFunc(rows, Compare) {
		b.Fatal("not in key order")
	}
}
