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

// The description a suggested rule matches on leaves out what changes
// from one payment to the next.
func TestRuleFromTransactionCleansTheDescription(t *testing.T) {
	cases := [][2]string{{"TESCO STORES 2931", "TESCO STORES"}, {"CARD PAYMENT TO LEON", "CARD PAYMENT TO LEON"}, {"2041 REF  X", "2041 REF X"}, {"OXFAM MONTHLY GIFT 01", "OXFAM MONTHLY GIFT"}}
	for _, c := range cases {
		if got := cleanDescription(c[0]); got != c[1] {
			t.Errorf("cleanDescription(%q) = %q, want %q", c[0], got, c[1])
		}
	}
}

// spentBy is Spending's money out per category (every account, every
// month), and the total.
func spentBy(t *testing.T, d *Desk) (map[string]string, decimal.Decimal) {
	t.Helper()
	s, err := d.Spending(view.TxFilter{})
	if err != nil {
		t.Fatal(err)
	}
	out, total := map[string]string{}, decimal.Zero
	for _, c := range s.Categories {
		out[c.Name] = c.Out
		total = total.Add(decimal.RequireFromString(c.Out))
	}
	return out, total
}

func has(nodes []view.CategoryNode, full string) bool {
	for _, n := range nodes {
		if n.Name == full || has(n.Children, full) {
			return true
		}
	}
	return false
}

func sumOf(xs ...string) string {
	s := decimal.Zero
	for _, x := range xs {
		if x != "" {
			s = s.Add(decimal.RequireFromString(x))
		}
	}
	return s.StringFixed(2)
}

// The category list starts from the bank's classification, children
// included; renaming, merging and deleting move what the person set by
// hand, what their rules set and what the bank's classification puts
// there, and Spending by category follows each step (its total never
// changes); deleting back to the bank's categories ends where it began.
func TestCategoryOperationsMoveEverythingAndTotalsFollow(t *testing.T) {
	d, _ := syncedSandboxDesk(t)
	list, err := d.CategoryList()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Food & Dining", "Food & Dining › Coffee shops", "Shopping › Groceries", "Bills and Utilities › Gas & Electric", "Transfers", "Income › Salary"} {
		if !has(list, want) {
			t.Errorf("the first list lacks %q: %+v", want, list)
		}
	}
	start, total := spentBy(t, d)
	if start["Food & Dining"] == "" || start["Shopping"] == "" {
		t.Fatalf("spending %v: the test proves little", start)
	}
	var leon view.TxRow
	for _, r := range everyRow(t, d) {
		if r.Merchant == "Leon" && r.Status == "booked" {
			leon = r
		}
	}
	if _, err := d.AddCategory("Eating out › Lunch"); err != nil {
		t.Fatal(err)
	}
	if _, err := d.SetUserFields(leon.AccountID, leon.ID, view.UserFields{Category: "Eating out › Lunch", Note: "with Sam"}); err != nil {
		t.Fatal(err)
	}
	if _, err := d.AddRule(view.Rule{Enabled: true, Match: view.RuleMatch{MerchantContains: "pret"}, Set: view.RuleSet{Category: "Eating out"}}); err != nil {
		t.Fatal(err)
	}
	step, _ := spentBy(t, d)
	leonOut := decimal.RequireFromString(leon.Amount).Neg().StringFixed(2)
	if step["Eating out › Lunch"] != leonOut || step["Eating out"] == "" {
		t.Fatalf("spending after the hand-set category and the rule: %v", step)
	}

	// Rename a parent: its child, the hand-set field and the rule follow.
	ch, err := d.RenameCategory("Eating out", "Dining")
	if err != nil {
		t.Fatal(err)
	}
	if ch.Transactions != 1 || ch.Rules != 1 || !has(ch.Categories, "Dining › Lunch") || has(ch.Categories, "Eating out") {
		t.Errorf("rename: %+v", ch)
	}
	renamed, _ := spentBy(t, d)
	if renamed["Dining › Lunch"] != step["Eating out › Lunch"] || renamed["Dining"] != step["Eating out"] || renamed["Eating out"] != "" {
		t.Errorf("spending after the rename: %v (before %v)", renamed, step)
	}
	if row, _ := d.row(leon.AccountID, leon.ID); row.Category != "Dining › Lunch" || row.Note != "with Sam" {
		t.Errorf("the hand-set row: %+v", row)
	}
	if rs, _ := d.Rules(); len(rs) != 1 || rs[0].Set.Category != "Dining" {
		t.Errorf("the rule: %+v", rs)
	}

	// Merge a category the bank fills into the person's: the bank's
	// transactions move too (a rule after the person's says so).
	ch, err = d.MergeCategory("Food & Dining", "Dining")
	if err != nil {
		t.Fatal(err)
	}
	merged, after := spentBy(t, d)
	if merged["Food & Dining"] != "" || merged["Dining"] != sumOf(renamed["Dining"], renamed["Food & Dining"]) || !after.Equal(total) {
		t.Errorf("spending after the merge: %v (before %v)", merged, renamed)
	}
	if has(ch.Categories, "Food & Dining") || !has(ch.Categories, "Dining › Coffee shops") {
		t.Errorf("the list after the merge: %+v", ch.Categories)
	}
	rs, _ := d.Rules()
	if len(rs) != 2 || rs[1].Match.BankCategory != "Food & Dining" || rs[1].Set.Category != "Dining" {
		t.Errorf("rules after the merge: %+v", rs)
	}

	// Delete with reassignment: all of it goes to Shopping.
	if _, err := d.DeleteCategory("Dining", "Shopping"); err != nil {
		t.Fatal(err)
	}
	moved, after := spentBy(t, d)
	if moved["Dining"] != "" || moved["Dining › Lunch"] != "" || moved["Shopping"] != sumOf(merged["Shopping"], merged["Dining"], merged["Dining › Lunch"]) || !after.Equal(total) {
		t.Errorf("spending after the delete: %v (before %v)", moved, merged)
	}
	if row, _ := d.row(leon.AccountID, leon.ID); row.Category != "Shopping" {
		t.Errorf("the hand-set row: %+v", row)
	}

	// Delete with none: back to the bank's, where it began.
	ch, err = d.DeleteCategory("Shopping", "")
	if err != nil {
		t.Fatal(err)
	}
	if ch.Transactions != 1 || ch.RulesRemoved != 2 {
		t.Errorf("delete to none: %+v", ch)
	}
	if back, _ := spentBy(t, d); !reflect.DeepEqual(back, start) {
		t.Errorf("spending back at the bank's: %v, began %v", back, start)
	}
	if row, _ := d.row(leon.AccountID, leon.ID); row.Category != leon.Category || row.Note != "with Sam" {
		t.Errorf("the hand-set row: %+v", row)
	}
	if rs, _ := d.Rules(); len(rs) != 0 {
		t.Errorf("rules setting nothing are kept: %+v", rs)
	}
	if l, _ := d.CategoryList(); !has(l, "Shopping") {
		t.Error("the bank's Shopping is no longer listed, though the bank fills it")
	}
}

// What the list cannot do is refused in a sentence, and changes nothing.
func TestCategoryOperationsRefuseInASentence(t *testing.T) {
	d, _ := syncedSandboxDesk(t)
	before, _ := d.CategoryList()
	for name, op := range map[string]func() (view.CategoryChange, error){
		"add twice":          func() (view.CategoryChange, error) { return d.AddCategory("Shopping") },
		"add empty":          func() (view.CategoryChange, error) { return d.AddCategory("  ") },
		"add a third level":  func() (view.CategoryChange, error) { return d.AddCategory("Home › Energy › Gas") },
		"rename to another":  func() (view.CategoryChange, error) { return d.RenameCategory("Shopping", "Transfers") },
		"rename unknown":     func() (view.CategoryChange, error) { return d.RenameCategory("Nope", "X") },
		"merge into itself":  func() (view.CategoryChange, error) { return d.MergeCategory("Shopping", "Shopping") },
		"merge into a child": func() (view.CategoryChange, error) { return d.MergeCategory("Shopping", "Shopping › Groceries") },
		"delete into itself": func() (view.CategoryChange, error) { return d.DeleteCategory("Shopping", "Shopping › General") },
		"too long":           func() (view.CategoryChange, error) { return d.AddCategory(strings.Repeat("x", 101)) },
	} {
		_, err := op()
		var say problem.Sayer
		if !errors.As(err, &say) || say.Say() == "" {
			t.Errorf("%s: %v", name, err)
		}
	}
	if after, _ := d.CategoryList(); !reflect.DeepEqual(after, before) {
		t.Error("a refused operation changed the list")
	}
	if !slices.ContainsFunc(before, func(n view.CategoryNode) bool { return n.Name == "Shopping" }) {
		t.Fatal("no Shopping: the test proves little")
	}
}
