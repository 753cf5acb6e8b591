package store

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"slices"
	"time"

	"go.etcd.io/bbolt"

	"bankdesk/backend/bankday"
)

// sealedKV is a record copied out of a read transaction, to be unsealed
// after it ends.
type sealedKV struct{ key, value []byte }

// Transactions calls fn for each booked transaction of the account
// (removed ones included: see Transaction.Counts) whose booking day (the
// bank's day, Transaction.Day) lies between from and to, both inclusive,
// in ascending booking order. A zero from or to leaves that end open. An
// error from fn stops the walk and is returned as is.
//
// The walk is not one snapshot: it reads a month per read transaction
// (short ones, and fn may write to the store: a callback that wrote while
// a read transaction was open in the same goroutine could deadlock when
// bbolt remaps the file), so a concurrent write that moves a transaction
// may make it appear twice or not at all.
func (s *Store) Transactions(accountID string, from, to bankday.Day, fn func(Transaction) error) error {
	fn, err := s.withUser(accountID, fn)
	if err != nil {
		return err
	}
	var lo, hi time.Time
	if !from.IsZero() {
		lo = from.UTC()
	}
	if !to.IsZero() {
		hi = to.AddDays(1).UTC()
	}
	first, last := monthsAround(lo, hi)
	months, err := s.months(accountID)
	if errors.Is(err, errNoIndex) {
		return s.transactionsByScan(accountID, from, to, fn)
	}
	if err != nil {
		return err
	}
	edges := !from.IsZero() || !to.IsZero()
	for _, mc := range months {
		if mc.m < first || mc.m > last {
			continue
		}
		// The month's records in booking order, by its index (one
		// cursor walk, no sort); by a scan of its cluster, sorted, when
		// the index cannot be read.
		var sealed []sealedKV
		sorted := true
		err := s.viewIn(bucketTransactions, func(tx *bbolt.Tx, b *bbolt.Bucket) error {
			count, pairs, err := s.readMonthSlots(tx, accountID, mc.m)
			if err == nil {
				keys := make([][]byte, 0, count)
				for i := range count {
					if sl := pairAt(pairs, i); (lo.IsZero() || sl.at >= lo.UnixNano()-int64(maxZoneOffset)) && (hi.IsZero() || sl.at < hi.UnixNano()+int64(maxZoneOffset)) {
						keys = append(keys, s.keys.tx(accountID, sl.at, sl.id))
					}
				}
				sealed = fetchSorted(b, keys)
				return nil
			}
			if !errors.Is(err, errNoIndex) {
				return err
			}
			sorted = false
			prefix := s.keys.cluster(accountID, mc.m)
			c := b.Cursor()
			for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
				if id, _ := recordID(k); id != 0 { // 0: the month's index
					sealed = append(sealed, sealedKV{clone(k), clone(v)})
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		txs, err := s.decodeAll(sealed, accountID)
		if err != nil {
			return err
		}
		if !sorted {
			txs = slices.DeleteFunc(txs, func(t Transaction) bool {
				return t.AccountID != accountID || monthOf(t.BookedAt.UnixNano()) != mc.m // another cluster's prefix: 2⁻⁶⁴
			})
			sortTransactions(txs)
		}
		for _, t := range txs {
			if edges && !t.Day().Within(from, to) {
				continue // near the range's ends, a bank day is not a UTC day
			}
			if err := fn(t); err != nil {
				return err
			}
		}
	}
	return nil
}

// sortTransactions puts txs in booking order (then dedupe key). It sorts
// positions, not the structs: moving a Transaction copies 300 bytes.
func sortTransactions(txs []Transaction) {
	order := make([]int32, len(txs))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		if c := txs[a].BookedAt.Compare(txs[b].BookedAt); c != 0 {
			return c
		}
		return cmp.Compare(txs[a].Key, txs[b].Key)
	})
	sorted := make([]Transaction, len(txs))
	for i, j := range order {
		sorted[i] = txs[j]
	}
	copy(txs, sorted)
}

// transactionsByScan is Transactions without the account's index (it
// cannot be read until the next write rebuilds it): every record of the
// file is read.
func (s *Store) transactionsByScan(accountID string, from, to bankday.Day, fn func(Transaction) error) error {
	var txs []Transaction
	err := s.view(func(tx *bbolt.Tx) error {
		b, err := bucket(tx, bucketTransactions)
		if err != nil {
			return err
		}
		return s.scanRecords(b, nil, func(_ []byte, t Transaction) error {
			if t.AccountID == accountID && t.Day().Within(from, to) {
				txs = append(txs, t)
			}
			return nil
		})
	})
	if err != nil {
		return err
	}
	sortTransactions(txs)
	for _, t := range txs {
		if err := fn(t); err != nil {
			return err
		}
	}
	return nil
}

// scanCluster calls fn with each readable transaction of the account
// stored for month m, in key order (no order of time). Unreadable ones are
// noted and skipped.
func (s *Store) scanCluster(b *bbolt.Bucket, accountID string, m month, fn func(key []byte, t Transaction) error) error {
	return s.scanRecords(b, s.keys.cluster(accountID, m), func(key []byte, t Transaction) error {
		if t.AccountID != accountID || monthOf(t.BookedAt.UnixNano()) != m {
			return nil // another cluster's prefix: 2⁻⁶⁴, but cheap to rule out
		}
		return fn(key, t)
	})
}

// scanRecords calls fn with each readable transaction whose key starts
// with prefix (nil: all).
func (s *Store) scanRecords(b *bbolt.Bucket, prefix []byte, fn func(key []byte, t Transaction) error) error {
	c := b.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if id, _ := recordID(k); id == 0 {
			continue // a month's index
		}
		t, err := s.decodeSealedTransaction(k, v)
		if err != nil {
			if s.skipDamaged(k, err) {
				continue
			}
			return err
		}
		if err := fn(k, t); err != nil {
			return err
		}
	}
	return nil
}

// months reads the account's directory in a read transaction.
func (s *Store) months(accountID string) ([]monthCount, error) {
	var ms []monthCount
	err := s.view(func(tx *bbolt.Tx) error {
		var err error
		ms, err = s.readDir(tx, accountID)
		return err
	})
	return ms, err
}

// NewestTransactions returns up to n booked transactions of the account,
// newest first. It reads the month indexes from the newest back and only
// the n records it returns, whatever the account's size.
func (s *Store) NewestTransactions(accountID string, n int) ([]Transaction, error) {
	if n <= 0 {
		return nil, nil
	}
	var sealed []sealedKV
	scan := false
	err := s.viewIn(bucketTransactions, func(tx *bbolt.Tx, b *bbolt.Bucket) error {
		dir, err := s.readDir(tx, accountID)
		if err != nil {
			return err
		}
		for i := len(dir) - 1; i >= 0 && len(sealed) < n; i-- {
			count, pairs, err := s.readMonthSlots(tx, accountID, dir[i].m)
			if err != nil {
				return err
			}
			var want [][]byte // newest first
			for j := count - 1; j >= 0 && len(sealed)+len(want) < n; j-- {
				sl := pairAt(pairs, j)
				want = append(want, s.keys.tx(accountID, sl.at, sl.id))
			}
			sealed = append(sealed, fetchSorted(b, want)...)
		}
		return nil
	})
	if errors.Is(err, errNoIndex) {
		err, scan = nil, true
	}
	if err != nil {
		return nil, err
	}
	if scan {
		var all []Transaction
		err := s.transactionsByScan(accountID, 0, 0, func(t Transaction) error {
			all = append(all, t)
			return nil
		})
		slices.Reverse(all)
		return all[:min(n, len(all))], err // Transactions attached their fields
	}
	txs, err := s.decodeAll(sealed, accountID)
	if err != nil {
		return nil, err
	}
	return txs, s.attachAll(accountID, txs)
}

// decodeAll unseals and decodes records copied out of a read transaction,
// on all CPUs for a large batch, keeping their order and leaving out (and
// noting) those that cannot be read.
func (s *Store) decodeAll(sealed []sealedKV, account string) ([]Transaction, error) {
	txs := make([]Transaction, len(sealed))
	bad := make([]bool, len(sealed))
	err := parallel(len(sealed), func(i int) error {
		t, err := s.decodeSealedOf(sealed[i].key, sealed[i].value, account)
		if err != nil {
			if !s.skipDamaged(sealed[i].key, err) {
				return err
			}
			bad[i] = true
		}
		txs[i] = t
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := txs[:0]
	for i := range txs {
		if !bad[i] {
			out = append(out, txs[i])
		}
	}
	return out, nil
}

// fetchSorted reads the records under keys (all of one cluster) in the
// order given, skipping any not there. One cursor walks the cluster in
// key order: cheaper than a Get per key, each of which searches from the
// root.
func fetchSorted(b *bbolt.Bucket, keys [][]byte) []sealedKV {
	if len(keys) == 0 {
		return nil
	}
	order := make([]int, len(keys))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(x, y int) int { return bytes.Compare(keys[x], keys[y]) })
	got := make([][]byte, len(keys))
	c := b.Cursor()
	i := 0
	for k, v := c.Seek(keys[order[0]]); k != nil && i < len(order); {
		switch bytes.Compare(k, keys[order[i]]) {
		case 0:
			got[order[i]] = clone(v)
			i++
			k, v = c.Next()
		case -1:
			k, v = c.Next()
		default:
			i++ // not stored
		}
	}
	out := make([]sealedKV, 0, len(keys))
	for j, v := range got {
		if v != nil {
			out = append(out, sealedKV{keys[j], v})
		}
	}
	return out
}

// Transaction returns one booked transaction by its dedupe key, or
// ErrNotFound.
func (s *Store) Transaction(accountID, key string) (Transaction, error) {
	var kv sealedKV
	s.index.mu.Lock()
	err := s.viewIn(bucketTransactions, func(tx *bbolt.Tx, primary *bbolt.Bucket) error {
		index, err := s.index.load(s, tx, accountID)
		if err != nil {
			return err
		}
		sl, ok := index.at[key]
		if !ok {
			return fmt.Errorf("%w: transaction %q of account %q", ErrNotFound, key, accountID)
		}
		kv.key = s.keys.tx(accountID, sl.at, sl.id)
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
	t, err := s.decodeSealedTransaction(kv.key, kv.value)
	if err != nil {
		return Transaction{}, err
	}
	txs := []Transaction{t}
	if err := s.attachAll(accountID, txs); err != nil {
		return Transaction{}, err
	}
	return txs[0], nil
}

// CountTransactions counts the account's booked transactions, from its
// directory.
func (s *Store) CountTransactions(accountID string) (int, error) {
	months, err := s.months(accountID)
	if errors.Is(err, errNoIndex) {
		n := 0
		err = s.transactionsByScan(accountID, 0, 0, func(Transaction) error { n++; return nil })
		return n, err
	}
	n := 0
	for _, mc := range months {
		n += mc.count
	}
	return n, err
}

// NewestBookedAt is the booking time of the account's newest booked
// transaction; false when it has none. It reads its last month's index.
func (s *Store) NewestBookedAt(accountID string) (time.Time, bool, error) {
	return s.edgeBookedAt(accountID, true)
}

// OldestBookedAt is the booking time of the account's oldest booked
// transaction; false when it has none. It reads its first month's index.
func (s *Store) OldestBookedAt(accountID string) (time.Time, bool, error) {
	return s.edgeBookedAt(accountID, false)
}

func (s *Store) edgeBookedAt(accountID string, newest bool) (time.Time, bool, error) {
	var at int64
	var found bool
	err := s.view(func(tx *bbolt.Tx) error {
		dir, err := s.readDir(tx, accountID)
		if err != nil || len(dir) == 0 {
			return err
		}
		m := dir[0].m
		if newest {
			m = dir[len(dir)-1].m
		}
		count, pairs, err := s.readMonthSlots(tx, accountID, m)
		if err != nil || count == 0 {
			return err
		}
		at, found = pairAt(pairs, 0).at, true
		if newest {
			at = pairAt(pairs, count-1).at
		}
		return nil
	})
	if errors.Is(err, errNoIndex) {
		var edge Transaction
		err = s.transactionsByScan(accountID, 0, 0, func(t Transaction) error {
			if !found || newest {
				edge, found = t, true
			}
			return nil
		})
		return edge.BookedAt.UTC(), found, err
	}
	return time.Unix(0, at).UTC(), found, err
}

func (s *Store) decodeSealedTransaction(key, sealed []byte) (Transaction, error) {
	return s.decodeSealedOf(key, sealed, "")
}

// decodeSealedOf is decodeSealedTransaction for a record expected to be
// account's (decodeTxOf).
func (s *Store) decodeSealedOf(key, sealed []byte, account string) (Transaction, error) {
	_, plain, err := s.record(bucketTransactions, key, sealed)
	if err != nil {
		return Transaction{}, err
	}
	t, err := decodeTxOf(plain, account)
	if err != nil {
		return Transaction{}, fmt.Errorf("%w: %s/%s: %w", ErrUnreadable, bucketTransactions, printableKey(key), err)
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
