package ledger

import (
	"slices"
	"testing"

	"github.com/shopspring/decimal"

	"bankdesk/backend/internal/testenv"
	"bankdesk/backend/store"
)

// The person's fields on top of the bank's: their category is the one
// shown, filtered on and charted (a transfer stays a transfer); a search
// finds notes, payee names and tags; a hidden row leaves the list but not
// the totals, nor Spending.
func TestUserFieldsShapeTheList(t *testing.T) {
	bought := []store.Transaction{
		tx("cur", "t1", "2026-01-05", "-3.20", "PRET A MANGER", "PURCHASE", "Food & Dining"),
		tx("cur", "t2", "2026-01-06", "-40.00", "TESCO STORES", "PURCHASE", "Shopping"),
		tx("cur", "t3", "2026-01-07", "-100.00", "TO SAVER", "TRANSFER"),
		tx("cur", "t4", "2026-01-08", "-9.99", "NETFLIX", "PURCHASE", "Entertainment"),
	}
	s := testenv.Store(t)
	seed(t, s, map[string]string{"cur": "Club Lloyds", "sav": "Saver"})
	put(t, s, "cur", bought...)
	set := func(key string, f store.UserFields) {
		t.Helper()
		if err := s.SetUserFields("cur", key, f); err != nil {
			t.Fatal(err)
		}
	}
	set("n:t1", store.UserFields{Category: "Eating out", Note: "met Sam", Tags: []string{"work"}, Payee: "Pret on the corner"})
	set("n:t3", store.UserFields{Category: "Rent"})
	set("n:t4", store.UserFields{Hidden: true})
	l, err := Load(s)
	if err != nil {
		t.Fatal(err)
	}

	if r, _ := l.Find("cur", "n:t1"); r.CategoryName != "Eating out" {
		t.Errorf("shown under %q", r.CategoryName)
	}
	if r, _ := l.Find("cur", "n:t3"); r.CategoryName != "Rent" || r.Flow != Transfer {
		t.Errorf("the recategorised transfer: %q, flow %v", r.CategoryName, r.Flow)
	}
	if p := l.Query(Query{Category: "Eating out"}); p.Total != 1 || p.Rows[0].Key != "n:t1" {
		t.Errorf("filter on the person's category: %d rows", p.Total)
	}
	if p := l.Query(Query{Category: "Food & Dining"}); p.Total != 0 {
		t.Errorf("the bank's category still finds the row: %d", p.Total)
	}
	keep := Filter{Category: "Eating out"}.Keep(map[string]string{"cur": "Club Lloyds"})
	if tr, _ := l.Find("cur", "n:t1"); !keep(tr.Transaction) {
		t.Error("an export of the filter leaves the row out")
	}
	for _, q := range []string{"met sam", "corner", "WORK"} {
		if p := l.Query(Query{Search: q}); p.Total != 1 || p.Rows[0].Key != "n:t1" {
			t.Errorf("search %q: %d rows", q, p.Total)
		}
	}
	if !slices.Contains(l.Categories(), "Eating out") || slices.Contains(l.Categories(), "Food & Dining") {
		t.Errorf("categories %q", l.Categories())
	}

	// The hidden row: out of the list, in the money.
	p := l.Query(Query{})
	if p.Total != 3 || p.Hidden != 1 || slices.ContainsFunc(p.Rows, func(r Row) bool { return r.Key == "n:t4" }) {
		t.Errorf("default list: %d rows, %d hidden", p.Total, p.Hidden)
	}
	if len(p.Totals) != 1 || !p.Totals[0].Out.Equal(decimal.RequireFromString("-53.19")) || p.Totals[0].Count != 4 {
		t.Errorf("totals %+v, want the hidden row's money in", p.Totals)
	}
	if all := l.Query(Query{IncludeHidden: true}); all.Total != 4 || all.Hidden != 0 {
		t.Errorf("with hidden rows: %d rows, %d hidden", all.Total, all.Hidden)
	}
	if r, ok := l.Find("cur", "n:t4"); !ok || !r.UserFields().Hidden {
		t.Error("a hidden row's details are not found")
	}
}

// An edit applied in place leaves the ledger as a Reload would.
func TestApplyUserFieldsIsAReload(t *testing.T) {
	s := testenv.Store(t)
	seed(t, s, map[string]string{"cur": "Club Lloyds"})
	put(t, s, "cur", tx("cur", "t1", "2026-01-05", "-3.20", "PRET A MANGER", "PURCHASE", "Food & Dining"),
		tx("cur", "t2", "2026-01-06", "-40.00", "TESCO STORES", "PURCHASE", "Shopping"))
	if err := s.SetUserFields("cur", "n:t2", store.UserFields{Note: "old"}); err != nil {
		t.Fatal(err)
	}
	l, err := Load(s)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetUserFields("cur", "n:t1", store.UserFields{Category: "Eating out", Tags: []string{"x"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetUserFields("cur", "n:t2", store.UserFields{}); err != nil {
		t.Fatal(err)
	}
	byKey, err := s.UserFieldsOf("cur")
	if err != nil {
		t.Fatal(err)
	}
	l.ApplyUserFields(map[string]map[string]store.UserFields{"cur": byKey})
	fresh, err := Load(s)
	if err != nil {
		t.Fatal(err)
	}
	got, want := l.Query(Query{}), fresh.Query(Query{})
	for i := range want.Rows {
		g, w := got.Rows[i], want.Rows[i]
		if g.CategoryName != w.CategoryName || g.text != w.text || g.UserFields().Category != w.UserFields().Category || g.UserFields().Note != w.UserFields().Note {
			t.Errorf("row %s: %q %+v, a reload has %q %+v", w.Key, g.CategoryName, g.UserFields(), w.CategoryName, w.UserFields())
		}
	}
}

// What the person says about transfers wins over the bank's category: a
// TRANSFER they say is none (rent to a landlord) is spending; two bookings
// they link are a transfer, in the totals and the categories, after a
// reload and after an edit applied in place alike.
func TestTheLinkAndNotTransferDecideTheFlow(t *testing.T) {
	s := testenv.Store(t)
	seed(t, s, map[string]string{"cur": "Club Lloyds", "sav": "Saver"})
	put(t, s, "cur",
		tx("cur", "t1", "2026-01-05", "-950.00", "J SMITH RENT", "TRANSFER"),
		tx("cur", "t2", "2026-01-06", "-200.00", "STANDING ORDER SAVINGS", "STANDING_ORDER"),
	)
	put(t, s, "sav", tx("sav", "s1", "2026-01-06", "200.00", "FROM CURRENT ACCOUNT", "CREDIT"))
	before, err := Load(s)
	if err != nil {
		t.Fatal(err)
	}
	if tot := before.Query(Query{}).Totals[0]; !tot.Out.Equal(decimal.RequireFromString("-200")) || !tot.In.Equal(decimal.RequireFromString("200")) ||
		!tot.TransfersOut.Equal(decimal.RequireFromString("-950")) {
		t.Fatalf("the bank's words alone: %+v", tot)
	}

	if err := s.SetUserFields("cur", "n:t1", store.UserFields{NotTransfer: true}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetUserFields("cur", "n:t2", store.UserFields{TransferWith: &store.TxRef{AccountID: "sav", Key: "n:s1"}}); err != nil {
		t.Fatal(err)
	}
	fields := map[string]map[string]store.UserFields{}
	for _, a := range []string{"cur", "sav"} {
		if fields[a], err = s.UserFieldsOf(a); err != nil {
			t.Fatal(err)
		}
	}
	before.ApplyUserFields(fields)
	reloaded, err := Load(s)
	if err != nil {
		t.Fatal(err)
	}
	for name, l := range map[string]*Ledger{"applied in place": before, "reloaded": reloaded} {
		tot := l.Query(Query{}).Totals[0]
		if !tot.Out.Equal(decimal.RequireFromString("-950")) || !tot.In.IsZero() ||
			!tot.TransfersOut.Equal(decimal.RequireFromString("-200")) || !tot.TransfersIn.Equal(decimal.RequireFromString("200")) {
			t.Errorf("%s: %+v, want the rent spent and the linked pair a transfer", name, tot)
		}
		if r, _ := l.Find("cur", "n:t1"); r.Flow != Out || r.CategoryName == TransfersName {
			t.Errorf("%s: the rent is %v under %q", name, r.Flow, r.CategoryName)
		}
		if r, _ := l.Find("sav", "n:s1"); r.Flow != Transfer || r.CategoryName != TransfersName {
			t.Errorf("%s: the linked half is %v under %q", name, r.Flow, r.CategoryName)
		}
	}
}
