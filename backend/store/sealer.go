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

// Two layers. The physical one seals and opens the bytes stored under a
// bbolt key (seal, open). The record one names records as the code does
// (an account id, a setting's name) and stores each under its keyed hash,
// in an envelope that carries the name and pads the size (keys.go): put,
// get, del, each. Before schema 5 (a file the migrations are still
// upgrading) the record layer is the physical one, names in clear.

// seal seals plaintext for (bucket, key).
func (s *Store) seal(bucket, key, plaintext []byte) ([]byte, error) {
	sealed, err := s.sealer.Seal(s.aad(bucket), key, plaintext)
	if err != nil {
		return nil, fmt.Errorf("store: seal %s/%s: %w", bucket, printableKey(key), err)
	}
	return sealed, nil
}

// open unseals a value read from (bucket, key). The error carries both
// ErrUnreadable and the sealer's own error, so either can be matched.
func (s *Store) open(bucket, key, sealed []byte) ([]byte, error) {
	plain, err := s.sealer.Unseal(s.aad(bucket), key, sealed)
	if err != nil {
		return nil, fmt.Errorf("%w: %s/%s: %w", ErrUnreadable, bucket, printableKey(key), err)
	}
	return plain, nil
}

// key is where the record named logical lives in bucket.
func (s *Store) key(bucket, logical []byte) []byte {
	if s.keys == nil {
		return logical
	}
	return s.keys.record(bucket, logical)
}

// put stores payload as the record named logical.
func (s *Store) put(b *bbolt.Bucket, bucket, logical, payload []byte) error {
	key, plain := s.key(bucket, logical), payload
	if s.keys != nil {
		plain = envelope(logical, payload)
	}
	sealed, err := s.seal(bucket, key, plain)
	if err != nil {
		return err
	}
	if err := b.Put(key, sealed); err != nil {
		return fmt.Errorf("store: write %s/%s: %w", bucket, printableKey(logical), err)
	}
	return nil
}

// putJSON stores v, as JSON, as the record named logical.
func (s *Store) putJSON(b *bbolt.Bucket, bucket, logical []byte, v any) error {
	plain, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("store: encode %s/%s: %w", bucket, printableKey(logical), err)
	}
	return s.put(b, bucket, logical, plain)
}

// record opens the value stored under key and returns the record's name
// and payload.
func (s *Store) record(bucket, key, sealed []byte) (logical, payload []byte, err error) {
	plain, err := s.open(bucket, key, sealed)
	if err != nil {
		return nil, nil, err
	}
	if s.keys == nil {
		return key, plain, nil
	}
	logical, payload, err = unwrap(plain)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %s/%s: %w", ErrUnreadable, bucket, printableKey(key), err)
	}
	return logical, payload, nil
}

// get reads the record named logical; found is false when there is none.
func (s *Store) get(b *bbolt.Bucket, bucket, logical []byte) (payload []byte, found bool, err error) {
	key := s.key(bucket, logical)
	sealed := b.Get(key)
	if sealed == nil {
		return nil, false, nil
	}
	_, payload, err = s.record(bucket, key, sealed)
	if err != nil {
		// Name the record as the code knows it.
		return nil, true, fmt.Errorf("%w (%s/%s)", err, bucket, printableKey(logical))
	}
	return payload, true, nil
}

// getJSONIn decodes the record named logical into v; found as get's.
func (s *Store) getJSONIn(b *bbolt.Bucket, bucket, logical []byte, v any) (found bool, err error) {
	payload, found, err := s.get(b, bucket, logical)
	if err != nil || !found {
		return found, err
	}
	if err := json.Unmarshal(payload, v); err != nil {
		return true, fmt.Errorf("%w: decode %s/%s: %w", ErrUnreadable, bucket, printableKey(logical), err)
	}
	return true, nil
}

// del deletes the record named logical (none is not an error).
func (s *Store) del(b *bbolt.Bucket, bucket, logical []byte) error {
	if err := b.Delete(s.key(bucket, logical)); err != nil {
		return fmt.Errorf("store: delete %s/%s: %w", bucket, printableKey(logical), err)
	}
	return nil
}

// each calls fn with every record of b. A record that cannot be read is
// noted as damage and left out: one bad record must not hide the others.
func (s *Store) each(b *bbolt.Bucket, bucket []byte, fn func(logical, payload []byte) error) error {
	return b.ForEach(func(k, v []byte) error {
		logical, payload, err := s.record(bucket, k, v)
		if err != nil {
			if errors.Is(err, ErrUnreadable) {
				s.damage.note(bucket, k, err)
				return nil
			}
			return err
		}
		return fn(logical, payload)
	})
}

// listJSON is every readable record of the bucket name, decoded into Ts.
func listJSON[T any](s *Store, name []byte) ([]T, error) {
	var out []T
	err := s.viewIn(name, func(_ *bbolt.Tx, b *bbolt.Bucket) error {
		return eachJSON(s, b, name, func(_ []byte, v T) error {
			out = append(out, v)
			return nil
		})
	})
	return out, err
}

// eachJSON is each with every payload decoded into a T.
func eachJSON[T any](s *Store, b *bbolt.Bucket, bucket []byte, fn func(logical []byte, v T) error) error {
	return s.each(b, bucket, func(logical, payload []byte) error {
		var x T
		if err := json.Unmarshal(payload, &x); err != nil {
			s.noteRecord(bucket, logical, fmt.Errorf("%w: decode %s/%s: %w", ErrUnreadable, bucket, printableKey(logical), err))
			return nil
		}
		return fn(logical, x)
	})
}

// missing is what a getter returns for a record that exists but cannot be
// read: noted as damage, and matching ErrNotFound as well as ErrUnreadable,
// so callers treat it as absent (the next sync writes it again: pending
// sets, balances, standing orders, a checkpoint, which then means a full
// re-sync) while those who care can tell.
func (s *Store) missing(bucket, logical []byte, err error) error {
	if !errors.Is(err, ErrUnreadable) {
		return err
	}
	s.noteRecord(bucket, logical, err)
	return fmt.Errorf("%w (%w)", ErrNotFound, err)
}

// noteRecord notes the record named logical as damaged, by its key (as a
// walk that cannot read its name notes it).
func (s *Store) noteRecord(bucket, logical []byte, err error) {
	s.damage.note(bucket, s.key(bucket, logical), err)
}

// getJSON reads and decodes the record named key in bucket; what names it
// in the ErrNotFound message ("account \"x\"").
func (s *Store) getJSON(bucketName []byte, key string, what string, v any) error {
	return s.viewIn(bucketName, func(_ *bbolt.Tx, b *bbolt.Bucket) error {
		found, err := s.getJSONIn(b, bucketName, []byte(key), v)
		if err == nil && !found {
			return fmt.Errorf("%w: %s", ErrNotFound, what)
		}
		return err
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

// openJSON opens the value stored under key and decodes its payload into v.
func (s *Store) openJSON(bucket, key, sealed []byte, v any) error {
	_, payload, err := s.record(bucket, key, sealed)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(payload, v); err != nil {
		return fmt.Errorf("%w: decode %s/%s: %w", ErrUnreadable, bucket, printableKey(key), err)
	}
	return nil
}
