package store

import (
	"errors"
	"strings"
	"testing"

	"bankdesk/backend/rules"
)

func on() *bool { b := true; return &b }

// Every read runs the saved rules (Ruled) beside the hand-set fields;
// Fields merges them field by field, the hand-set first; rules get ids,
// are cleaned as hand-set fields are, and stay saved (sealed) across a
// reopen; without rules nothing is attached.
func TestRulesRunOnEveryRead(t *testing.T) {
	st, path := openTemp(t, xorSealer{})
	withAccount(t, st, "c", "acc")
	put(t, st, "acc", coffee("c1", "2026-03-02"), coffee("c2", "2026-03-03"))
	mustNoErr(t, st.ReplacePending("acc", []Transaction{coffee("p1", "2026-03-04")}))
	for _, tx := range all(t, st, "acc") {
		if tx.Ruled != nil {
			t.Fatalf("no rules, yet %+v", tx.Ruled)
		}
	}
	mustNoErr(t, st.SetUserFields("acc", "n:c1", UserFields{Category: "Lunch", Note: "with Sam"}))
	saved, err := st.SetRules([]rules.Rule{
		{Name: "pret", Match: rules.Match{MerchantContains: "pret", DayOfMonth: []int{2, 3, 4}}, Set: rules.Set{Category: " Eating out ", Tags: []string{"b", "a", "A"}, Payee: "Pret", Hidden: on()}},
	})
	mustNoErr(t, err)
	if len(saved) != 1 || saved[0].ID == "" || saved[0].Set.Category != "Eating out" || strings.Join(saved[0].Set.Tags, ",") != "a,b" {
		t.Fatalf("saved %+v", saved)
	}
	want := map[string]UserFields{
		"n:c1": {Category: "Lunch", Note: "with Sam", Tags: []string{"a", "b"}, Payee: "Pret", Hidden: true},
		"n:c2": {Category: "Eating out", Tags: []string{"a", "b"}, Payee: "Pret", Hidden: true},
		"n:p1": {Category: "Eating out", Tags: []string{"a", "b"}, Payee: "Pret", Hidden: true},
	}
	check := func(st *Store, how string, txs ...Transaction) {
		t.Helper()
		for _, tx := range txs {
			if tx.Ruled == nil || tx.Ruled.Category != "Eating out" {
				t.Errorf("%s: %s ruled %+v", how, tx.Key, tx.Ruled)
			}
			sameJSON(t, how+" "+tx.Key, tx.Fields(), want[tx.Key])
			if tx.PersonCategory() != want[tx.Key].Category {
				t.Errorf("%s: PersonCategory %q", how, tx.PersonCategory())
			}
		}
	}
	check(st, "Transactions", all(t, st, "acc")...)
	pending, err := st.Pending("acc")
	mustNoErr(t, err)
	check(st, "Pending", pending...)
	one, err := st.Transaction("acc", "n:c2")
	mustNoErr(t, err)
	check(st, "Transaction", one)
	newest, err := st.NewestTransactions("acc", 2)
	mustNoErr(t, err)
	check(st, "NewestTransactions", newest...)
	if u, _ := st.UserFields("acc", "n:c2"); !u.IsZero() {
		t.Errorf("a rule's result stored as the person's: %+v", u)
	}

	// Sealed and kept.
	mustNoErr(t, st.Close())
	again, err := Open(path, xorSealer{}, Options{})
	mustNoErr(t, err)
	t.Cleanup(func() { again.Close() })
	check(again, "after a reopen", all(t, again, "acc")...)
	back, err := again.Rules()
	mustNoErr(t, err)
	sameJSON(t, "Rules", back, saved)

	// Refused: a repeated id, a field the store refuses, a rule that
	// cannot run; what was saved stays.
	for _, bad := range [][]rules.Rule{
		{saved[0], saved[0]},
		{{Match: rules.Match{MerchantContains: "x"}, Set: rules.Set{Payee: "a\nb"}}},
		{{Match: rules.Match{MerchantRegexp: "("}, Set: rules.Set{Payee: "x"}}},
	} {
		var re *rules.Error
		if _, err := again.SetRules(bad); !errors.Is(err, ErrInvalid) || !errors.As(err, &re) {
			t.Errorf("SetRules(%+v) = %v", bad, err)
		}
	}
	check(again, "after refusals", all(t, again, "acc")...)

	// None again: nothing attached.
	_, err = again.SetRules(nil)
	mustNoErr(t, err)
	for _, tx := range all(t, again, "acc") {
		if tx.Ruled != nil || tx.Fields().Payee != "" {
			t.Errorf("rules removed, yet %+v", tx.Ruled)
		}
	}
}

// SetCategories saves the list and renames the hand-set categories and
// the rules' in one write: a rule left setting nothing goes, the rules
// added come after the others, and fields left empty are removed.
func TestSetCategoriesRenamesHandSetAndRules(t *testing.T) {
	st := accountStore(t)
	put(t, st, "acc", coffee("c1", "2026-03-02"), coffee("c2", "2026-03-03"), coffee("c3", "2026-03-04"))
	mustNoErr(t, st.SetUserFields("acc", "n:c1", UserFields{Category: "Home › Energy", Note: "gas"}))
	mustNoErr(t, st.SetUserFields("acc", "n:c2", UserFields{Category: "Home"}))
	mustNoErr(t, st.SetUserFields("acc", "n:c3", UserFields{Category: "Other"}))
	_, err := st.SetRules([]rules.Rule{
		{Name: "only a category", Match: rules.Match{MerchantContains: "x"}, Set: rules.Set{Category: "Home"}},
		{Name: "tags too", Match: rules.Match{MerchantContains: "y"}, Set: rules.Set{Category: "Home › Energy", Tags: []string{"t"}}},
	})
	mustNoErr(t, err)
	list := []string{"Other"}
	rename := func(n string) (string, bool) {
		if n == "Home" || strings.HasPrefix(n, "Home › ") {
			return "", true
		}
		return n, false
	}
	add := []rules.Rule{{Name: "bank", Match: rules.Match{BankCategory: "Food & Dining"}, Set: rules.Set{Category: "Other"}}}
	n, err := st.SetCategories(list, rename, add)
	mustNoErr(t, err)
	if n != (Recategorised{Transactions: 2, Rules: 1, RulesRemoved: 1}) {
		t.Errorf("counted %+v", n)
	}
	var got []string
	found, err := st.Categories(&got)
	mustNoErr(t, err)
	if !found || strings.Join(got, ",") != "Other" {
		t.Errorf("list %v %v", found, got)
	}
	rs, _ := st.Rules()
	if len(rs) != 2 || rs[0].Name != "tags too" || rs[0].Set.Category != "" || rs[1].Name != "bank" || rs[1].ID == "" {
		t.Errorf("rules %+v", rs)
	}
	for key, want := range map[string]UserFields{"n:c1": {Note: "gas"}, "n:c2": {}, "n:c3": {Category: "Other"}} {
		u, _ := st.UserFields("acc", key)
		sameJSON(t, key, u, want)
	}
	// The added rule runs at once (the reads' rules are the new ones).
	for _, tx := range all(t, st, "acc") {
		if tx.Ruled == nil || tx.Ruled.Category != "Other" {
			t.Errorf("%s ruled %+v", tx.Key, tx.Ruled)
		}
	}
}
