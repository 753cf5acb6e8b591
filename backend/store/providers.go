package store

import (
	"fmt"
	"time"

	"go.etcd.io/bbolt"
)

var providersKey = []byte("providers")

// PutProviders caches the provider list as fetched (opaque JSON) and when.
// The list is public, but it is sealed like everything else so that nothing
// in the file is plaintext but keys.
func (s *Store) PutProviders(fetchedAt time.Time, raw []byte) error {
	if !timeFitsKey(fetchedAt) {
		return fmt.Errorf("%w: providers fetch time %s out of range", ErrInvalid, fetchedAt)
	}
	value := appendTime(make([]byte, 0, timeLen+len(raw)), fetchedAt)
	value = append(value, raw...)
	return s.updateIn(bucketProviders, func(_ *bbolt.Tx, b *bbolt.Bucket) error {
		return s.put(b, bucketProviders, providersKey, value)
	})
}

// Providers returns the cached provider list and when it was fetched, or
// ErrNotFound when nothing is cached.
func (s *Store) Providers() (raw []byte, fetchedAt time.Time, err error) {
	plain, err := s.getSealed(bucketProviders, providersKey, "cache")
	if err != nil {
		return nil, time.Time{}, s.missing(bucketProviders, providersKey, err)
	}
	if len(plain) < timeLen {
		return nil, time.Time{}, fmt.Errorf("store: providers cache is %d bytes, too short", len(plain))
	}
	return plain[timeLen:], parseTime(plain[:timeLen]), nil
}
