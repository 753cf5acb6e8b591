package store

import (
	"fmt"

	"go.etcd.io/bbolt"
)

// bucket returns a bucket the migrations created; a missing one means a
// damaged file, reported rather than panicking on nil.
func bucket(tx *bbolt.Tx, name []byte) (*bbolt.Bucket, error) {
	b := tx.Bucket(name)
	if b == nil {
		return nil, fmt.Errorf("store: bucket %s missing (damaged data file?)", name)
	}
	return b, nil
}

// connectionExists is the guard writers use so nothing is written for a
// connection that was deleted meanwhile.
func (s *Store) connectionExists(tx *bbolt.Tx, connID string) error {
	b, err := bucket(tx, bucketConnections)
	if err != nil {
		return err
	}
	if b.Get(s.key(bucketConnections, []byte(connID))) == nil {
		return fmt.Errorf("%w: connection %q", ErrNotFound, connID)
	}
	return nil
}

// accountExists is the same guard for per-account records.
func (s *Store) accountExists(tx *bbolt.Tx, accountID string) error {
	b, err := bucket(tx, bucketAccounts)
	if err != nil {
		return err
	}
	if b.Get(s.key(bucketAccounts, []byte(accountID))) == nil {
		return fmt.Errorf("%w: account %q", ErrNotFound, accountID)
	}
	return nil
}
