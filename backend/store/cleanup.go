package store

import (
	"bytes"
	"fmt"

	"go.etcd.io/bbolt"
)

// deleteAccountData removes an account and everything stored under it.
func deleteAccountData(tx *bbolt.Tx, accountID string) error {
	for _, name := range [][]byte{bucketAccounts, bucketBalances, bucketPending, bucketCheckpoints, bucketStandingOrders, bucketDirectDebits} {
		b, err := bucket(tx, name)
		if err != nil {
			return err
		}
		if err := b.Delete([]byte(accountID)); err != nil {
			return fmt.Errorf("store: delete %s/%s: %w", name, accountID, err)
		}
	}
	return deletePrefix(tx, bucketTransactions, accountPrefix(accountID))
}

// deletePrefix removes every key starting with prefix. It collects the
// keys first and deletes them last to first: deleting while iterating can
// skip keys, and deleting front to back makes every later seek walk past the
// leaves emptied so far (bbolt only drops them at commit), which made
// removing 100k transactions take 20 s instead of well under one.
func deletePrefix(tx *bbolt.Tx, name, prefix []byte) error {
	b, err := bucket(tx, name)
	if err != nil {
		return err
	}
	var keys [][]byte
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		keys = append(keys, clone(k))
	}
	for i := len(keys) - 1; i >= 0; i-- {
		if err := b.Delete(keys[i]); err != nil {
			return fmt.Errorf("store: delete %s/%s: %w", name, printableKey(keys[i]), err)
		}
	}
	return nil
}
