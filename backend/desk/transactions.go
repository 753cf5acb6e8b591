package desk

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"bankdesk/backend/bankday"
	"bankdesk/backend/store"
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

	at time.Time // BookedAt, for ordering
}

// Transactions reads transactions from the store only, so it works
// offline. They come oldest first (by booking day, time, then account,
// booked before pending, then id).
func (d *Desk) Transactions(q TxQuery) ([]TransactionView, error) {
	ids, err := d.accountIDs(q.AccountID)
	if err != nil {
		return nil, err
	}
	out := []TransactionView{}
	for _, id := range ids {
		err := d.store.Transactions(id, q.From, q.To, func(t store.Transaction) error {
			if t.Counts() || q.IncludeRemoved {
				out = append(out, transactionView(t))
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read transactions of %s: %w", id, err)
		}
		if !q.IncludePending {
			continue
		}
		pending, err := d.store.Pending(id)
		if err != nil {
			return nil, fmt.Errorf("read pending transactions of %s: %w", id, err)
		}
		for _, t := range pending {
			if t.Day().Within(q.From, q.To) {
				out = append(out, transactionView(t))
			}
		}
	}
	slices.SortStableFunc(out, func(a, b TransactionView) int {
		return cmp.Or(strings.Compare(a.BookingDate, b.BookingDate), a.at.Compare(b.at), strings.Compare(a.AccountID, b.AccountID),
			strings.Compare(a.Status, b.Status), strings.Compare(a.ID, b.ID))
	})
	return out, nil
}

// accountIDs is the one account asked for (which must exist), or all.
func (d *Desk) accountIDs(id string) ([]string, error) {
	if id != "" {
		if _, err := d.store.Account(id); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return nil, fmt.Errorf("no account %q (see `bankdesk accounts`)", id)
			}
			return nil, fmt.Errorf("read account %s: %w", id, err)
		}
		return []string{id}, nil
	}
	accts, err := d.store.Accounts()
	if err != nil {
		return nil, fmt.Errorf("read accounts: %w", err)
	}
	ids := make([]string, len(accts))
	for i, a := range accts {
		ids[i] = a.ID
	}
	return ids, nil
}

func transactionView(t store.Transaction) TransactionView {
	v := TransactionView{
		ID: t.Key, AccountID: t.AccountID, BookingDate: t.Day().String(), BookedAt: t.BookedAt.Format(time.RFC3339), at: t.BookedAt,
		Description: t.Description, Merchant: t.Merchant, Category: t.Category, Classification: t.Classification,
		Amount: t.Amount.StringFixed(max(2, -t.Amount.Exponent())), Currency: t.Currency, Type: t.Type, Status: t.Status,
	}
	if t.RunningBalance != nil {
		rb := t.RunningBalance.StringFixed(max(2, -t.RunningBalance.Exponent()))
		v.RunningBalance = &rb
	}
	return v
}
