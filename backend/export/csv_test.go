package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"bankdesk/backend/internal/testenv"
	"bankdesk/backend/ledger"
	"bankdesk/backend/store"
)

// wantText is the documented form of a text cell as encoding/csv reads it
// back: the stored text, with a ' first when it starts like a formula
// (unless raw), and CRLF as LF (encoding/csv's reader does that; see
// goReads).
func wantText(s string, raw bool) string {
	if !raw {
		s = neutralised(s)
	}
	return goReads(s)
}

// wantRecord is the documented CSV record of a stored transaction.
func wantRecord(t store.Transaction, a store.Account, raw bool) []string {
	var link store.TxRef
	if t.UserFields().TransferWith != nil {
		link = *t.UserFields().TransferWith
	}
	rb := ""
	if t.RunningBalance != nil {
		rb = t.RunningBalance.StringFixed(max(2, -t.RunningBalance.Exponent()))
	}
	return []string{
		t.BookedAt.UTC().Format("2006-01-02"), t.BookedAt.UTC().Format(time.RFC3339Nano),
		wantText(a.ID, raw), wantText(a.DisplayName, raw), wantText(a.ProviderID, raw),
		wantText(t.Description, raw), wantText(t.Merchant, raw), wantText(t.Category, raw),
		wantText(strings.Join(t.Classification, " / "), raw),
		t.Amount.StringFixed(max(2, -t.Amount.Exponent())), wantText(t.Currency, raw),
		wantText(t.Type, raw), wantText(t.Status, raw), rb, wantText(t.Key, raw),
		wantText(ledger.EffectiveCategory(&t), raw), wantText(t.UserFields().Note, raw), wantText(strings.Join(t.UserFields().Tags, ", "), raw),
		wantText(t.UserFields().Payee, raw), strconv.FormatBool(t.UserFields().Hidden), wantText(link.Key, raw), wantText(link.AccountID, raw),
	}
}

// readCSV parses an export with encoding/csv, checking and dropping the
// BOM and the header.
func readCSV(t *testing.T, data []byte, comma rune, bom bool) [][]string {
	t.Helper()
	if got := bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")); got != bom {
		t.Fatalf("BOM present %v, want %v", got, bom)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))))
	r.Comma = comma
	r.FieldsPerRecord = len(Columns)
	records, err := r.ReadAll()
	if err != nil {
		t.Fatalf("encoding/csv cannot read the export back: %v\n%s", err, data)
	}
	if !slices.Equal(records[0], Columns) {
		t.Fatalf("header %q", records[0])
	}
	return records[1:]
}

func exportCSV(t *testing.T, st *store.Store, opts Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := CSV(context.Background(), &buf, st, opts); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// The round trip: every stored transaction, tricky texts included, comes
// back from encoding/csv field for field in the documented form, in the
// documented order, with amounts that add up to the store's to the penny.
func TestCSVRoundTripsTrickyTransactions(t *testing.T) {
	st := testenv.Store(t)
	stored := fillTricky(t, st)
	byID := map[string]store.Account{current.ID: current, savings.ID: savings, card.ID: card}
	for _, c := range []struct {
		name  string
		opts  Options
		comma rune
		bom   bool
	}{
		{"default", Options{IncludePending: true}, ',', false},
		{"semicolon and BOM", Options{IncludePending: true, Delimiter: ';', BOM: true}, ';', true},
		{"excel", Options{IncludePending: true, Excel: true}, ',', true},
		{"excel with semicolon", Options{IncludePending: true, Excel: true, Delimiter: ';'}, ';', true},
		{"raw", Options{IncludePending: true, Raw: true}, ',', false},
	} {
		t.Run(c.name, func(t *testing.T) {
			data := exportCSV(t, st, c.opts)
			checkRecordEnds(t, data, len(stored)+1)
			records := readCSV(t, data, c.comma, c.bom)
			if len(records) != len(stored) {
				t.Fatalf("%d rows, the store has %d", len(records), len(stored))
			}
			sumCSV, sumStore := decimal.Zero, decimal.Zero
			for i, tx := range stored {
				want := wantRecord(tx, byID[tx.AccountID], c.opts.Raw)
				if !slices.Equal(records[i], want) {
					t.Errorf("row %d:\n got %q\nwant %q", i, records[i], want)
				}
				amount, err := decimal.NewFromString(records[i][9])
				if err != nil || !amount.Equal(tx.Amount) {
					t.Errorf("row %d: amount %q, stored %s", i, records[i][9], tx.Amount)
				}
				sumCSV, sumStore = sumCSV.Add(amount), sumStore.Add(tx.Amount)
				// Undoing the neutralisation gives the stored text back
				// (CRLF as LF: encoding/csv's reader).
				desc := records[i][5]
				if !c.opts.Raw && startsFormula(tx.Description) {
					if !strings.HasPrefix(desc, "'") {
						t.Errorf("row %d: %q not neutralised", i, desc)
					}
					desc = desc[1:]
				}
				if desc != goReads(tx.Description) {
					t.Errorf("row %d: description %q, stored %q", i, desc, tx.Description)
				}
			}
			if !sumCSV.Equal(sumStore) {
				t.Fatalf("sum of amounts %s, store %s", sumCSV, sumStore)
			}
		})
	}
}

// Spot checks of the documented cells, spelled out.
func TestCSVCellsAreTheDocumentedOnes(t *testing.T) {
	st := testenv.Store(t)
	fillTricky(t, st)
	records := readCSV(t, exportCSV(t, st, Options{IncludePending: true}), ',', false)
	descriptions := map[string][]string{}
	for _, r := range records {
		descriptions[r[5]] = r
	}
	for _, want := range []string{
		`'=HYPERLINK("http://evil.example","click")`, "'+44 20 7946 0958", "'-5 refund", "'@SUM(A1:A9)",
		"'\tTAB LEADING", "'\rCR LEADING", "windows\nline", "old mac\rline", "two\nlines", "café crème 😀 £5 — Zürich",
		`TESCO, STORES 3297`, `He said "hi", then left`, "'already quoted", " leading space", "'-pending, \"quoted\"",
	} {
		if _, ok := descriptions[want]; !ok {
			t.Errorf("no description cell %q", want)
		}
	}
	r := descriptions["'-5 refund"]
	if r[0] != "2025-03-03" || r[1] != "2025-03-03T17:00:00Z" || r[2] != savings.ID || r[3] != `'=Saver, "easy"` ||
		r[4] != "ob-lloyds" || r[9] != "-12.50" || r[10] != "GBP" || r[11] != "DEBIT" || r[12] != "booked" || r[13] != "0.125" || r[14] != "p:bank-i" {
		t.Errorf("row %q", r)
	}
	if r := descriptions["café crème 😀 £5 — Zürich"]; r[9] != "99.99" || r[13] != "0.125" || r[8] != "Shopping /  leading space" || r[7] != "PURCHASE" {
		t.Errorf("row %q", r)
	}
	if r := descriptions[`He said "hi", then left`]; r[9] != "1500.00" || r[13] != "-50.50" || r[12] != "booked" {
		t.Errorf("row %q", r)
	}
	if r := descriptions["windows\nline"]; r[9] != "-1234567.891" || r[13] != "" || r[7] != "ATM" {
		t.Errorf("row %q", r)
	}
	if r := descriptions["'-pending, \"quoted\""]; r[12] != "pending" || r[9] != "-4.20" {
		t.Errorf("row %q", r)
	}
}

// Rows are oldest first; at one booking time the account id decides, then
// booked before pending.
func TestCSVOrderMergesAccountsByTime(t *testing.T) {
	st := testenv.Store(t)
	stored := fillTricky(t, st)
	records := readCSV(t, exportCSV(t, st, Options{IncludePending: true}), ',', false)
	var tie []string
	for _, r := range records {
		if r[1] == "2025-03-01T09:00:00Z" {
			tie = append(tie, r[2]+" "+r[12]+" "+r[14])
		}
	}
	want := []string{"acc-current booked p:bank-a", "acc-current pending p:pend-1", "acc-savings booked p:tie"}
	if !slices.Equal(tie, want) {
		t.Fatalf("rows at one time: %q, want %q", tie, want)
	}
	if !slices.IsSortedFunc(records, func(a, b []string) int { return strings.Compare(a[1], b[1]) }) {
		t.Fatal("rows are not oldest first")
	}
	if len(records) != len(stored) {
		t.Fatal("row count")
	}
	// The same store gives the same bytes.
	if a, b := exportCSV(t, st, Options{IncludePending: true}), exportCSV(t, st, Options{IncludePending: true}); !bytes.Equal(a, b) {
		t.Fatal("two exports of one store differ")
	}
}

func TestCSVSelectsAccountsDaysAndPending(t *testing.T) {
	st := testenv.Store(t)
	addAccounts(t, st, current, savings)
	addBooked(t, st, current.ID,
		store.Transaction{ProviderTransactionID: "before", BookedAt: at("2025-01-31T23:59:59Z"), Description: "before", Amount: dec("-1"), Currency: "GBP", Type: "DEBIT"},
		store.Transaction{ProviderTransactionID: "first", BookedAt: at("2025-02-01T00:00:00Z"), Description: "first", Amount: dec("-2"), Currency: "GBP", Type: "DEBIT"},
		store.Transaction{ProviderTransactionID: "last", BookedAt: at("2025-02-28T23:59:59Z"), Description: "last", Amount: dec("-3"), Currency: "GBP", Type: "DEBIT"},
		store.Transaction{ProviderTransactionID: "after", BookedAt: at("2025-03-01T00:00:00Z"), Description: "after", Amount: dec("-4"), Currency: "GBP", Type: "DEBIT"},
	)
	addBooked(t, st, savings.ID, store.Transaction{ProviderTransactionID: "saved", BookedAt: at("2025-02-10T10:00:00Z"),
		Description: "saved", Amount: dec("5"), Currency: "GBP", Type: "CREDIT"})
	if err := st.ReplacePending(current.ID, []store.Transaction{
		{ProviderTransactionID: "p-in", BookedAt: at("2025-02-27T10:00:00Z"), Description: "pending in", Amount: dec("-6"), Currency: "GBP", Type: "DEBIT"},
		{ProviderTransactionID: "p-out", BookedAt: at("2025-03-02T10:00:00Z"), Description: "pending out", Amount: dec("-7"), Currency: "GBP", Type: "DEBIT"},
	}); err != nil {
		t.Fatal(err)
	}
	descs := func(opts Options) []string {
		var out []string
		for _, r := range readCSV(t, exportCSV(t, st, opts), ',', false) {
			out = append(out, r[5])
		}
		return out
	}
	feb := Options{From: bday("2025-02-01"), To: bday("2025-02-28")}
	if got := descs(feb); !slices.Equal(got, []string{"first", "saved", "last"}) {
		t.Errorf("February: %q", got)
	}
	feb.IncludePending = true
	if got := descs(feb); !slices.Equal(got, []string{"first", "saved", "pending in", "last"}) {
		t.Errorf("February with pending: %q", got)
	}
	feb.Accounts = []string{current.ID}
	if got := descs(feb); !slices.Equal(got, []string{"first", "pending in", "last"}) {
		t.Errorf("February, current account: %q", got)
	}
	if got := descs(Options{Accounts: []string{savings.ID, current.ID, savings.ID}}); len(got) != 5 {
		t.Errorf("both accounts named (one twice): %q", got)
	}
	if got := descs(Options{From: bday("2025-03-01")}); !slices.Equal(got, []string{"after"}) {
		t.Errorf("open end: %q", got)
	}
	if got := descs(Options{From: bday("2030-01-01")}); len(got) != 0 {
		t.Errorf("future range: %q", got)
	}

	var buf bytes.Buffer
	if _, err := CSV(context.Background(), &buf, st, Options{Accounts: []string{"nope"}}); !errors.Is(err, ErrNoAccount) || buf.Len() != 0 {
		t.Errorf("unknown account: %v, wrote %d bytes", err, buf.Len())
	}
	for _, bad := range []Options{{Delimiter: '\t'}, {Delimiter: '|'}, {From: bday("2025-02-02"), To: bday("2025-02-01")}} {
		if _, err := CSV(context.Background(), &buf, st, bad); err == nil || buf.Len() != 0 {
			t.Errorf("%+v accepted", bad)
		}
	}
}

func TestCSVReportsProgress(t *testing.T) {
	st := testenv.Store(t)
	addAccounts(t, st, current, savings)
	for i, id := range []string{current.ID, savings.ID} {
		var txs []store.Transaction
		for j := range 1300 + i*200 {
			txs = append(txs, store.Transaction{ProviderTransactionID: fmt.Sprint(j), BookedAt: at("2024-01-01T00:00:00Z").Add(time.Duration(j) * time.Hour),
				Description: "x", Amount: dec("-1"), Currency: "GBP", Type: "DEBIT"})
		}
		addBooked(t, st, id, txs...)
	}
	if err := st.ReplacePending(current.ID, []store.Transaction{{ProviderTransactionID: "p", BookedAt: at("2024-02-01T00:00:00Z"), Description: "p", Amount: dec("-1"), Currency: "GBP"}}); err != nil {
		t.Fatal(err)
	}
	var calls []Progress
	opts := Options{IncludePending: true, Progress: func(p Progress) { calls = append(calls, p) }}
	sum, err := CSV(context.Background(), &bytes.Buffer{}, st, opts)
	if err != nil {
		t.Fatal(err)
	}
	want := []Progress{{1000, 2801}, {2000, 2801}, {2801, 2801}}
	if !slices.Equal(calls, want) || sum != (Summary{Rows: 2801, Accounts: 2}) {
		t.Fatalf("progress %v, summary %+v", calls, sum)
	}
	calls = nil
	opts.From = bday("2024-01-01")
	if _, err := CSV(context.Background(), &bytes.Buffer{}, st, opts); err != nil {
		t.Fatal(err)
	}
	if last := calls[len(calls)-1]; last != (Progress{Rows: 2801}) {
		t.Fatalf("with a date range the total is unknown: %+v", last)
	}
}

func TestCSVStopsWhenCancelled(t *testing.T) {
	st := testenv.Store(t)
	fillTricky(t, st)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := CSV(ctx, &bytes.Buffer{}, st, Options{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled export: %v", err)
	}
}
