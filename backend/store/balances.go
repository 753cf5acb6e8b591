package store

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"
	"go.etcd.io/bbolt"
)

// Balance is the latest balance of an account or card. Optional amounts are
// nil when the bank did not send them (nil is not zero: a card with no
// credit limit reported is not a card with a zero limit).
type Balance struct {
	AccountID string          `json:"account_id"`
	Currency  string          `json:"currency,omitempty"`
	Current   decimal.Decimal `json:"current"`
	// Available includes any overdraft facility (accounts) or the remaining
	// credit (cards).
	Available   *decimal.Decimal `json:"available,omitempty"`
	Overdraft   *decimal.Decimal `json:"overdraft,omitempty"`
	CreditLimit *decimal.Decimal `json:"credit_limit,omitempty"`
	// Card statement fields.
	LastStatementBalance *decimal.Decimal `json:"last_statement_balance,omitempty"`
	LastStatementDate    time.Time        `json:"last_statement_date,omitzero"`
	PaymentDue           *decimal.Decimal `json:"payment_due,omitempty"`
	PaymentDueDate       time.Time        `json:"payment_due_date,omitzero"`
	UpdatedAt            time.Time        `json:"updated_at,omitzero"`
}

// PutBalance replaces the stored balance of b.AccountID, which must exist
// (ErrNotFound otherwise).
func (s *Store) PutBalance(b Balance) error {
	b.LastStatementDate = utc(b.LastStatementDate)
	b.PaymentDueDate = utc(b.PaymentDueDate)
	b.UpdatedAt = utc(b.UpdatedAt)
	return s.updateForAccount(b.AccountID, bucketBalances, func(bk *bbolt.Bucket) error {
		return s.putJSON(bk, bucketBalances, []byte(b.AccountID), b)
	})
}

// Balance returns the stored balance of an account, or ErrNotFound.
func (s *Store) Balance(accountID string) (Balance, error) {
	var b Balance
	err := s.getJSON(bucketBalances, accountID, fmt.Sprintf("balance of account %q", accountID), &b)
	return b, s.missing(bucketBalances, []byte(accountID), err)
}
