package desk

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"bankdesk/backend/problem"
	"bankdesk/backend/view"
)

// everyRow is every stored transaction as the lists show it, by account
// and id: through the screens' index and through the one read model
// (`bankdesk transactions --json`), which must agree.
func everyRow(t *testing.T, d *Desk) map[[2]string]view.TxRow {
	t.Helper()
	l, err := d.ledger()
	if err != nil {
		t.Fatal(err)
	}
	out := map[[2]string]view.TxRow{}
	for _, r := range l.Rows() {
		out[[2]string{r.AccountID, r.Key}] = txRow(r.Transaction, r.AccountName)
	}
	listed, err := d.Transactions(TxQuery{IncludePending: true, IncludeRemoved: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range listed {
		if got := out[[2]string{r.AccountID, r.ID}]; !reflect.DeepEqual(got, r) {
			t.Errorf("the screens and the command line disagree on %s:\n%+v\n%+v", r.ID, got, r)
		}
	}
	return out
}

// A rule made from a transaction ("always categorise Pret as Eating out")
// is previewed, then saved: the preview lists exactly the rows saving
// changed, with each field before and after as they then list; a
// category set by hand stays (the person wins over a rule), and Spending
// charts the rule's category.
func TestPreviewIsWhatSavingTheRuleChanges(t *testing.T) {
	d, truth := syncedSandboxDesk(t)
	cur := truth.Accounts[0].AccountID
	var pret []view.TxRow
	for _, r := range everyRow(t, d) {
		if r.Merchant == "Pret A Manger" {
			pret = append(pret, r)
		}
	}
	if len(pret) < 3 {
		t.Fatalf("%d Pret rows: the test proves little", len(pret))
	}
	slices.SortFunc(pret, func(a, b view.TxRow) int { return strings.Compare(a.ID, b.ID) })
	mine := pret[0]
	if _, err := d.SetUserFields(mine.AccountID, mine.ID, view.UserFields{Category: "Lunch with Sam"}); err != nil {
		t.Fatal(err)
	}
	r, err := d.RuleFromTransaction(pret[1].AccountID, pret[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.Match.MerchantContains != "Pret A Manger" || r.Match.DescriptionContains != "" || !r.Enabled {
		t.Fatalf("suggested %+v", r)
	}
	r.Set = view.RuleSet{Category: "Eating out", Tags: []string{"coffee"}}
	preview, err := d.PreviewRule(r)
	if err != nil {
		t.Fatal(err)
	}
	before := everyRow(t, d)
	if _, err := d.AddRule(r); err != nil {
		t.Fatal(err)
	}
	after := everyRow(t, d)
	var applied []view.RuleChange
	for k, a := range after {
		if fields := changedFields(before[k], a); len(fields) > 0 {
			applied = append(applied, view.RuleChange{Row: a, Fields: fields})
		}
	}
	byID := func(a, b view.RuleChange) int {
		return strings.Compare(a.Row.AccountID+a.Row.ID, b.Row.AccountID+b.Row.ID)
	}
	slices.SortFunc(applied, byID)
	slices.SortFunc(preview.Changes, byID)
	if len(applied) != len(pret) || preview.Count != len(preview.Changes) || !reflect.DeepEqual(preview.Changes, applied) {
		t.Fatalf("the preview (%d) is not what saving changed (%d of %d Pret rows):\n%+v\n%+v", preview.Count, len(applied), len(pret), preview.Changes, applied)
	}
	for _, c := range applied {
		want := []view.FieldChange{{Field: "category", Before: "Food & Dining", After: "Eating out"}, {Field: "tags", Before: "", After: "coffee"}}
		if c.Row.ID == mine.ID {
			want = want[1:] // the category set by hand stays
		}
		if !reflect.DeepEqual(c.Fields, want) {
			t.Errorf("%s changed %+v, want %+v", c.Row.ID, c.Fields, want)
		}
	}
	if got := after[[2]string{mine.AccountID, mine.ID}]; got.Category != "Lunch with Sam" {
		t.Errorf("the hand-set category became %q", got.Category)
	}
	// Spending charts the rule's category, by the same rows.
	s, err := d.Spending(view.TxFilter{AccountIDs: []string{cur}})
	if err != nil {
		t.Fatal(err)
	}
	want, n := decimal.Zero, 0
	for _, r := range after {
		if r.Category == "Eating out" && r.Status == "booked" && r.AccountID == cur {
			want, n = want.Sub(decimal.RequireFromString(r.Amount)), n+1
		}
	}
	i := slices.IndexFunc(s.Categories, func(c view.Category) bool { return c.Name == "Eating out" })
	if i < 0 || n == 0 || s.Categories[i].Count != n || !decimal.RequireFromString(s.Categories[i].Out).Equal(want) {
		t.Errorf("Spending's Eating out %+v, want %d rows, %s", s.Categories, n, want)
	}
	// A preview of the saved rules changes nothing.
	again, err := d.PreviewRule(view.Rule{})
	if err == nil || again.Count != 0 {
		t.Errorf("an empty rule previewed: %+v %v", again, err)
	}
	saved, _ := d.Rules()
	if len(saved) != 1 || saved[0].ID == "" {
		t.Fatalf("saved %+v", saved)
	}
	same, err := d.PreviewRule(saved[0])
	if err != nil || same.Count != 0 {
		t.Errorf("previewing the saved rule again changes %d: %v", same.Count, err)
	}
}

// A rule that cannot run is refused in a sentence naming it; nothing is
// saved.
func TestABadRuleIsRefusedInASentence(t *testing.T) {
	d, _ := syncedSandboxDesk(t)
	for _, r := range []view.Rule{
		{Name: "coffee", Enabled: true, Match: view.RuleMatch{MerchantRegexp: "(pret"}, Set: view.RuleSet{Category: "X"}},
		{Name: "coffee", Enabled: true, Match: view.RuleMatch{AmountMin: "lots"}, Set: view.RuleSet{Category: "X"}},
		{Name: "coffee", Enabled: true, Match: view.RuleMatch{MerchantContains: "pret"}, Set: view.RuleSet{Category: "Eating\nout"}},
	} {
		_, err := d.AddRule(r)
		var say problem.Sayer
		if !errors.As(err, &say) || !strings.HasPrefix(say.Say(), `The rule "coffee": `) {
			t.Errorf("AddRule(%+v) = %v", r, err)
		}
	}
	if rs, _ := d.Rules(); len(rs) != 0 {
		t.Errorf("saved %+v", rs)
	}
}

func TestRuleFromTransactionCleansTheDescription(t *testing.T) {
	for in, want := range map[string]string{
		"TESCO STORES 2931":     "TESCO STORES",
		"CARD PAYMENT TO LEON":  "CARD PAYMENT TO LEON",
		"2041 REF  X":           "2041 REF X",
		"OXFAM MONTHLY GIFT 01": "OXFAM MONTHLY GIFT",
	} {
		if got := cleanDescription(in); got != want {
			t.Errorf("cleanDescription(%q) = %q, want %q", in, got, want)
		}
	}
}
