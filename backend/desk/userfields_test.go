package desk

import (
	"errors"
	"slices"
	"testing"

	"bankdesk/backend/problem"
	"bankdesk/backend/view"
)

// Editing the person's fields: the row comes back as it now lists, the
// Transactions screen (its index loaded before) shows the person's
// category beside the bank's, finds the note, lists the other half of a
// transfer link, leaves a hidden row out (still counted, and still in
// `bankdesk transactions`); the screens hear of it; a field the store
// refuses says why in a sentence, an unknown transaction is
// ErrNoTransaction.
func TestEditingUserFields(t *testing.T) {
	sink := newRecordSink()
	d, truth := syncedSandboxDesk(t, sink)
	cur, sav := truth.Accounts[0].AccountID, truth.Accounts[1].AccountID
	before, err := d.TransactionPage(view.TxFilter{AccountIDs: []string{cur}, Limit: 5})
	if err != nil || len(before.Rows) < 3 {
		t.Fatalf("page %+v %v", before, err)
	}
	savings, err := d.TransactionPage(view.TxFilter{AccountIDs: []string{sav}, Limit: 1})
	if err != nil || len(savings.Rows) != 1 {
		t.Fatalf("savings %+v %v", savings, err)
	}
	first, hide, other := before.Rows[0], before.Rows[1], savings.Rows[0]
	heard := func() int { sink.mu.Lock(); defer sink.mu.Unlock(); return sink.changed }
	changed := heard()

	row, err := d.SetUserFields(cur, first.ID, view.UserFields{
		Category: "Eating out", Note: "lunch with Sam", Tags: []string{"work", "lunch"}, Payee: "Sam's café",
		TransferWith: &view.TxRef{AccountID: sav, ID: other.ID},
	})
	if err != nil {
		t.Fatal(err)
	}
	if row.Category != "Eating out" || row.BankCategory != first.BankCategory || row.TransactionCategory != first.TransactionCategory ||
		row.Note != "lunch with Sam" || !slices.Equal(row.Tags, []string{"lunch", "work"}) || row.Payee != "Sam's café" ||
		row.TransferWith == nil || *row.TransferWith != other.ID || row.TransferWithAccountID != sav {
		t.Errorf("the row as it now lists: %+v", row)
	}
	if heard() == changed {
		t.Error("the screens were not told")
	}
	found, err := d.TransactionPage(view.TxFilter{Search: "with sam"})
	if err != nil || found.Total != 1 || found.Rows[0].ID != first.ID || found.Rows[0].Category != "Eating out" {
		t.Errorf("search for the note: %+v %v", found.Rows, err)
	}
	byCategory, err := d.TransactionPage(view.TxFilter{Category: "Eating out"})
	if err != nil || byCategory.Total != 1 {
		t.Errorf("the person's category as a filter: %d rows %v", byCategory.Total, err)
	}
	if cats, _ := d.Categories(); !slices.Contains(cats, "Eating out") {
		t.Errorf("categories %q", cats)
	}
	back, err := d.TransactionDetail(sav, other.ID)
	if err != nil || back.TransferWith == nil || *back.TransferWith != first.ID || back.TransferWithAccountID != cur {
		t.Errorf("the other half: %+v %v", back.TxRow, err)
	}
	if f, err := d.UserFields(cur, first.ID); err != nil || f.Note != "lunch with Sam" || f.TransferWith == nil {
		t.Errorf("UserFields %+v %v", f, err)
	}

	if _, err := d.SetUserFields(cur, hide.ID, view.UserFields{Hidden: true}); err != nil {
		t.Fatal(err)
	}
	after, err := d.TransactionPage(view.TxFilter{AccountIDs: []string{cur}, Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if after.Hidden != 1 || after.Total != before.Total-1 || slices.ContainsFunc(after.Rows, func(r view.TxRow) bool { return r.ID == hide.ID }) {
		t.Errorf("hidden: %d hidden, %d of %d rows", after.Hidden, after.Total, before.Total)
	}
	if !slices.EqualFunc(after.Totals, before.Totals, func(a, b view.TxTotals) bool { return a == b }) {
		t.Errorf("hiding changed the totals: %+v, were %+v", after.Totals, before.Totals)
	}
	shown, err := d.TransactionPage(view.TxFilter{AccountIDs: []string{cur}, Limit: 5, IncludeHidden: true})
	if err != nil || shown.Total != before.Total || !slices.EqualFunc(shown.Totals, before.Totals, func(a, b view.TxTotals) bool { return a == b }) {
		t.Errorf("the list's Show (IncludeHidden): %d of %d rows (%v)", shown.Total, before.Total, err)
	}
	listed, err := d.Transactions(TxQuery{AccountID: cur, IncludePending: true})
	if err != nil || !slices.ContainsFunc(listed, func(r view.TxRow) bool { return r.ID == hide.ID && r.Hidden }) {
		t.Errorf("`bankdesk transactions` leaves the hidden row out or unflagged (%v)", err)
	}
	if accts, err := d.TransactionAccounts(hide.ID); err != nil || !slices.Equal(accts, []string{cur}) {
		t.Errorf("TransactionAccounts %v %v", accts, err)
	}

	_, err = d.SetUserFields(cur, first.ID, view.UserFields{Tags: []string{"a,b"}})
	if p := problem.Of(err); err == nil || p.Message != `The tag "a,b" has a comma (a comma separates tags).` {
		t.Errorf("a refused tag: %v, worded %q", err, p.Message)
	}
	if _, err := d.SetUserFields(cur, "n:nothing-like-it", view.UserFields{Note: "x"}); !errors.Is(err, ErrNoTransaction) {
		t.Errorf("an unknown transaction: %v", err)
	}
	if _, err := d.SetUserFields(cur, first.ID, view.UserFields{}); err != nil {
		t.Fatal(err)
	}
	if back, _ := d.TransactionDetail(sav, other.ID); back.TransferWith != nil {
		t.Errorf("clearing one half left the other: %+v", back.TransferWith)
	}
}
