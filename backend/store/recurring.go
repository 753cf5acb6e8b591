package store

import (
	"errors"
	"time"

	"github.com/shopspring/decimal"
	"go.etcd.io/bbolt"
)

// StandingOrder is a payment the account holder scheduled at the bank.
// Frequency keeps the Open Banking code (EvryDay, IntrvlMnthDay:01:26, ...);
// an open-ended order has FinalPaymentDate 9999-12-31. Amounts are nil when
// the bank did not send them.
type StandingOrder struct {
	Frequency          string           `json:"frequency"`
	Status             string           `json:"status,omitempty"` // Active, Inactive
	Payee              string           `json:"payee,omitempty"`
	Reference          string           `json:"reference,omitempty"`
	Currency           string           `json:"currency,omitempty"`
	NextPaymentDate    time.Time        `json:"next_payment_date,omitzero"`
	NextPaymentAmount  *decimal.Decimal `json:"next_payment_amount,omitempty"`
	FirstPaymentDate   time.Time        `json:"first_payment_date,omitzero"`
	FirstPaymentAmount *decimal.Decimal `json:"first_payment_amount,omitempty"`
	FinalPaymentDate   time.Time        `json:"final_payment_date,omitzero"`
	FinalPaymentAmount *decimal.Decimal `json:"final_payment_amount,omitempty"`
	ProviderAccountID  string           `json:"provider_account_id,omitempty"`
}

// DirectDebit is a mandate that lets a merchant collect from the account.
// MandateID (provider_mandate_identification) identifies it; TrueLayer's
// direct_debit_id changes between requests, so it is not kept.
type DirectDebit struct {
	Name                  string           `json:"name"`
	Status                string           `json:"status,omitempty"` // Active, Inactive
	MandateID             string           `json:"mandate_id,omitempty"`
	ProviderDirectDebitID string           `json:"provider_direct_debit_id,omitempty"`
	Currency              string           `json:"currency,omitempty"`
	PreviousPaymentAt     time.Time        `json:"previous_payment_at,omitzero"`
	PreviousPaymentAmount *decimal.Decimal `json:"previous_payment_amount,omitempty"`
	ProviderAccountID     string           `json:"provider_account_id,omitempty"`
}

// PutStandingOrders replaces the account's standing orders with orders, as
// one sealed value: the bank always lists them all, and lists are short. An
// empty list clears them. The account must exist (ErrNotFound).
func (s *Store) PutStandingOrders(accountID string, orders []StandingOrder) error {
	for i := range orders {
		o := &orders[i]
		o.NextPaymentDate, o.FirstPaymentDate, o.FinalPaymentDate = utc(o.NextPaymentDate), utc(o.FirstPaymentDate), utc(o.FinalPaymentDate)
	}
	return s.replaceSet(bucketStandingOrders, accountID, len(orders), orders)
}

// StandingOrders returns the account's standing orders as last stored; none
// (and no error) when there are none.
func (s *Store) StandingOrders(accountID string) ([]StandingOrder, error) {
	return readSet[StandingOrder](s, bucketStandingOrders, accountID)
}

// PutDirectDebits replaces the account's direct debits, like
// PutStandingOrders.
func (s *Store) PutDirectDebits(accountID string, debits []DirectDebit) error {
	for i := range debits {
		debits[i].PreviousPaymentAt = utc(debits[i].PreviousPaymentAt)
	}
	return s.replaceSet(bucketDirectDebits, accountID, len(debits), debits)
}

// DirectDebits returns the account's direct debits as last stored.
func (s *Store) DirectDebits(accountID string) ([]DirectDebit, error) {
	return readSet[DirectDebit](s, bucketDirectDebits, accountID)
}

// replaceSet writes set (n items) as the account's one value in bucket
// name (pending transactions, standing orders, direct debits), or deletes
// it when n is 0. The account must exist (ErrNotFound).
func (s *Store) replaceSet(name []byte, accountID string, n int, set any) error {
	return s.updateForAccount(accountID, name, func(b *bbolt.Bucket) error {
		return s.writeSet(b, name, accountID, n, set)
	})
}

// writeSet is replaceSet's write, inside a write transaction.
func (s *Store) writeSet(b *bbolt.Bucket, name []byte, accountID string, n int, set any) error {
	if n == 0 {
		return s.del(b, name, []byte(accountID))
	}
	return s.putJSON(b, name, []byte(accountID), set)
}

// readSet returns the account's set in bucket name; none (and no error)
// when it has none, or when it cannot be read (noted in Damaged; the next
// sync replaces it).
func readSet[T any](s *Store, name []byte, accountID string) ([]T, error) {
	var set []T
	err := s.viewIn(name, func(_ *bbolt.Tx, b *bbolt.Bucket) error {
		_, err := s.getJSONIn(b, name, []byte(accountID), &set)
		return err
	})
	if errors.Is(err, ErrUnreadable) {
		s.noteRecord(name, []byte(accountID), err)
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return set, nil
}
