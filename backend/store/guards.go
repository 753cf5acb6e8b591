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
	return s.exists(tx, bucketConnections, "connection", connID)
}

// accountExists is the same guard for per-account records.
func (s *Store) accountExists(tx *bbolt.Tx, accountID string) error {
	return s.exists(tx, bucketAccounts, "account", accountID)
}

// exists returns ErrNotFound, naming what, when bucket name holds no
// record named id.
func (s *Store) exists(tx *bbolt.Tx, name []byte, what, id string) error {
	b, err := bucket(tx, name)
	if err != nil {
		return err
	}
	if b.Get(s.key(name, []byte(id))) == nil {
		return fmt.Errorf("%w: %s %q", ErrNotFound, what, id)
	}
	return nil
}

// viewIn runs fn in a read transaction, with the bucket named name.
func (s *Store) viewIn(name []byte, fn func(tx *bbolt.Tx, b *bbolt.Bucket) error) error {
	return s.inBucket(s.view, name, fn)
}

// updateIn runs fn in a write transaction, with the bucket named name.
func (s *Store) updateIn(name []byte, fn func(tx *bbolt.Tx, b *bbolt.Bucket) error) error {
	return s.inBucket(s.update, name, fn)
}

// inBucket runs fn in a transaction of run (s.view or s.update), with the
// bucket named name.
func (s *Store) inBucket(run func(func(*bbolt.Tx) error) error, name []byte, fn func(tx *bbolt.Tx, b *bbolt.Bucket) error) error {
	return run(func(tx *bbolt.Tx) error {
		b, err := bucket(tx, name)
		if err != nil {
			return err
		}
		return fn(tx, b)
	})
}

// updateForAccount is updateIn for a per-account record: the account id
// must be valid (ErrInvalid) and the account must exist (ErrNotFound), so
// nothing is written for an account deleted meanwhile.
func (s *Store) updateForAccount(accountID string, name []byte, fn func(b *bbolt.Bucket) error) error {
	if err := validID("account id", accountID); err != nil {
		return err
	}
	return s.updateIn(name, func(tx *bbolt.Tx, b *bbolt.Bucket) error {
		if err := s.accountExists(tx, accountID); err != nil {
			return err
		}
		return fn(b)
	})
}
