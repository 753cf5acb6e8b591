package ledger

import (
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"bankdesk/backend/internal/testenv"
	"bankdesk/backend/internal/testrules"
	"bankdesk/backend/rules"
	"bankdesk/backend/store"
)

var merchants = []string{"TESCO STORES", "SAINSBURYS", "PRET A MANGER", "TFL TRAVEL", "AMAZON MKTPLACE", "THAMES WATER", "NETFLIX.COM", "SHELL FUEL"}

// store100k fills a store with 100,000 transactions over three accounts.
func store100k(b *testing.B) *store.Store {
	b.Helper()
	s := testenv.Store(b)
	seed(b, s, map[string]string{"a1": "Current", "a2": "Savings", "a3": "Card"})
	start := time.Date(2020, 11, 1, 0, 0, 0, 0, time.UTC)
	for a, acct := range []string{"a1", "a2", "a3"} {
		n := 33334
		txs := make([]store.Transaction, 0, n)
		for i := 0; i < n; i++ {
			m := merchants[(i*7+a)%len(merchants)]
			txs = append(txs, store.Transaction{
				AccountID: acct, NormalisedProviderID: fmt.Sprintf("txn-%d-%d", a, i),
				BookedAt: start.Add(time.Duration(i) * 90 * time.Minute), Description: fmt.Sprintf("%s %04d LONDON", m, i%9999),
				Merchant: m, Category: "PURCHASE", Classification: []string{"Shopping", "General"},
				Amount: decimal.New(-int64(100+i%9000), -2), Currency: "GBP", Type: store.TypeDebit, Status: store.TxBooked,
			})
		}
		if _, _, err := s.PutTransactions(acct, txs); err != nil {
			b.Fatal(err)
		}
	}
	return s
}

// ledger100k is a ledger loaded over store100k.
func ledger100k(b *testing.B) *Ledger {
	b.Helper()
	l, err := Load(store100k(b))
	if err != nil {
		b.Fatal(err)
	}
	return l
}

// BenchmarkLoad100k is the start-up cost: decrypting and indexing 100,000 stored transactions.
func BenchmarkLoad100k(b *testing.B) {
	s := store100k(b)
	b.ReportAllocs()
	for b.Loop() {
		l, err := Load(s)
		if err != nil {
			b.Fatal(err)
		}
		if l.Len() < 100000 {
			b.Fatalf("loaded %d", l.Len())
		}
	}
}

// BenchmarkLoad100kRules is that load without rules and with 50
// (testrules.Fifty), which run on every read (store.ApplyRules): each
// iteration loads once each way, in turn, so the two figures share the
// machine's moments (it is shared, and its speed drifts).
func BenchmarkLoad100kRules(b *testing.B) {
	s := store100k(b)
	var took [2]time.Duration
	n := 0
	for b.Loop() {
		for i, rules := range [][]rules.Rule{nil, testrules.Fifty()} {
			if _, err := s.SetRules(rules); err != nil {
				b.Fatal(err)
			}
			start := time.Now()
			l, err := Load(s)
			took[i] += time.Since(start)
			if err != nil || l.Len() < 100000 {
				b.Fatalf("loaded %d: %v", l.Len(), err)
			}
		}
		n++
	}
	b.ReportMetric(took[0].Seconds()/float64(n), "s/load-no-rules")
	b.ReportMetric(took[1].Seconds()/float64(n), "s/load-50-rules")
}

// BenchmarkFirstPage100k is opening the transactions screen: the newest 200
// rows and the totals over all 100,000.
func BenchmarkFirstPage100k(b *testing.B) {
	l := ledger100k(b)
	b.ReportAllocs()
	for b.Loop() {
		if p := l.Query(Query{Limit: 200}); len(p.Rows) != 200 || p.Total < 100000 {
			b.Fatalf("page %d of %d", len(p.Rows), p.Total)
		}
	}
}

// BenchmarkSearch100k is one keystroke in the search box across 100,000 rows.
func BenchmarkSearch100k(b *testing.B) {
	l := ledger100k(b)
	b.ReportAllocs()
	for b.Loop() {
		if p := l.Query(Query{Search: "pret a manger 12", Limit: 200}); p.Total == 0 {
			b.Fatal("no match")
		}
	}
}

// BenchmarkSearchFields100k is a search in the search language's fields
// (backend/query) across 100,000 rows: an amount range, an exclusion, a
// category and a date, with the first page and totals.
func BenchmarkSearchFields100k(b *testing.B) {
	l := ledger100k(b)
	b.ReportAllocs()
	for b.Loop() {
		if p := l.Query(Query{Search: `amount:2..60 -is:pending after:2021-01-01 -refund`, Limit: 200}); p.Total == 0 {
			b.Fatal("no match")
		}
	}
}
