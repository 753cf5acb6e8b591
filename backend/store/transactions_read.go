package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"bankdesk/backend/bankday"
)

// readPage is how many transactions Transactions decodes per read
// transaction. Paging keeps bbolt read transactions short and lets fn write
// to the store: a callback that wrote while a read transaction was open in
// the same goroutine could deadlock when bbolt remaps the file.
const readPage = 1000

// sealedKV is a record copied out of a read transaction, to be unsealed
// after it ends.
type sealedKV struct{ key, value []byte }

// Transactions calls fn for each booked transaction of the account
// (removed ones included: see Transaction.Counts) whose booking day (the
// bank's day, Transaction.Day) lies between from and to, both inclusive,
// in ascending booking order. A zero from or to leaves that end open. An
// error from fn stops the walk and is returned as is.
//
// The walk is not one snapshot: it reads pages of 1000, so a concurrent
// write that moves a transaction may make it appear twice or not at all.
func (s *Store) Transactions(accountID string, from, to bankday.Day, fn func(Transaction) error) error {
	seek, end := dayRangeKeys(accountID, from, to)
	edges := !from.IsZero() || !to.IsZero()
	for {
		page, err := s.readForward(seek, end)
		if err != nil {
			return err
		}
		for _, kv := range page {
			t, err := s.decodeSealedTransaction(kv)
			if err != nil {
				if s.skipDamaged(kv.key, err) {
					continue
				}
				return err
			}
			if edges && !t.Day().Within(from, to) {
				continue // near the range's ends, a bank day is not a UTC day
			}
			if err := fn(t); err != nil {
				return err
			}
		}
		if len(page) < readPage {
			return nil
		}
		// Resume just after the last key: appending 0x00 gives the smallest
		// key greater than it.
		seek = append(page[len(page)-1].key, 0)
	}
}

// readForward copies up to readPage records with seek <= key < end.
func (s *Store) readForward(seek, end []byte) ([]sealedKV, error) {
	var page []sealedKV
	err := s.view(func(tx *bbolt.Tx) error {
		b, err := bucket(tx, bucketTransactions)
		if err != nil {
			return err
		}
		c := b.Cursor()
		for k, v := c.Seek(seek); k != nil && bytes.Compare(k, end) < 0 && len(page) < readPage; k, v = c.Next() {
			page = append(page, sealedKV{clone(k), clone(v)})
		}
		return nil
	})
	return page, err
}

// NewestTransactions returns up to n booked transactions of the account,
// newest first. It walks backwards from the end of the account's key range,
// so it reads n records whatever the account's size.
func (s *Store) NewestTransactions(accountID string, n int) ([]Transaction, error) {
	if n <= 0 {
		return nil, nil
	}
	prefix := accountPrefix(accountID)
	var sealed []sealedKV
	err := s.view(func(tx *bbolt.Tx) error {
		b, err := bucket(tx, bucketTransactions)
		if err != nil {
			return err
		}
		c := b.Cursor()
		for k, v := lastBefore(c, accountEnd(accountID)); k != nil && bytes.HasPrefix(k, prefix) && len(sealed) < n; k, v = c.Prev() {
			sealed = append(sealed, sealedKV{clone(k), clone(v)})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]Transaction, 0, len(sealed))
	for _, kv := range sealed {
		t, err := s.decodeSealedTransaction(kv)
		if err != nil {
			if s.skipDamaged(kv.key, err) {
				continue
			}
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// Transaction returns one booked transaction by its dedupe key, or
// ErrNotFound.
func (s *Store) Transaction(accountID, key string) (Transaction, error) {
	var kv sealedKV
	s.index.mu.Lock()
	err := s.view(func(tx *bbolt.Tx) error {
		primary, err := bucket(tx, bucketTransactions)
		if err != nil {
			return err
		}
		index, err := s.index.load(tx, accountID)
		if err != nil {
			return err
		}
		at, ok := index.at[key]
		if !ok {
			return fmt.Errorf("%w: transaction %q of account %q", ErrNotFound, key, accountID)
		}
		kv.key = primaryKey(accountID, parseTime(binary.BigEndian.AppendUint64(nil, at)), key)
		kv.value = clone(primary.Get(kv.key))
		if kv.value == nil {
			return fmt.Errorf("%w: transaction %q of account %q (dangling index)", ErrNotFound, key, accountID)
		}
		return nil
	})
	s.index.mu.Unlock()
	if err != nil {
		return Transaction{}, err
	}
	return s.decodeSealedTransaction(kv)
}

// CountTransactions counts the account's booked transactions. It walks keys
// only and unseals nothing.
func (s *Store) CountTransactions(accountID string) (int, error) {
	prefix := accountPrefix(accountID)
	n := 0
	err := s.view(func(tx *bbolt.Tx) error {
		b, err := bucket(tx, bucketTransactions)
		if err != nil {
			return err
		}
		c := b.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			n++
		}
		return nil
	})
	return n, err
}

// NewestBookedAt is the booking time of the account's newest booked
// transaction; false when it has none. It reads one key.
func (s *Store) NewestBookedAt(accountID string) (time.Time, bool, error) {
	return s.edgeBookedAt(accountID, func(c *bbolt.Cursor) []byte {
		k, _ := lastBefore(c, accountEnd(accountID))
		return k
	})
}

// OldestBookedAt is the booking time of the account's oldest booked
// transaction; false when it has none. It reads one key.
func (s *Store) OldestBookedAt(accountID string) (time.Time, bool, error) {
	return s.edgeBookedAt(accountID, func(c *bbolt.Cursor) []byte {
		k, _ := c.Seek(accountPrefix(accountID))
		return k
	})
}

func (s *Store) edgeBookedAt(accountID string, edge func(*bbolt.Cursor) []byte) (time.Time, bool, error) {
	prefix := accountPrefix(accountID)
	var at time.Time
	var found bool
	err := s.view(func(tx *bbolt.Tx) error {
		b, err := bucket(tx, bucketTransactions)
		if err != nil {
			return err
		}
		k := edge(b.Cursor())
		if k == nil || !bytes.HasPrefix(k, prefix) {
			return nil
		}
		at, found = keyTime(k, len(prefix))
		return nil
	})
	return at, found, err
}

// lastBefore positions c on the last key strictly before end.
func lastBefore(c *bbolt.Cursor, end []byte) ([]byte, []byte) {
	if k, _ := c.Seek(end); k == nil {
		return c.Last()
	}
	return c.Prev()
}

func (s *Store) decodeSealedTransaction(kv sealedKV) (Transaction, error) {
	plain, err := s.open(bucketTransactions, kv.key, kv.value)
	if err != nil {
		return Transaction{}, err
	}
	t, err := decodeTransaction(kv.key, plain)
	if err != nil {
		return Transaction{}, fmt.Errorf("%w: %w", ErrUnreadable, err)
	}
	return t, nil
}

// skipDamaged notes a transaction record that cannot be read and reports
// whether a walk should go on past it: one bad record must not hide the
// account's history (a sync that fetches it again overwrites it).
func (s *Store) skipDamaged(key []byte, err error) bool {
	if !errors.Is(err, ErrUnreadable) {
		return false
	}
	s.damage.note(bucketTransactions, key, err)
	return true
}
