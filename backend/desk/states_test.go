package desk

import (
	"bytes"
	"context"
	"encoding/csv"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"bankdesk/backend/bankdata"
	"bankdesk/backend/export"
	"bankdesk/backend/internal/testbank"
	"bankdesk/backend/internal/testenv"
	"bankdesk/backend/money"
	"bankdesk/backend/sandbox"
	"bankdesk/backend/store"
	"bankdesk/backend/view"
)

// Disconnecting with "keep data" keeps the accounts and their booked
// history for offline reading, but their pending rows will never settle
// (no sync will replace them): the list, its totals, the read model and
// the export leave them out, and the accounts say they are disconnected,
// with the day of their last balance.
func TestDisconnectedButKeptAccountsDropTheirPendingRows(t *testing.T) {
	d, sb := syncedDesk(t)
	ctx := context.Background()
	cur := sb.Truth("john").Accounts[0]
	if len(cur.Pending) == 0 {
		t.Fatal("the sandbox has no pending rows: the test proves nothing")
	}
	before, err := d.TransactionPage(view.TxFilter{Status: "pending", Limit: 10})
	if err != nil || before.Total == 0 {
		t.Fatalf("before: %d pending rows, %v", before.Total, err)
	}
	conns, _ := d.Connections()
	if err := d.Disconnect(ctx, conns[0].ID, true); err != nil {
		t.Fatal(err)
	}
	d.reloadLedger()

	accts, err := d.Accounts()
	if err != nil || len(accts) != 3 {
		t.Fatalf("kept accounts: %+v %v", accts, err)
	}
	for _, a := range accts {
		if !a.Disconnected || a.Current == nil || a.BalanceUpdatedAt == "" {
			t.Errorf("%s: disconnected %v, balance %v at %q", a.DisplayName, a.Disconnected, a.Current, a.BalanceUpdatedAt)
		}
	}
	page, err := d.TransactionPage(view.TxFilter{Status: "pending", Limit: 10})
	if err != nil || page.Total != 0 {
		t.Fatalf("after: %d pending rows listed, %v", page.Total, err)
	}
	all, err := d.TransactionPage(view.TxFilter{AccountIDs: []string{cur.AccountID}, Limit: 1})
	if err != nil || all.Total != len(cur.Booked) || len(all.Totals) != 1 || all.Totals[0].Count != len(cur.Booked) {
		t.Fatalf("after: %d rows in the list (totals %+v), the bank booked %d; %v", all.Total, all.Totals, len(cur.Booked), err)
	}
	rows, err := d.Transactions(TxQuery{AccountID: cur.AccountID, IncludePending: true})
	if err != nil || len(rows) != len(cur.Booked) {
		t.Fatalf("read model: %d rows, want the %d booked; %v", len(rows), len(cur.Booked), err)
	}
	var buf bytes.Buffer
	if _, err := d.Export(ctx, &buf, export.FormatCSV, export.Options{IncludePending: true}); err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	status := slices.Index(records[0], "status")
	for _, r := range records[1:] {
		if r[status] == "pending" {
			t.Fatalf("the export carries a pending row of a disconnected account: %q", r)
		}
	}
}

// The "Upcoming and regular payments" screen shows the standing orders and
// direct debits the sync fetched: every one the bank lists, amounts exact,
// dates on the bank's day (the bank sends local midnight, which in summer
// is the day before in UTC), frequencies in words.
func TestRegularPaymentsAreTheBanksStandingOrdersAndDirectDebits(t *testing.T) {
	d, sb := syncedDesk(t)
	ctx := context.Background()
	cur := sb.Truth("john").Accounts[0]
	conns, _ := d.Store().Connections()
	client := testbank.Client(t, sb)
	orders, err := client.StandingOrders(ctx, conns[0].AccessToken, cur.AccountID)
	if err != nil || len(orders) == 0 {
		t.Fatalf("the bank's standing orders: %d, %v", len(orders), err)
	}
	debits, err := client.DirectDebits(ctx, conns[0].AccessToken, cur.AccountID)
	if err != nil || len(debits) == 0 {
		t.Fatalf("the bank's direct debits: %d, %v", len(debits), err)
	}

	got, err := d.RegularPayments(cur.AccountID)
	if err != nil {
		t.Fatal(err)
	}
	if got.AccountName == "" || got.Currency != "GBP" || got.UpdatedAt == "" {
		t.Errorf("account %q %q updated %q", got.AccountName, got.Currency, got.UpdatedAt)
	}
	if len(got.StandingOrders) != len(orders) || len(got.DirectDebits) != len(debits) {
		t.Fatalf("%d standing orders and %d direct debits, the bank has %d and %d", len(got.StandingOrders), len(got.DirectDebits), len(orders), len(debits))
	}
	for _, o := range orders {
		i := slices.IndexFunc(got.StandingOrders, func(v view.StandingOrderView) bool { return v.Payee == o.Payee })
		if i < 0 {
			t.Errorf("standing order to %s not shown", o.Payee)
			continue
		}
		v := got.StandingOrders[i]
		want := view.StandingOrderView{
			Payee: o.Payee, Reference: o.Reference, Status: o.Status, Currency: o.Currency,
			NextDate: o.NextPaymentDate.Time.Format(time.DateOnly), NextAmount: money.String(*o.NextPaymentAmount),
			Frequency: bankdata.Frequency(o.Frequency),
		}
		if v != want || v.Frequency == "" {
			t.Errorf("standing order\n got %+v\nwant %+v", v, want)
		}
	}
	if !slices.IsSortedFunc(got.StandingOrders, func(a, b view.StandingOrderView) int { return strings.Compare(a.NextDate, b.NextDate) }) {
		t.Errorf("not by next payment: %+v", got.StandingOrders)
	}
	for _, dd := range debits {
		i := slices.IndexFunc(got.DirectDebits, func(v view.DirectDebitView) bool { return v.Name == dd.Name })
		if i < 0 {
			t.Errorf("direct debit %s not shown", dd.Name)
			continue
		}
		want := view.DirectDebitView{Name: dd.Name, Status: dd.Status, Currency: dd.Currency}
		if dd.PreviousPaymentAmount != nil {
			want.LastAmount = money.String(*dd.PreviousPaymentAmount)
			want.LastDate = dd.PreviousPaymentTimestamp.Time.Format(time.DateOnly)
		}
		if got.DirectDebits[i] != want {
			t.Errorf("direct debit\n got %+v\nwant %+v", got.DirectDebits[i], want)
		}
	}
	if _, err := d.RegularPayments("nope"); err == nil {
		t.Error("an unknown account was accepted")
	}
}

// Two connections to one bank are told apart by the accounts they hold
// and their consent's date; their permissions read as sentences, never
// scope ids.
func TestConnectionsNameTheirAccountsAndPermissionsInWords(t *testing.T) {
	d, _ := syncedDesk(t)
	conns, err := d.Connections()
	if err != nil || len(conns) != 1 {
		t.Fatalf("%+v %v", conns, err)
	}
	c := conns[0]
	accts, _ := d.Accounts()
	var names []string
	for _, a := range accts {
		names = append(names, a.DisplayName)
	}
	if !slices.Equal(c.AccountNames, names) || len(names) != 3 {
		t.Errorf("account names %q, want %q", c.AccountNames, names)
	}
	if len(c.Permissions) != len(c.Scopes) || len(c.Scopes) == 0 {
		t.Fatalf("permissions %q for scopes %q", c.Permissions, c.Scopes)
	}
	for _, p := range c.Permissions {
		if slices.Contains(c.Scopes, p) || strings.Contains(p, "_") || !strings.Contains(p, " ") {
			t.Errorf("permission %q reads as a scope id, not words", p)
		}
	}
	// The account holder as the bank's /info knows them.
	if h := c.Holder; h == nil || h.Name != "John Doe" || !slices.Equal(h.Emails, []string{"john@doe.com"}) || !slices.Equal(h.Phones, []string{"+447700900123"}) {
		t.Errorf("holder %+v", c.Holder)
	}
	if rules := Rules(); len(rules.Permissions) != 8 || !slices.Contains(rules.Permissions, "your standing orders") {
		t.Errorf("what a new connection asks for: %q", rules.Permissions)
	}
}

// A bank that does not share the holder's details (/info failing) still
// connects; the screen then shows no holder.
func TestConnectingWithoutTheHoldersDetails(t *testing.T) {
	d, sb := openWithSandbox(t)
	sb.SetFaults(sandbox.Faults{ServerErrors: 5, Path: "/data/v1/info"})
	res := testenv.Connect(t, d.Flow(), "john", "doe")
	conns, err := d.Connections()
	if err != nil || len(conns) != 1 || conns[0].ID != res.ConnectionID || conns[0].Accounts != 3 || conns[0].Unfinished {
		t.Fatalf("%+v %v", conns, err)
	}
	if conns[0].Holder != nil {
		t.Errorf("holder %+v from a bank that did not answer", conns[0].Holder)
	}
}

// A UK bank dates a payment at its local midnight: in summer that is 23:00
// UTC the day before. The store keeps UTC; the screen shows the bank's day.
// An order with the open-ended final date (9999-12-31) has no final date.
func TestRegularPaymentsAreOnTheBanksDay(t *testing.T) {
	d := openDesk(t, Options{Config: fileVaultConfig(t, nil)})
	st := d.Store()
	if err := st.PutConnection(store.Connection{ID: "c1", ProviderID: "ob-lloyds"}); err != nil {
		t.Fatal(err)
	}
	if err := st.PutAccounts("c1", []store.Account{{ID: "acc1", Kind: store.KindAccount, DisplayName: "Club Lloyds", Currency: "GBP", ProviderID: "ob-lloyds"}}); err != nil {
		t.Fatal(err)
	}
	summer := time.FixedZone("BST", 3600)
	amt := decimal.RequireFromString("1195")
	if err := st.PutStandingOrders("acc1", []store.StandingOrder{{
		Frequency: "IntrvlMnthDay:01:01", Payee: "J SMITH LETTINGS", NextPaymentDate: time.Date(2026, 7, 1, 0, 0, 0, 0, summer),
		NextPaymentAmount: &amt, FinalPaymentDate: time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC),
	}}); err != nil {
		t.Fatal(err)
	}
	if err := st.PutDirectDebits("acc1", []store.DirectDebit{{Name: "EE", PreviousPaymentAt: time.Date(2026, 6, 12, 0, 0, 0, 0, summer)}}); err != nil {
		t.Fatal(err)
	}
	got, err := d.RegularPayments("acc1")
	if err != nil {
		t.Fatal(err)
	}
	want := view.StandingOrderView{Payee: "J SMITH LETTINGS", Frequency: "every month on the 1st", NextDate: "2026-07-01", NextAmount: "1195.00", Currency: "GBP"}
	if len(got.StandingOrders) != 1 || got.StandingOrders[0] != want {
		t.Errorf("standing orders %+v, want %+v", got.StandingOrders, want)
	}
	if len(got.DirectDebits) != 1 || got.DirectDebits[0] != (view.DirectDebitView{Name: "EE", LastDate: "2026-06-12", Currency: "GBP"}) {
		t.Errorf("direct debits %+v", got.DirectDebits)
	}
}
