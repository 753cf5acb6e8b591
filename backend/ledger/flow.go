package ledger

import "bankdesk/backend/store"

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

// transferCategory is TrueLayer's transaction_category of a transfer,
// "Transfer of money between accounts" (the TransactionCategory enum of the
// Data API spec, backend/internal/openapi/data-api-v1.json).
const transferCategory = "TRANSFER"

// FlowOf classifies t. The stored amount's sign was derived from
// transaction_type when it was stored (package bankdata), so it gives the
// direction.
func FlowOf(t *store.Transaction) Flow {
	switch {
	case t.Category == transferCategory:
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
const TransfersName = "Transfers"

// uncategorised names a transaction the bank gave no category.
const uncategorised = "Uncategorised"

// categoryNames are TrueLayer's transaction_category values in words (as
// the spec's TransactionCategory describes them), for transactions without
// a transaction_classification.
var categoryNames = map[string]string{
	"ATM":            "Cash",
	"BILL_PAYMENT":   "Bills",
	"CASH":           "Cash",
	"CASHBACK":       "Cashback",
	"CHEQUE":         "Cheques",
	"CORRECTION":     "Corrections",
	"CREDIT":         "Other income",
	"DEBIT":          "Other payments",
	"DIRECT_DEBIT":   "Direct debits",
	"DIVIDEND":       "Dividends",
	"FEE_CHARGE":     "Fees and charges",
	"INTEREST":       "Interest",
	"OTHER":          "Other",
	"PURCHASE":       "Purchases",
	"STANDING_ORDER": "Standing orders",
	"TRANSFER":       TransfersName,
	"UNKNOWN":        uncategorised,
}

// CategoryName is the category a person sees for t, on every screen and in
// the category filter: "Transfers" for every transfer (so the filter finds
// exactly the transfers the totals show apart), else TrueLayer's
// classification when it has one ("Shopping"), else its
// transaction_category in words ("Cash" for ATM).
func CategoryName(t *store.Transaction) string {
	if FlowOf(t) == Transfer {
		return TransfersName
	}
	if len(t.Classification) > 0 && t.Classification[0] != "" {
		return t.Classification[0]
	}
	if name, ok := categoryNames[t.Category]; ok {
		return name
	}
	if t.Category != "" {
		return t.Category
	}
	return uncategorised
}
