// Package txread is the one read model of stored transactions: a
// Selection (accounts, a range of the bank's days, pending, removed) and
// the one ordered stream of what it selects (Rows, in the one order: Sort,
// which the screens' index uses too).
// Exports and `bankdesk transactions` read through it; the window's
// in-memory index (package ledger) is the other way in, for paging and
// search.
package txread

import (
	"bankdesk/backend/bankday"
	"bankdesk/backend/store"
)

// Selection picks transactions. From and To are the bank's booking days,
// both included; zero leaves that end open. No Accounts means all.
// Bookings the bank removed are left out unless IncludeRemoved; pending
// ones are left out unless IncludePending.
type Selection struct {
	Accounts       []string
	From, To       bankday.Day
	IncludePending bool
	IncludeRemoved bool
	// Keep, when set, is a further test a transaction must pass: the
	// list's category and search (ledger.Filter.Keep), for an export of
	// what the list shows.
	Keep func(store.Transaction) bool
}

// keeps reports whether sel's Keep lets t through.
func (sel Selection) keeps(t store.Transaction) bool { return sel.Keep == nil || sel.Keep(t) }
