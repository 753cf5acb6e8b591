package desk

import (
	"bytes"
	"context"
	"encoding/csv"
	"slices"
	"testing"
	"time"

	"github.com/aclindsa/ofxgo"
	"github.com/shopspring/decimal"

	"bankdesk/backend/bankday"
	"bankdesk/backend/export"
	"bankdesk/backend/internal/testenv"
	"bankdesk/backend/ledger"
	"bankdesk/backend/sandbox"
	"bankdesk/backend/view"
)

// syncedDesk is a desk connected to john/doe at a fresh sandbox (on the
// real clock) and synced once.
func syncedDesk(t *testing.T) (*Desk, *sandbox.Server) {
	t.Helper()
	d, sb := openWithSandbox(t)
	id := testenv.Connect(t, d.Flow(), "john", "doe").ConnectionID
	if rep, err := d.Sync(context.Background(), id, true, nil); err != nil || !rep.OK() {
		t.Fatalf("sync: %v %+v", err, rep)
	}
	return d, sb
}

// A UK bank stamps many bookings at local midnight: in summer that is
// 23:00 UTC the day before. Every view shows, filters, totals, charts and
// exports them on the bank's day: transactions --json, a one-day query,
// the ledger's monthly chart, CSV's date column and OFX's DTPOSTED.
func TestSummerMidnightBookingsStayOnTheBanksDay(t *testing.T) {
	d, sb := syncedDesk(t)
	truth := sb.Truth("john")
	cur := truth.Accounts[0]
	// The truth's bookings whose UTC day is not the bank's day.
	var shifted []sandbox.TruthTransaction
	for _, tt := range cur.Booked {
		if tt.Timestamp.UTC().Format(time.DateOnly) != tt.BookingDate {
			shifted = append(shifted, tt)
		}
	}
	if len(shifted) < 100 {
		t.Fatalf("only %d summer-midnight bookings: the test proves little", len(shifted))
	}

	// transactions --json and a one-day query.
	all, err := d.Transactions(TxQuery{AccountID: cur.AccountID})
	if err != nil {
		t.Fatal(err)
	}
	days := map[string]string{} // id → booking_date
	for _, v := range all {
		days[v.ID] = v.BookingDate
	}
	for _, tt := range shifted {
		if got := days["n:"+tt.ID]; got != tt.BookingDate {
			t.Fatalf("%s %s: booking_date %q, want %s", tt.Description, tt.Timestamp, got, tt.BookingDate)
		}
	}
	one := shifted[len(shifted)/2]
	day, _ := bankday.Parse(one.BookingDate)
	got, err := d.Transactions(TxQuery{AccountID: cur.AccountID, From: day, To: day})
	if err != nil || !slices.ContainsFunc(got, func(v view.TxRow) bool { return v.ID == "n:"+one.ID }) {
		t.Fatalf("a one-day query for %s lacks %s: %v", day, one.Description, err)
	}
	for _, v := range got {
		if v.BookingDate != one.BookingDate {
			t.Fatalf("a one-day query for %s returned %s", day, v.BookingDate)
		}
	}

	// The monthly chart adds each booking to the bank's month.
	l, err := ledger.Load(d.Store())
	if err != nil {
		t.Fatal(err)
	}
	wantOut := map[string]decimal.Decimal{}
	for _, tt := range cur.Booked {
		if tt.Type == "DEBIT" && tt.Category != "TRANSFER" {
			m := tt.BookingDate[:7]
			wantOut[m] = wantOut[m].Add(tt.Amount.Abs())
		}
	}
	months := l.Spending(ledger.Query{AccountIDs: []string{cur.AccountID}}, 0).Months
	if len(months) == 0 {
		t.Fatal("no months charted")
	}
	for _, m := range months {
		if w := wantOut[m.Month]; !m.Out.Equal(w) {
			t.Errorf("%s: spent %s, the bank's days say %s", m.Month, m.Out, w)
		}
	}
	if p := l.Query(ledger.Query{AccountIDs: []string{cur.AccountID}, From: day, To: day}); !slices.ContainsFunc(p.Rows, func(r ledger.Row) bool { return r.Key == "n:"+one.ID }) {
		t.Errorf("the ledger's one-day filter for %s lacks %s", day, one.Description)
	}

	// CSV's date column and OFX's DTPOSTED.
	ctx := context.Background()
	var buf bytes.Buffer
	if _, err := d.Export(ctx, &buf, export.FormatCSV, export.Options{Accounts: []string{cur.AccountID}}); err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	csvDays := map[string]string{}
	for _, r := range records[1:] {
		csvDays[r[14]] = r[0] // transaction_id → date
		if at, err := time.Parse(time.RFC3339, r[1]); err != nil || at.Format(time.DateOnly) != r[0] {
			t.Fatalf("booked_at %q does not carry the bank's day %s", r[1], r[0])
		}
	}
	buf.Reset()
	if _, err := d.Export(ctx, &buf, export.FormatOFX, export.Options{Accounts: []string{cur.AccountID}}); err != nil {
		t.Fatal(err)
	}
	resp, err := ofxgo.ParseResponse(&buf)
	if err != nil {
		t.Fatal(err)
	}
	ofxDays := map[string]string{}
	for _, tr := range resp.Bank[0].(*ofxgo.StatementResponse).BankTranList.Transactions {
		ofxDays[string(tr.FiTID)] = tr.DtPosted.Format(time.DateOnly) // in the offset written
	}
	for _, tt := range shifted {
		if got := csvDays["n:"+tt.ID]; got != tt.BookingDate {
			t.Fatalf("CSV: %s on %q, want %s", tt.Description, got, tt.BookingDate)
		}
	}
	for _, tt := range shifted {
		if got := ofxDays["n:"+tt.ID]; got != tt.BookingDate { // short keys are their own FITID
			t.Fatalf("OFX: %s posted %q, want %s", tt.Description, got, tt.BookingDate)
		}
	}
}
