package desk

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aclindsa/ofxgo"
	"github.com/shopspring/decimal"

	"bankdesk/backend/export"
	"bankdesk/backend/problem"
	"bankdesk/backend/store"
	"bankdesk/backend/view"
)

// The desk's export wrappers read its store, write files atomically and
// date OFX files with the desk's clock.
func TestExportWritesTheStoredTransactions(t *testing.T) {
	now := time.Date(2025, 4, 1, 12, 0, 0, 0, time.UTC)
	d := openDesk(t, Options{Config: fileVaultConfig(t, nil), Now: func() time.Time { return now }})
	st := d.Store()
	if err := st.PutConnection(store.Connection{ID: "c1", ProviderID: "ob-lloyds"}); err != nil {
		t.Fatal(err)
	}
	acct := store.Account{ID: "acc1", Kind: store.KindAccount, DisplayName: "Club Lloyds", Currency: "GBP", SortCode: "30-94-57", Number: "12345678"}
	if err := st.PutAccounts("c1", []store.Account{acct}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.PutTransactions("acc1", []store.Transaction{
		{ProviderTransactionID: "t1", BookedAt: now.AddDate(0, 0, -2), Description: "=TESCO", Amount: decimal.RequireFromString("-12.50"), Currency: "GBP", Type: store.TypeDebit},
		{ProviderTransactionID: "t2", BookedAt: now.AddDate(0, 0, -1), Description: "SALARY", Amount: decimal.RequireFromString("2500"), Currency: "GBP", Type: store.TypeCredit},
	}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	path := filepath.Join(t.TempDir(), "bankdesk.csv")
	sum, err := d.ExportFile(ctx, path, export.FormatCSV, export.Options{Excel: true})
	if err != nil || sum != (export.Summary{Rows: 2, Accounts: 1}) {
		t.Fatalf("%+v %v", sum, err)
	}
	data, _ := os.ReadFile(path)
	records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff")))).ReadAll()
	if err != nil || len(records) != 3 || records[1][5] != "'=TESCO" || records[2][9] != "2500.00" || !bytes.HasPrefix(data, []byte("\ufeff")) {
		t.Fatalf("%q %v", records, err)
	}

	var buf bytes.Buffer
	if _, err := d.Export(ctx, &buf, export.FormatOFX, export.Options{}); err != nil {
		t.Fatal(err)
	}
	resp, err := ofxgo.ParseResponse(&buf)
	if err != nil {
		t.Fatal(err)
	}
	s := resp.Bank[0].(*ofxgo.StatementResponse)
	if !resp.Signon.DtServer.Time.Equal(now) || len(s.BankTranList.Transactions) != 2 || s.BankAcctFrom.AcctID != "12345678" {
		t.Fatalf("server time %s, %d transactions, account %s", resp.Signon.DtServer.Time, len(s.BankTranList.Transactions), s.BankAcctFrom.AcctID)
	}

	missing := filepath.Join(t.TempDir(), "none.csv")
	if _, err := d.ExportFile(ctx, missing, export.FormatCSV, export.Options{Accounts: []string{"nope"}}); !errors.Is(err, export.ErrNoAccount) {
		t.Fatalf("unknown account: %v", err)
	}
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("a failed export left a file")
	}
}

// An export of the list's search and category writes exactly the rows the
// list shows for them (bar removed ones, which exports leave out).
func TestExportCarriesTheListsSearchAndCategory(t *testing.T) {
	d, _ := syncedSandboxDesk(t)
	all, err := d.TransactionPage(view.TxFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, search, category string }{
		{"search", "tesco", ""},
		{"category", "", "Transfers"},
		{"both", "direct", "Entertainment"}, // "direct" is in bills too
		{"fields", `amount:5..20 -is:pending merchant:pret`, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			list, err := d.TransactionPage(view.TxFilter{Search: c.search, Category: c.category, Limit: pageLimit})
			if err != nil {
				t.Fatal(err)
			}
			if list.SearchProblem != "" {
				t.Fatalf("a search that parses has a problem: %q", list.SearchProblem)
			}
			if list.Total == 0 || list.Total == all.Total || list.Total > pageLimit {
				t.Fatalf("the filter lists %d of %d: the test proves little", list.Total, all.Total)
			}
			want := map[string]int{}
			for _, r := range list.Rows {
				if r.Status != "removed" {
					want[r.BookingDate+" "+r.Description+" "+r.Amount]++
				}
			}
			path := filepath.Join(t.TempDir(), "filtered.csv")
			done, err := d.ExportTo(context.Background(), path, view.ExportRequest{Format: "csv", IncludePending: true, Raw: true, Search: c.search, Category: c.category}, nil)
			if err != nil {
				t.Fatal(err)
			}
			data, _ := os.ReadFile(path)
			records, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int{}
			for _, rec := range records[1:] { // date, …, description (5), …, amount (9)
				got[rec[0]+" "+rec[5]+" "+rec[9]]++
			}
			if done.Rows != len(records)-1 || len(got) != len(want) {
				t.Fatalf("exported %d rows (%d distinct), the list shows %d distinct", done.Rows, len(got), len(want))
			}
			for k, n := range want {
				if got[k] != n {
					t.Errorf("%s: exported %d times, listed %d", k, got[k], n)
				}
			}
		})
	}
}

// A search that does not parse is looked for as written on the screen,
// which says what is wrong; an export of it writes nothing and says so.
func TestASearchThatDoesNotParseIsSaid(t *testing.T) {
	d, _ := syncedSandboxDesk(t)
	page, err := d.TransactionPage(view.TxFilter{Search: "amount:lots", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if page.SearchProblem != `Amount: "lots" is not a number.` || page.Total != 0 {
		t.Fatalf("problem %q, %d rows", page.SearchProblem, page.Total)
	}
	path := filepath.Join(t.TempDir(), "x.csv")
	_, err = d.ExportTo(context.Background(), path, view.ExportRequest{Format: "csv", Search: "amount:lots"}, nil)
	if p := problem.Of(err); p.Message != `The search has a mistake: amount: "lots" is not a number.` {
		t.Fatalf("export: %v (%q)", err, p.Message)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("a refused export left a file")
	}
}
