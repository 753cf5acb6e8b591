package store

import (
	"cmp"
	"slices"
	"strings"
)

// ReplacePending replaces the account's stored pending transactions with
// txs, atomically. Wholesale replacement is what keeps a pending item from
// being counted again once it settles (its booked twin usually has other
// ids). An empty txs clears the set. Status defaults to TxPending and Key to
// DedupeKey; a repeated key is numbered ("#2"), as a bank may reuse an id.
// The account must exist (ErrNotFound).
//
// The set is one sealed value per account: pending lists are short, and one
// value makes the replacement trivially atomic.
func (s *Store) ReplacePending(accountID string, txs []Transaction) error {
	set, err := prepareBatch(accountID, txs, TxPending, true)
	if err != nil {
		return err
	}
	slices.SortStableFunc(set, func(a, b Transaction) int {
		return cmp.Or(a.BookedAt.Compare(b.BookedAt), strings.Compare(a.Key, b.Key))
	})
	return s.replaceSet(bucketPending, accountID, len(set), set)
}

// Pending returns the account's pending transactions, oldest first; none
// (and no error) when it has none, or when the set cannot be read (noted in
// Damaged: the next sync replaces the set).
func (s *Store) Pending(accountID string) ([]Transaction, error) {
	return readSet[Transaction](s, bucketPending, accountID)
}
