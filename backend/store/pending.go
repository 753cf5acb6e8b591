package store

import (
	"cmp"
	"slices"
	"strings"

	"go.etcd.io/bbolt"
)

// ReplacePending replaces the account's stored pending transactions with
// txs, atomically. Wholesale replacement is what keeps a pending item from
// being counted again once it settles (its booked twin usually has other
// ids). An empty txs clears the set. Status defaults to TxPending and Key to
// DedupeKey; a repeated key is numbered ("#2"), as a bank may reuse an id.
// The account must exist (ErrNotFound).
//
// The set is one sealed value per account: pending lists are short, and one
// value makes the replacement trivially atomic. The person's fields of a
// row that left the set move to the booked row that replaced it, in the
// same commit (settle, userfields.go).
func (s *Store) ReplacePending(accountID string, txs []Transaction) error {
	set, err := prepareBatch(accountID, txs, TxPending, true)
	if err != nil {
		return err
	}
	slices.SortStableFunc(set, func(a, b Transaction) int {
		return cmp.Or(a.BookedAt.Compare(b.BookedAt), strings.Compare(a.Key, b.Key))
	})
	// The person's fields of a row that left the set follow it to its
	// booking, in the same commit (settle).
	s.index.mu.Lock()
	defer s.index.mu.Unlock()
	return s.updateForAccount(accountID, bucketPending, func(b *bbolt.Bucket) error {
		if err := s.writeSet(b, bucketPending, accountID, len(set), set); err != nil {
			return err
		}
		return s.settle(b.Tx(), accountID, set)
	})
}

// Pending returns the account's pending transactions, oldest first; none
// (and no error) when it has none, or when the set cannot be read (noted in
// Damaged: the next sync replaces the set). Each carries the person's
// fields (Transaction.User).
//
// An account kept after its connection was removed (DeleteConnection with
// keepData) has none: no sync will ever settle or replace them, so lists,
// totals and exports, which all read pending rows here, leave them out. A
// later connection that adopts the account syncs a fresh set.
func (s *Store) Pending(accountID string) ([]Transaction, error) {
	kept, err := s.disconnected(accountID)
	if err != nil || kept {
		return nil, err
	}
	set, err := readSet[Transaction](s, bucketPending, accountID)
	if err != nil {
		return nil, err
	}
	return set, s.attachAll(accountID, set)
}

// disconnected says whether the account is stored but its connection is
// not (kept for offline reading). An unknown or unreadable account is not.
func (s *Store) disconnected(accountID string) (bool, error) {
	var kept bool
	err := s.view(func(tx *bbolt.Tx) error {
		accts, err := bucket(tx, bucketAccounts)
		if err != nil {
			return err
		}
		conns, err := bucket(tx, bucketConnections)
		if err != nil {
			return err
		}
		// An unreadable account is noted by the listings that read it.
		var a Account
		if found, err := s.getJSONIn(accts, bucketAccounts, []byte(accountID), &a); err == nil && found {
			kept = conns.Get(s.key(bucketConnections, []byte(a.ConnectionID))) == nil
		}
		return nil
	})
	return kept, err
}
