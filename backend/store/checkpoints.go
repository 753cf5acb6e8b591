package store

import (
	"go.etcd.io/bbolt"
)

// PutCheckpoint stores the sync engine's opaque checkpoint for an account,
// which must exist (ErrNotFound). It is deleted with the account's data.
func (s *Store) PutCheckpoint(accountID string, cp []byte) error {
	return s.updateForAccount(accountID, bucketCheckpoints, func(b *bbolt.Bucket) error {
		return s.put(b, bucketCheckpoints, []byte(accountID), cp)
	})
}

// Checkpoint returns an account's checkpoint, or ErrNotFound; one that
// cannot be read is noted in Damaged and is not found as well (a sync then
// starts the account afresh).
func (s *Store) Checkpoint(accountID string) ([]byte, error) {
	cp, err := s.getSealed(bucketCheckpoints, []byte(accountID), "checkpoint of account")
	return cp, s.missing(bucketCheckpoints, []byte(accountID), err)
}
