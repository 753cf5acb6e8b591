package export_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"bankdesk/backend/export"
	"bankdesk/backend/store"
	"bankdesk/backend/vault"
)

// Export a store's transactions as CSV. A description that a spreadsheet
// would run as a formula is neutralised with a leading quote; the amount,
// a number column, keeps its minus sign.
func ExampleCSV() {
	st, done := exampleStore()
	defer done()

	var out bytes.Buffer
	sum, err := export.CSV(context.Background(), &out, st, export.Options{})
	if err != nil {
		log.Fatal(err)
	}
	// Records end in CRLF (RFC 4180); shown here without the CR.
	fmt.Print(strings.ReplaceAll(out.String(), "\r\n", "\n"))
	fmt.Printf("%d rows from %d account\n", sum.Rows, sum.Accounts)
	// Output:
	// date,booked_at,account_id,account_name,provider,description,merchant,category,classification,amount,currency,type,status,running_balance,transaction_id,category_name,note,tags,payee,hidden,transfer_with,transfer_with_account_id
	// 2026-03-01,2026-03-01T00:00:00Z,acc-1,Club Lloyds,ob-lloyds,SALARY,,,Income / Salary,2000.00,GBP,CREDIT,booked,,n:txn-2,Income,,,,false,,
	// 2026-03-02,2026-03-02T09:15:00Z,acc-1,Club Lloyds,ob-lloyds,"'=HYPERLINK(""http://evil.example"")",,PURCHASE,,-12.50,GBP,DEBIT,booked,,n:txn-1,Purchases,,,,false,,
	// 2 rows from 1 account
}

// exampleStore is a store in a temporary folder with one account and two
// bookings; done closes and removes it.
func exampleStore() (*store.Store, func()) {
	dir, err := os.MkdirTemp("", "bankdesk-example-")
	if err != nil {
		log.Fatal(err)
	}
	v, err := vault.NewEphemeral()
	if err != nil {
		log.Fatal(err)
	}
	st, err := store.Open(filepath.Join(dir, "bankdesk.db"), v, store.Options{})
	if err != nil {
		log.Fatal(err)
	}
	done := func() { _ = st.Close(); _ = v.Close(); _ = os.RemoveAll(dir) }
	if err := st.PutConnection(store.Connection{ID: "conn-1", ProviderID: "ob-lloyds"}); err != nil {
		log.Fatal(err)
	}
	acct := store.Account{ID: "acc-1", Kind: store.KindAccount, DisplayName: "Club Lloyds", Currency: "GBP", ProviderID: "ob-lloyds"}
	if err := st.PutAccounts("conn-1", []store.Account{acct}); err != nil {
		log.Fatal(err)
	}
	_, _, err = st.PutTransactions("acc-1", []store.Transaction{
		{NormalisedProviderID: "txn-1", BookedAt: time.Date(2026, 3, 2, 9, 15, 0, 0, time.UTC),
			Description: "=HYPERLINK(\"http://evil.example\")", Amount: decimal.RequireFromString("-12.5"), Currency: "GBP",
			Type: store.TypeDebit, Status: store.TxBooked, Category: "PURCHASE"},
		{NormalisedProviderID: "txn-2", BookedAt: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
			Description: "SALARY", Amount: decimal.RequireFromString("2000"), Currency: "GBP",
			Type: store.TypeCredit, Status: store.TxBooked, Classification: []string{"Income", "Salary"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	return st, done
}
