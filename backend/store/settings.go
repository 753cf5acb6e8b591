package store

import (
	"fmt"

	"go.etcd.io/bbolt"
)

// PutSetting stores an opaque setting value. The name is a record key and so
// is in clear in the file; the value is sealed.
func (s *Store) PutSetting(name string, value []byte) error {
	if name == "" {
		return fmt.Errorf("%w: empty setting name", ErrInvalid)
	}
	return s.updateIn(bucketSettings, func(_ *bbolt.Tx, b *bbolt.Bucket) error {
		return s.put(b, bucketSettings, []byte(name), value)
	})
}

// Setting returns a setting's value, or ErrNotFound; one that cannot be
// read is noted in Damaged and is not found as well (asked for again, as
// if never saved).
func (s *Store) Setting(name string) ([]byte, error) {
	v, err := s.getSealed(bucketSettings, []byte(name), "setting")
	return v, s.missing(bucketSettings, []byte(name), err)
}

// DeleteSetting removes a setting; deleting a missing one is not an error.
func (s *Store) DeleteSetting(name string) error {
	return s.updateIn(bucketSettings, func(_ *bbolt.Tx, b *bbolt.Bucket) error {
		return s.del(b, bucketSettings, []byte(name))
	})
}

// getSealed reads one record's payload, or returns ErrNotFound naming what.
func (s *Store) getSealed(name, key []byte, what string) ([]byte, error) {
	var payload []byte
	var found bool
	err := s.viewIn(name, func(_ *bbolt.Tx, b *bbolt.Bucket) error {
		p, f, err := s.get(b, name, key)
		payload, found = clone(p), f
		return err
	})
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, fmt.Errorf("%w: %s %q", ErrNotFound, what, key)
	}
	return payload, nil
}
