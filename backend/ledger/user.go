package ledger

import (
	"strings"

	"bankdesk/backend/categories"
	"bankdesk/backend/store"
)

// The person's own fields (store.UserFields) on top of the bank's: what
// the list, the filter, search and Spending's categories make of them.

// EffectiveCategory is the category a transaction is shown and counted
// under: the one the person set by hand, else the one their rules set
// (store.Transaction.PersonCategory), else the bank's in words
// (CategoryName). It names the category only: a transfer the person put
// under another category is still a transfer (FlowOf), never income or
// spending.
func EffectiveCategory(t *store.Transaction) string {
	if c := t.PersonCategory(); c != "" {
		return c
	}
	// The flow decides whether it is under Transfers, so the category
	// filter finds exactly the transfers the totals show apart: a linked
	// pair is, a TRANSFER the person says is none is not.
	switch transfer := t.Category == categories.TransferCategory; {
	case FlowOf(t) == Transfer && !transfer:
		return TransfersName
	case FlowOf(t) != Transfer && transfer:
		return categories.BankName("", t.Classification)
	}
	return CategoryName(t)
}

// userText is what a search finds of the person's fields (theirs and
// their rules', store.Transaction.Fields): note, payee name and tags.
func userText(t *store.Transaction) string {
	if t.User == nil && t.Ruled == nil {
		return ""
	}
	u := t.Fields()
	if u.Note == "" && u.Payee == "" && len(u.Tags) == 0 {
		return ""
	}
	return strings.Join([]string{u.Note, u.Payee, strings.Join(u.Tags, " ")}, "\x00")
}

// ApplyUserFields gives every row the person's fields that fields hold
// (by account id, then dedupe key; none for a row it lacks), as a Reload
// would, without reading the transactions again: what an edit of them
// changes.
func (l *Ledger) ApplyUserFields(fields map[string]map[string]store.UserFields) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := range l.rows {
		r := &l.rows[i]
		u, ok := fields[r.AccountID][r.Key]
		if !ok && r.User == nil {
			continue
		}
		r.User = nil
		if ok && !u.IsZero() {
			r.User = &u
		}
		r.Flow = FlowOf(&r.Transaction) // a link, or "not a transfer", changes it
		r.CategoryName = EffectiveCategory(&r.Transaction)
		r.text = haystack(&r.Transaction, r.CategoryName, r.AccountName)
	}
}
