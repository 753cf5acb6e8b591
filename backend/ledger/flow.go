package ledger

import (
	"bankdesk/backend/categories"
	"bankdesk/backend/store"
)

// Flow is what a booking does to the person's money. It is the one rule
// the Transactions totals, the Spending charts and the category names go
// by, so the screens agree on every figure.
type Flow int

const (
	// In is income: money that came from outside (pay, interest, refunds).
	In Flow = iota
	// Out is spending: money that went to someone else.
	Out
	// Transfer is money moved between the person's own accounts, or paid
	// off a card: TrueLayer's TRANSFER transaction_category. It is neither
	// income nor spending, and counting it as either would count it twice
	// (once on each side).
	Transfer
)

// FlowOf classifies t. The stored amount's sign was derived from
// transaction_type when it was stored (package bankdata), so it gives the
// direction. What the person said wins over the bank's category: a
// transaction they linked to its other half is a transfer, one they said
// is no transfer counts as income or spending.
func FlowOf(t *store.Transaction) Flow {
	u := t.User
	switch {
	case u != nil && u.TransferWith != nil:
		return Transfer
	case t.Category == categories.TransferCategory && (u == nil || !u.NotTransfer):
		return Transfer
	case t.Amount.IsNegative():
		return Out
	}
	return In
}

// Counted reports whether t is in totals and charts: booked ones are;
// pending ones may still change (the lists show them apart) and removed
// ones the bank no longer lists.
func Counted(t *store.Transaction) bool { return t.Status == store.TxBooked }

// TransfersName is the category name of every transfer.
const TransfersName = categories.TransfersName

// CategoryName is the category the bank gives t, in words, on every
// screen and in the category filter (categories.BankName).
func CategoryName(t *store.Transaction) string {
	return categories.BankName(t.Category, t.Classification)
}
