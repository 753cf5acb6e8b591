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
