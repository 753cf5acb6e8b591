package desk

import (
	"time"

	"bankdesk/backend/bankday"
	"bankdesk/backend/money"
	"bankdesk/backend/store"
	"bankdesk/backend/txread"
)

// TxQuery selects transactions. From and To are booking days (the bank's,
// see bankday), both included; zero leaves that end open. An empty
// AccountID means every account. Bookings the bank removed are left out
// unless IncludeRemoved.
type TxQuery struct {
	AccountID      string
	From, To       bankday.Day
	IncludePending bool
	IncludeRemoved bool
}

// TransactionView is a transaction as the UI and `bankdesk transactions
// --json` show it. Amounts are exact decimal strings, signed: money out is
// negative.
type TransactionView struct {
	ID             string   `json:"id"` // the dedupe key: stable across syncs
	AccountID      string   `json:"account_id"`
	BookingDate    string   `json:"booking_date"` // YYYY-MM-DD: the bank's day, which lists and totals go by
	BookedAt       string   `json:"booked_at"`    // RFC 3339 with the bank's offset
	Description    string   `json:"description"`
	Merchant       string   `json:"merchant"`
	Category       string   `json:"category"`
	Classification []string `json:"classification,omitempty"`
	Amount         string   `json:"amount"`
	Currency       string   `json:"currency"`
	Type           string   `json:"type"`   // DEBIT or CREDIT
	Status         string   `json:"status"` // booked, pending, or removed (the bank no longer lists it)
	RunningBalance *string  `json:"running_balance,omitempty"`
}

// Transactions reads transactions from the store only, so it works
// offline, in the one read model's order (txread.Compare: oldest first).
func (d *Desk) Transactions(q TxQuery) ([]TransactionView, error) {
	sel := txread.Selection{From: q.From, To: q.To, IncludePending: q.IncludePending, IncludeRemoved: q.IncludeRemoved}
	if q.AccountID != "" {
		sel.Accounts = []string{q.AccountID}
	}
	accts, err := txread.Accounts(d.store, sel.Accounts)
	if err != nil {
		return nil, err
	}
	out := []TransactionView{}
	for t, err := range txread.Rows(d.store, accts, sel) {
		if err != nil {
			return nil, err
		}
		out = append(out, transactionView(t))
	}
	return out, nil
}

func transactionView(t store.Transaction) TransactionView {
	v := TransactionView{
		ID: t.Key, AccountID: t.AccountID, BookingDate: t.Day().String(), BookedAt: t.BookedAt.Format(time.RFC3339),
		Description: t.Description, Merchant: t.Merchant, Category: t.Category, Classification: t.Classification,
		Amount: money.String(t.Amount), Currency: t.Currency, Type: t.Type, Status: t.Status,
		RunningBalance: money.Ptr(t.RunningBalance),
	}
	return v
}
