package desk

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"bankdesk/backend/internal/testclock"
	"bankdesk/backend/internal/testenv"
	"bankdesk/backend/sandbox"
	"bankdesk/backend/view"
)

// syncedSandboxDesk is a desk holding john/doe's synced history, and the
// bank's own records of it; sink, when given, hears what the desk reports.
func syncedSandboxDesk(t *testing.T, sink ...Sink) (*Desk, sandbox.Truth) {
	t.Helper()
	clk := testclock.New(testenv.Start)
	sb := testenv.Sandbox(t, clk)
	o := Options{Config: sandboxConfig(t, sb, nil), Now: clk.Now}
	if len(sink) > 0 {
		o.Sink = sink[0]
	}
	d := openDesk(t, o)
	id := testenv.Connect(t, d.Flow(), "john", "doe").ConnectionID
	if rep, err := d.Sync(context.Background(), id, true, nil); err != nil || !rep.OK() {
		t.Fatalf("sync: %v %+v", err, rep)
	}
	return d, sb.Truth("john")
}

// A row's detail is every field the bank sent for that transaction: its
// ids, texts, classification, signed amount, the bank's timestamp and
// running balance, and its meta.
func TestTransactionDetailIsWhatTheBankSent(t *testing.T) {
	d, truth := syncedSandboxDesk(t)
	cur := truth.Accounts[0]
	var tt sandbox.TruthTransaction
	for _, b := range cur.Booked {
		if b.NormalisedProviderID != "" && b.Merchant != "" && len(b.Classification) > 0 && b.ProviderCategory != "" && b.BookingDate >= cur.HistoryFrom {
			tt = b
		}
	}
	if tt.Key == "" {
		t.Fatal("the bank has no transaction with every field: the test proves little")
	}
	page, err := d.TransactionPage(view.TxFilter{AccountIDs: []string{cur.AccountID}, From: tt.BookingDate, To: tt.BookingDate, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var row view.TxRow
	for _, r := range page.Rows {
		if r.Description == tt.Description && decimal.RequireFromString(r.Amount).Equal(signed(tt)) {
			row = r
		}
	}
	if row.ID == "" {
		t.Fatalf("no listed row for %+v in %+v", tt, page.Rows)
	}

	got, err := d.TransactionDetail(cur.AccountID, row.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.NormalisedProviderTransactionID != tt.NormalisedProviderID || got.ProviderTransactionID != tt.ProviderTransactionID || got.TransactionID == "" {
		t.Errorf("ids %q %q %q, the bank's %q %q", got.NormalisedProviderTransactionID, got.ProviderTransactionID, got.TransactionID, tt.NormalisedProviderID, tt.ProviderTransactionID)
	}
	if got.Description != tt.Description || got.Merchant != tt.Merchant || got.TransactionCategory != tt.Category || got.Type != tt.Type ||
		strings.Join(got.Classification, "/") != strings.Join(tt.Classification, "/") || got.Currency != tt.Currency || got.Status != "booked" {
		t.Errorf("detail %+v, the bank's %+v", got, tt)
	}
	eq(t, "amount", got.Amount, signed(tt))
	eq(t, "running balance", got.RunningBalance, tt.RunningBalance)
	if got.BookingDate != tt.BookingDate || got.BookedAt == "" || got.AccountName != cur.DisplayName || got.ProviderID != "mock" {
		t.Errorf("day %s, booked at %s, account %q, bank %q", got.BookingDate, got.BookedAt, got.AccountName, got.ProviderID)
	}
	if got.Meta["provider_transaction_category"] != tt.ProviderCategory {
		t.Errorf("meta %v, the bank's provider category %q", got.Meta, tt.ProviderCategory)
	}

	if _, err := d.TransactionDetail(truth.Accounts[1].AccountID, row.ID); !errors.Is(err, ErrNoTransaction) {
		t.Errorf("another account's key: %v", err)
	}
	if _, err := d.TransactionDetail(cur.AccountID, "p:nothing"); !errors.Is(err, ErrNoTransaction) {
		t.Errorf("an unknown key: %v", err)
	}
}
