package store

import (
	"bytes"
	"fmt"
	"slices"

	"go.etcd.io/bbolt"
)

// deleteAccountData removes an account and everything stored under it:
// the person's fields of its transactions too, the transfer links of
// other accounts' transactions into it, and its imports' records.
func (s *Store) deleteAccountData(tx *bbolt.Tx, accountID string) error {
	for _, name := range [][]byte{bucketAccounts, bucketBalances, bucketPending, bucketCheckpoints, bucketStandingOrders, bucketDirectDebits, bucketUserFields} {
		b, err := bucket(tx, name)
		if err != nil {
			return err
		}
		if err := s.del(b, name, []byte(accountID)); err != nil {
			return err
		}
	}
	if err := s.repoint(tx, func(ref TxRef) (TxRef, bool) { return ref, ref.AccountID != accountID }); err != nil {
		return err
	}
	// Its imports have nothing left to undo.
	if err := s.editImports(tx, accountID, func(*Import) bool { return false }); err != nil {
		return err
	}
	return s.deleteTransactions(tx, accountID)
}

// deleteTransactions removes an account's transactions and their index.
// Caller holds s.index.mu.
func (s *Store) deleteTransactions(tx *bbolt.Tx, accountID string) error {
	b, err := bucket(tx, bucketTransactions)
	if err != nil {
		return err
	}
	a, err := s.index.load(s, tx, accountID)
	if err != nil {
		return err
	}
	var keys [][]byte
	if a.rebuilt {
		// The index was rebuilt from the records: find them the same way.
		err = s.scanRecords(b, nil, func(k []byte, t Transaction) error {
			if t.AccountID == accountID {
				keys = append(keys, clone(k))
			}
			return nil
		})
		if err != nil {
			return err
		}
	} else {
		for _, sl := range a.at {
			keys = append(keys, s.keys.tx(accountID, sl.at, sl.id))
		}
	}
	slices.SortFunc(keys, bytes.Compare)
	// Last to first, as deletePrefix explains.
	for i := len(keys) - 1; i >= 0; i-- {
		if err := b.Delete(keys[i]); err != nil {
			return fmt.Errorf("store: delete %s/%s: %w", bucketTransactions, printableKey(keys[i]), err)
		}
	}
	for m := range a.months {
		if err := b.Delete(s.indexKey(accountID, m)); err != nil {
			return fmt.Errorf("store: delete the index of %s: %w", m, err)
		}
	}
	delete(s.index.accounts, accountID)
	return s.writeDir(tx, accountID, nil)
}
