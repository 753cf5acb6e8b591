package store

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"unicode"
	"unicode/utf8"

	"go.etcd.io/bbolt"
)

// Sealer encrypts record values, binding each to its bucket and key (AEAD
// additional data). The store passes every value it writes through Seal and
// every value it reads through Unseal, so bucket names and record keys are the
// only clear bytes it adds to the file. An implementation must bind bucket and
// key unambiguously (for example length-prefixed) so that moving a value to
// another key, or another bucket, makes Unseal fail. It must be safe for
// concurrent use: the store seals big batches on all CPUs.
type Sealer interface {
	Seal(bucket, key, plaintext []byte) ([]byte, error)
	Unseal(bucket, key, sealed []byte) ([]byte, error)
}

// put seals value for (bucket, key) and writes it.
func (s *Store) put(b *bbolt.Bucket, bucket, key, value []byte) error {
	sealed, err := s.sealer.Seal(bucket, key, value)
	if err != nil {
		return fmt.Errorf("store: seal %s/%s: %w", bucket, printableKey(key), err)
	}
	if err := b.Put(key, sealed); err != nil {
		return fmt.Errorf("store: write %s/%s: %w", bucket, printableKey(key), err)
	}
	return nil
}

// putJSON encodes v as JSON, seals it and writes it.
func (s *Store) putJSON(b *bbolt.Bucket, bucket, key []byte, v any) error {
	plain, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("store: encode %s/%s: %w", bucket, printableKey(key), err)
	}
	return s.put(b, bucket, key, plain)
}

// open unseals a value read from (bucket, key). The error carries both
// ErrUnreadable and the sealer's own error, so either can be matched.
func (s *Store) open(bucket, key, sealed []byte) ([]byte, error) {
	plain, err := s.sealer.Unseal(bucket, key, sealed)
	if err != nil {
		return nil, fmt.Errorf("%w: %s/%s: %w", ErrUnreadable, bucket, printableKey(key), err)
	}
	return plain, nil
}

// openJSON unseals a value and decodes its JSON into v.
func (s *Store) openJSON(bucket, key, sealed []byte, v any) error {
	plain, err := s.open(bucket, key, sealed)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(plain, v); err != nil {
		return fmt.Errorf("%w: decode %s/%s: %w", ErrUnreadable, bucket, printableKey(key), err)
	}
	return nil
}

// missing is what a getter returns for a record that exists but cannot be
// read: noted as damage, and matching ErrNotFound as well as ErrUnreadable,
// so callers treat it as absent (the next sync writes it again: pending
// sets, balances, standing orders, a checkpoint, which then means a full
// re-sync) while those who care can tell.
func (s *Store) missing(bucket, key []byte, err error) error {
	if !errors.Is(err, ErrUnreadable) {
		return err
	}
	s.damage.note(bucket, key, err)
	return fmt.Errorf("%w (%w)", ErrNotFound, err)
}

// eachJSON calls fn with every record of b decoded into a T. A record that
// cannot be read is noted as damage and left out: one bad record must not
// hide all the others.
func eachJSON[T any](s *Store, b *bbolt.Bucket, name []byte, fn func(k []byte, v T) error) error {
	return b.ForEach(func(k, v []byte) error {
		var x T
		if err := s.openJSON(name, k, v, &x); err != nil {
			if errors.Is(err, ErrUnreadable) {
				s.damage.note(name, k, err)
				return nil
			}
			return err
		}
		return fn(k, x)
	})
}

// getJSON reads and decodes the record at key in bucket; what names it in
// the ErrNotFound message ("account \"x\"").
func (s *Store) getJSON(bucketName []byte, key string, what string, v any) error {
	return s.view(func(tx *bbolt.Tx) error {
		b, err := bucket(tx, bucketName)
		if err != nil {
			return err
		}
		sealed := b.Get([]byte(key))
		if sealed == nil {
			return fmt.Errorf("%w: %s", ErrNotFound, what)
		}
		return s.openJSON(bucketName, []byte(key), sealed, v)
	})
}

// printableKey shows a key as text when it is text, else as hex, so error
// messages stay readable and never carry raw binary.
func printableKey(key []byte) string {
	if utf8.Valid(key) {
		printable := true
		for _, r := range string(key) {
			if !unicode.IsPrint(r) {
				printable = false
				break
			}
		}
		if printable {
			return string(key)
		}
	}
	return "0x" + hex.EncodeToString(key)
}
