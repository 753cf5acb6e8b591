package desk

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"bankdesk/backend/store"
)

// TxQuery selects transactions. From and To are days (UTC), both included;
// zero leaves that end open. An empty AccountID means every account.
type TxQuery struct {
	AccountID      string
	From, To       time.Time
	IncludePending bool
}

// TransactionView is a transaction as the UI and `bankdesk transactions
// --json` show it. Amounts are exact decimal strings, signed: money out is
// negative.
type TransactionView struct {
	ID             string   `json:"id"` // the dedupe key: stable across syncs
	AccountID      string   `json:"account_id"`
	BookedAt       string   `json:"booked_at"` // RFC 3339, UTC
	Description    string   `json:"description"`
	Merchant       string   `json:"merchant"`
	Category       string   `json:"category"`
	Classification []string `json:"classification,omitempty"`
	Amount         string   `json:"amount"`
	Currency       string   `json:"currency"`
	Type           string   `json:"type"`   // DEBIT or CREDIT
	Status         string   `json:"status"` // booked or pending
	RunningBalance *string  `json:"running_balance,omitempty"`
}

// Transactions reads transactions from the store only, so it works
// offline. They come oldest first (by booking time, then account, booked
// before pending, then id).
func (d *Desk) Transactions(q TxQuery) ([]TransactionView, error) {
	ids, err := d.accountIDs(q.AccountID)
	if err != nil {
		return nil, err
	}
	out := []TransactionView{}
	for _, id := range ids {
		err := d.store.Transactions(id, q.From, q.To, func(t store.Transaction) error {
			out = append(out, transactionView(t))
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
			if inDays(t.BookedAt, q.From, q.To) {
				out = append(out, transactionView(t))
			}
		}
	}
	slices.SortStableFunc(out, func(a, b TransactionView) int {
		return cmp.Or(strings.Compare(a.BookedAt, b.BookedAt), strings.Compare(a.AccountID, b.AccountID),
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
		ID: t.Key, AccountID: t.AccountID, BookedAt: t.BookedAt.UTC().Format(time.RFC3339),
		Description: t.Description, Merchant: t.Merchant, Category: t.Category, Classification: t.Classification,
		Amount: t.Amount.StringFixed(max(2, -t.Amount.Exponent())), Currency: t.Currency, Type: t.Type, Status: t.Status,
	}
	if t.RunningBalance != nil {
		rb := t.RunningBalance.StringFixed(max(2, -t.RunningBalance.Exponent()))
		v.RunningBalance = &rb
	}
	return v
}

// inDays reports whether t's UTC day lies within [from, to] (zero: open).
func inDays(t, from, to time.Time) bool {
	day := t.UTC().Format(time.DateOnly)
	return (from.IsZero() || day >= from.UTC().Format(time.DateOnly)) && (to.IsZero() || day <= to.UTC().Format(time.DateOnly))
}
