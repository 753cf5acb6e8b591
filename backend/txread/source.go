package txread

import (
	"errors"
	"fmt"

	"bankdesk/backend/bankday"
	"bankdesk/backend/store"
)

// Source is what a read reads. *store.Store is one; tests wrap it to
// inject failures.
type Source interface {
	Accounts() ([]store.Account, error)
	Account(id string) (store.Account, error)
	// Transactions streams an account's booked transactions, oldest first
	// (see store.Store.Transactions).
	Transactions(accountID string, from, to bankday.Day, fn func(store.Transaction) error) error
	Pending(accountID string) ([]store.Transaction, error)
	CountTransactions(accountID string) (int, error)
	Balance(accountID string) (store.Balance, error)
}

var _ Source = (*store.Store)(nil)

// ErrNoAccount is returned for an account id the store does not have.
var ErrNoAccount = errors.New("no such account")

// Accounts resolves Selection.Accounts: those asked for (each must exist,
// repeats dropped), in the store's order, or all of them.
func Accounts(src Source, ids []string) ([]store.Account, error) {
	all, err := src.Accounts()
	if err != nil {
		return nil, fmt.Errorf("read accounts: %w", err)
	}
	if len(ids) == 0 {
		return all, nil
	}
	want := make(map[string]bool, len(ids))
	for _, id := range ids {
		want[id] = true
	}
	var out []store.Account
	for _, a := range all {
		if want[a.ID] {
			out = append(out, a)
			delete(want, a.ID)
		}
	}
	for _, id := range ids {
		if want[id] {
			return nil, fmt.Errorf("%w: %q (see `bankdesk accounts`)", ErrNoAccount, id)
		}
	}
	return out, nil
}
