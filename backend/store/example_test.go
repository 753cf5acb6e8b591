package store_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/shopspring/decimal"

	"bankdesk/backend/store"
	"bankdesk/backend/vault"
)

// Open a data file, store a connection, its account and two bookings, and
// read them back, oldest first. Every record is sealed by the vault; storing the same
// bookings again changes nothing, because transactions are deduplicated on
// the bank's stable ids.
func ExampleOpen() {
	dir, err := os.MkdirTemp("", "bankdesk-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer func() { _ = os.RemoveAll(dir) }()

	// An ephemeral vault's key lives in memory only; the app's comes from
	// vault.Open, unlocked by the passphrase or the OS keyring.
	v, err := vault.NewEphemeral()
	if err != nil {
		log.Fatal(err)
	}
	defer v.Close()
	st, err := store.Open(filepath.Join(dir, "bankdesk.db"), v, store.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()

	if err := st.PutConnection(store.Connection{ID: "conn-1", ProviderID: "ob-lloyds"}); err != nil {
		log.Fatal(err)
	}
	acct := store.Account{ID: "acc-1", Kind: store.KindAccount, DisplayName: "Club Lloyds", Currency: "GBP"}
	if err := st.PutAccounts("conn-1", []store.Account{acct}); err != nil {
		log.Fatal(err)
	}
	booked := []store.Transaction{
		{NormalisedProviderID: "txn-1", BookedAt: time.Date(2026, 3, 2, 9, 15, 0, 0, time.UTC),
			Description: "SAINSBURYS", Amount: decimal.RequireFromString("-12.50"), Currency: "GBP",
			Type: store.TypeDebit, Status: store.TxBooked},
		{NormalisedProviderID: "txn-2", BookedAt: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
			Description: "SALARY", Amount: decimal.RequireFromString("2000"), Currency: "GBP",
			Type: store.TypeCredit, Status: store.TxBooked},
	}
	for range 2 {
		added, updated, err := st.PutTransactions("acc-1", booked)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("added %d, updated %d\n", added, updated)
	}

	err = st.Transactions("acc-1", 0, 0, func(t store.Transaction) error {
		fmt.Println(t.Day(), t.Description, t.Amount.StringFixed(2), t.Currency)
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	// Output:
	// added 2, updated 0
	// added 0, updated 0
	// 2026-03-01 SALARY 2000.00 GBP
	// 2026-03-02 SAINSBURYS -12.50 GBP
}
