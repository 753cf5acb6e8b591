package app

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"bankdesk/backend/config"
	"bankdesk/backend/store"
	"bankdesk/backend/view"
)

// BenchmarkStartupToReady100k is the app's start with 100,000 transactions
// stored: open the vault (Argon2id), the store and the built-in sandbox, then
// everything the first screens show — status, accounts, connections and the
// first page of the transactions list with its totals.
func BenchmarkStartupToReady100k(b *testing.B) {
	dir := b.TempDir()
	cfg, err := config.FromEnv(func(k string) string {
		return map[string]string{"BANKDESK_DATA_DIR": dir, "BANKDESK_KEYRING": "file", "BANKDESK_PASSPHRASE": "bench passphrase"}[k]
	})
	if err != nil {
		b.Fatal(err)
	}
	seedApp := New(cfg, nil, nil)
	d, err := seedApp.backend()
	if err != nil {
		b.Fatal(err)
	}
	s := d.Store()
	if err := s.PutConnection(store.Connection{ID: "c1", ProviderID: "mock", ProviderName: "Mock"}); err != nil {
		b.Fatal(err)
	}
	ids := []string{"acc-current", "acc-savings", "acc-card"}
	var accts []store.Account
	for _, id := range ids {
		accts = append(accts, store.Account{ID: id, ConnectionID: "c1", Kind: store.KindAccount, DisplayName: id, Currency: "GBP"})
	}
	if err := s.PutAccounts("c1", accts); err != nil {
		b.Fatal(err)
	}
	start := time.Date(2020, 11, 1, 0, 0, 0, 0, time.UTC)
	for a, id := range ids {
		txs := make([]store.Transaction, 0, 33334)
		for i := 0; i < 33334; i++ {
			txs = append(txs, store.Transaction{
				AccountID: id, NormalisedProviderID: fmt.Sprintf("txn-%d-%d", a, i), BookedAt: start.Add(time.Duration(i) * 90 * time.Minute),
				Description: fmt.Sprintf("TESCO STORES %04d LONDON", i%9999), Merchant: "Tesco", Category: "PURCHASE",
				Classification: []string{"Shopping", "Groceries"}, Amount: decimal.New(-int64(100+i%9000), -2),
				Currency: "GBP", Type: store.TypeDebit, Status: store.TxBooked,
			})
		}
		if _, _, err := s.PutTransactions(id, txs); err != nil {
			b.Fatal(err)
		}
	}
	seedApp.shutdown(context.Background())

	b.ResetTimer()
	for b.Loop() {
		a := New(cfg, nil, nil)
		if _, err := a.Status(); err != nil {
			b.Fatal(err)
		}
		if _, err := a.Accounts(); err != nil {
			b.Fatal(err)
		}
		if _, err := a.Connections(); err != nil {
			b.Fatal(err)
		}
		p, err := a.Transactions(view.TxFilter{Limit: 200})
		if err != nil || len(p.Rows) != 200 || p.Total < 100000 {
			b.Fatalf("first page %d of %d: %v", len(p.Rows), p.Total, err)
		}
		a.shutdown(context.Background())
	}
}
