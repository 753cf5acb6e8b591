package store

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"go.etcd.io/bbolt"
)

// The transactions of an account are stored by month (keys.go): a record's
// key is its month's cluster then the hash of its dedupe key, so the keys
// carry no order. Order lives in two sealed records per account:
//
//	txdir:         the account's months, each with its count of
//	               transactions;
//	a month index: per month, its transactions' (booking time, dedupe
//	               key, record id), in booking order, stored in the
//	               month's cluster as record id 0 (indexKey).
//
// They are rewritten for the months a write touched, in the same Update
// as the records, so they never disagree with what is committed. One that
// cannot be read is rebuilt from the records themselves (every record
// carries its account, time and key), by the next write.
//
// In memory, txIndex is the dedupe index: for each account touched, every
// dedupe key with its booking time, which is what finds a transaction
// whose booking time changed, and its record id, which with the month
// makes its key. It is built from the sealed month indexes
// the first time an account is written or looked up, then kept current by
// the writes. Only one process opens the data file at a time (its lock),
// so a per-Store index cannot go stale. Cost: about 100 bytes of memory per
// stored transaction of the accounts touched.
type txIndex struct {
	// mu is held across each write transaction that changes transactions
	// (and each lookup), so that the index always matches what is
	// committed: writes update it only after their commit succeeded.
	mu       sync.Mutex
	accounts map[string]*acctIndex
}

var bucketTxDir = []byte("txdir") // since schema 5

// month numbers a calendar month: year×12 + month−1, of the booking
// instant in UTC. (Any fixed rule works; UTC needs no zone.)
type month int32

func monthOf(at int64) month {
	y, m, _ := time.Unix(0, at).UTC().Date()
	return month(y*12 + int(m) - 1)
}

func (m month) String() string { return fmt.Sprintf("%04d-%02d", int(m)/12, int(m)%12+1) }

// monthsAround are the months that may hold a booking of a bank day from
// from through to (zero ends open: the account's own first or last
// month): the booking's UTC instant lies within maxZoneOffset of the day.
func monthsAround(from, to time.Time) (lo, hi month) {
	lo, hi = month(-1<<31), month(1<<31-1)
	if !from.IsZero() {
		lo = monthOf(from.Add(-maxZoneOffset).UnixNano())
	}
	if !to.IsZero() {
		hi = monthOf(to.Add(maxZoneOffset).UnixNano())
	}
	return lo, hi
}

// indexEntry is one transaction in a month index.
type indexEntry struct {
	at     int64 // booking instant, Unix nanoseconds
	dedupe string
	id     uint64 // record id (keys.go)
}

func compareEntries(a, b indexEntry) int {
	if c := cmp.Compare(a.at, b.at); c != 0 {
		return c
	}
	return cmp.Compare(a.dedupe, b.dedupe)
}

// monthCount is one month of an account directory.
type monthCount struct {
	m     month
	count int
}

// A month index: uvarint n, then n fixed (booking time, record id) pairs
// of 8-byte big-endian numbers, then the n dedupe keys. The fixed part
// lets a newest-first read take what it needs without the keys.
func encodeEntries(es []indexEntry) []byte {
	b := binary.AppendUvarint(make([]byte, 0, 8+len(es)*40), uint64(len(es)))
	for _, e := range es {
		b = binary.BigEndian.AppendUint64(b, uint64(e.at))
		b = binary.BigEndian.AppendUint64(b, e.id)
	}
	for _, e := range es {
		b = appendString(b, e.dedupe)
	}
	return b
}

// slotsOf reads the fixed part of a month index: n and the pairs.
func slotsOf(b []byte) (n int, pairs []byte, rest []byte, err error) {
	u, l := binary.Uvarint(b)
	if l <= 0 || u > uint64(len(b)-l)/16 {
		return 0, nil, nil, errShortRecord
	}
	n = int(u)
	return n, b[l : l+16*n], b[l+16*n:], nil
}

func pairAt(pairs []byte, i int) slot {
	return slot{int64(binary.BigEndian.Uint64(pairs[16*i:])), binary.BigEndian.Uint64(pairs[16*i+8:])}
}

func decodeEntries(b []byte) ([]indexEntry, error) {
	n, pairs, rest, err := slotsOf(b)
	if err != nil {
		return nil, err
	}
	r := &recordReader{b: rest}
	es := make([]indexEntry, n)
	for i := range es {
		sl := pairAt(pairs, i)
		es[i] = indexEntry{at: sl.at, id: sl.id, dedupe: r.string()}
	}
	if r.err != nil {
		return nil, r.err
	}
	return es, nil
}

func encodeDir(ms []monthCount) []byte {
	b := binary.AppendUvarint(nil, uint64(len(ms)))
	for _, mc := range ms {
		b = binary.AppendVarint(b, int64(mc.m))
		b = binary.AppendUvarint(b, uint64(mc.count))
	}
	return b
}

func decodeDir(b []byte) ([]monthCount, error) {
	r := &recordReader{b: b}
	n := r.uvarint()
	if r.err != nil || n > uint64(len(b)) {
		return nil, errShortRecord
	}
	ms := make([]monthCount, 0, n)
	for range n {
		mc := monthCount{m: month(r.varint()), count: int(r.uvarint())}
		if r.err != nil {
			return nil, r.err
		}
		ms = append(ms, mc)
	}
	return ms, nil
}

// errNoIndex means an account's directory or a month index could not be
// read (noted as damage): the caller falls back to the records.
var errNoIndex = errors.New("store: transaction index unreadable")

// readDir reads an account's directory: its months in order. None stored
// means no transactions.
func (s *Store) readDir(tx *bbolt.Tx, accountID string) ([]monthCount, error) {
	b, err := bucket(tx, bucketTxDir)
	if err != nil {
		return nil, err
	}
	payload, found, err := s.get(b, bucketTxDir, []byte(accountID))
	if err == nil && found {
		var ms []monthCount
		if ms, err = decodeDir(payload); err == nil {
			return ms, nil
		}
		err = fmt.Errorf("%w: decode %s/%s: %w", ErrUnreadable, bucketTxDir, accountID, err)
	}
	if err != nil {
		if !errors.Is(err, ErrUnreadable) {
			return nil, err
		}
		s.noteRecord(bucketTxDir, []byte(accountID), err)
		return nil, errNoIndex
	}
	return nil, nil
}

// indexKey is where a month's index is: record id 0 of its cluster,
// beside its records, so a write that changes a month dirties the pages
// it dirties anyway (a bucket of its own put each month index on another
// page, and made a sync's commits a fifth slower).
func (s *Store) indexKey(accountID string, m month) []byte {
	return binary.BigEndian.AppendUint64(append(make([]byte, 0, keyLen), s.keys.cluster(accountID, m)...), 0)
}

// monthIndexName is the name inside a month index's envelope, which tells
// it from a transaction (whose envelope has none) in a scan.
var monthIndexName = []byte("month index")

// readMonthPayload reads one month index's payload; errNoIndex (noted)
// when it is missing or cannot be read.
func (s *Store) readMonthPayload(tx *bbolt.Tx, accountID string, m month) ([]byte, []byte, error) {
	b, err := bucket(tx, bucketTransactions)
	if err != nil {
		return nil, nil, err
	}
	key := s.indexKey(accountID, m)
	sealed := b.Get(key)
	if sealed == nil {
		err = fmt.Errorf("%w: the index of %s of account %q is missing", ErrUnreadable, m, accountID)
	} else {
		var name, payload []byte
		name, payload, err = s.record(bucketTransactions, key, sealed)
		if err == nil && !bytes.Equal(name, monthIndexName) {
			err = fmt.Errorf("%w: %s/%s is not a month index", ErrUnreadable, bucketTransactions, printableKey(key))
		}
		if err == nil {
			return key, payload, nil
		}
	}
	if !errors.Is(err, ErrUnreadable) {
		return nil, nil, err
	}
	s.damage.note(bucketTransactions, key, err)
	return nil, nil, errNoIndex
}

// readMonthSlots reads one month index's fixed part (booking order).
func (s *Store) readMonthSlots(tx *bbolt.Tx, accountID string, m month) (n int, pairs []byte, err error) {
	key, payload, err := s.readMonthPayload(tx, accountID, m)
	if err != nil {
		return 0, nil, err
	}
	if n, pairs, _, err = slotsOf(payload); err != nil {
		s.damage.note(bucketTransactions, key, fmt.Errorf("%w: decode the index of %s: %w", ErrUnreadable, m, err))
		return 0, nil, errNoIndex
	}
	return n, pairs, nil
}

// readMonth reads one month index (entries in booking order).
func (s *Store) readMonth(tx *bbolt.Tx, accountID string, m month) ([]indexEntry, error) {
	key, payload, err := s.readMonthPayload(tx, accountID, m)
	if err != nil {
		return nil, err
	}
	es, err := decodeEntries(payload)
	if err != nil {
		s.damage.note(bucketTransactions, key, fmt.Errorf("%w: decode the index of %s: %w", ErrUnreadable, m, err))
		return nil, errNoIndex
	}
	return es, nil
}

// slot is where a transaction is: its booking instant (hence month) and
// record id.
type slot struct {
	at int64
	id uint64
}

// acctIndex is one account's part of the index.
type acctIndex struct {
	at map[string]slot // dedupe key → where
	// months holds each month's entries in booking order: what its
	// sealed month index says.
	months map[month][]indexEntry
	// variants lists, per id key ("n:…", "p:…"), the keys of the other
	// transactions that arrived with the same id (variantKey): banks reuse
	// ids, and each of those is a transaction of its own.
	variants map[string][]string
	// rebuilt says the sealed indexes could not be read and this one was
	// built from the records: the next write rewrites them all.
	rebuilt bool
}

func newAcctIndex() *acctIndex {
	return &acctIndex{at: map[string]slot{}, months: map[month][]indexEntry{}, variants: map[string][]string{}}
}

// note adds key to the lookups (not to months).
func (a *acctIndex) note(key string, sl slot) {
	if base, ok := variantBase(key); ok {
		if _, known := a.at[key]; !known {
			a.variants[base] = append(a.variants[base], key)
		}
	}
	a.at[key] = sl
}

// load returns the account's index, building it from tx when needed.
// Caller holds mu.
func (x *txIndex) load(s *Store, tx *bbolt.Tx, accountID string) (*acctIndex, error) {
	if a, ok := x.accounts[accountID]; ok {
		return a, nil
	}
	a, err := s.loadIndex(tx, accountID)
	if err != nil {
		return nil, err
	}
	if x.accounts == nil {
		x.accounts = map[string]*acctIndex{}
	}
	x.accounts[accountID] = a
	return a, nil
}

// loadIndex reads an account's sealed indexes, or rebuilds them from its
// records when one cannot be read.
func (s *Store) loadIndex(tx *bbolt.Tx, accountID string) (*acctIndex, error) {
	a := newAcctIndex()
	dir, err := s.readDir(tx, accountID)
	if err == nil {
		for _, mc := range dir {
			es, err2 := s.readMonth(tx, accountID, mc.m)
			if err2 != nil {
				err = err2
				break
			}
			for _, e := range es {
				a.note(e.dedupe, slot{e.at, e.id})
			}
			a.months[mc.m] = es
		}
	}
	if errors.Is(err, errNoIndex) {
		return s.rebuildIndex(tx, accountID)
	}
	return a, err
}

// rebuildIndex builds an account's index from its records, reading every
// transaction record of the file (their keys do not say whose they are).
func (s *Store) rebuildIndex(tx *bbolt.Tx, accountID string) (*acctIndex, error) {
	a := newAcctIndex()
	a.rebuilt = true
	b, err := bucket(tx, bucketTransactions)
	if err != nil {
		return nil, err
	}
	err = b.ForEach(func(k, v []byte) error {
		_, payload, err := s.record(bucketTransactions, k, v)
		if err != nil {
			return nil // the reads report it
		}
		h, err := peekTx(payload)
		id, ok := recordID(k)
		if err == nil && ok && id != 0 && h.accountID == accountID {
			if old, dup := a.at[h.dedupe]; dup && old.at >= h.at {
				return nil // two records of one key (a crash cannot do this; damage can): keep one
			}
			a.note(h.dedupe, slot{h.at, id})
		}
		return nil
	})
	for k, sl := range a.at {
		m := monthOf(sl.at)
		a.months[m] = append(a.months[m], indexEntry{sl.at, k, sl.id})
	}
	for _, es := range a.months {
		slices.SortFunc(es, compareEntries)
	}
	return a, err
}

// forgetAll drops every account's index; each is rebuilt when next used.
// Caller holds mu.
func (x *txIndex) forgetAll() { x.accounts = nil }

// stagedIndex collects one write transaction's index changes, applied to
// the index only once it has committed.
type stagedIndex struct {
	live    *acctIndex
	changes map[string]slot
	// added lists new variant keys per id key, in the order they were set.
	added map[string][]string
	// flushed are the month entries flush wrote, for commit.
	flushed map[month][]indexEntry
}

func (s *stagedIndex) get(key string) (slot, bool) {
	if sl, ok := s.changes[key]; ok {
		return sl, true
	}
	sl, ok := s.live.at[key]
	return sl, ok
}

// variants are the variant keys of the id key base, committed or staged.
func (s *stagedIndex) variants(base string) []string {
	live, staged := s.live.variants[base], s.added[base]
	if len(staged) == 0 {
		return live
	}
	return append(append([]string(nil), live...), staged...)
}

func (s *stagedIndex) set(key string, sl slot) {
	if s.changes == nil {
		s.changes = map[string]slot{}
	}
	if base, ok := variantBase(key); ok {
		if _, known := s.get(key); !known {
			if s.added == nil {
				s.added = map[string][]string{}
			}
			s.added[base] = append(s.added[base], key)
		}
	}
	s.changes[key] = sl
}

// commit applies what flush wrote; a write that did not flush (it failed)
// never commits.
func (s *stagedIndex) commit() {
	for k, sl := range s.changes {
		s.live.note(k, sl)
	}
	for m, es := range s.flushed {
		if len(es) == 0 {
			delete(s.live.months, m)
		} else {
			s.live.months[m] = es
		}
	}
	s.live.rebuilt = false
}

// flush writes the month indexes the staged changes touch (all of them
// when the live index was rebuilt) and the account's directory.
func (s *stagedIndex) flush(st *Store, tx *bbolt.Tx, accountID string) error {
	if len(s.changes) == 0 && !s.live.rebuilt {
		return nil
	}
	// What each touched month gains, in order, and which months lose one.
	gains := map[month][]indexEntry{}
	touched := map[month]bool{}
	for k, sl := range s.changes {
		m := monthOf(sl.at)
		gains[m] = append(gains[m], indexEntry{sl.at, k, sl.id})
		touched[m] = true
		if old, ok := s.live.at[k]; ok {
			touched[monthOf(old.at)] = true
		}
	}
	if s.live.rebuilt {
		for m := range s.live.months {
			touched[m] = true
		}
	}
	primary, err := bucket(tx, bucketTransactions)
	if err != nil {
		return err
	}
	s.flushed = make(map[month][]indexEntry, len(touched))
	for m := range touched {
		add := gains[m]
		slices.SortFunc(add, compareEntries)
		live := s.live.months[m]
		es := make([]indexEntry, 0, len(live)+len(add))
		// Merge the month's entries that did not change with what it
		// gains: both are in order.
		i := 0
		for _, e := range live {
			if _, changed := s.changes[e.dedupe]; changed {
				continue
			}
			for i < len(add) && compareEntries(add[i], e) < 0 {
				es = append(es, add[i])
				i++
			}
			es = append(es, e)
		}
		es = append(es, add[i:]...)
		s.flushed[m] = es
		if err := st.writeMonthIndex(primary, accountID, m, es); err != nil {
			return err
		}
	}
	counts := make(map[month]int, len(s.live.months))
	for m, es := range s.live.months {
		counts[m] = len(es)
	}
	for m, es := range s.flushed {
		counts[m] = len(es)
		if len(es) == 0 {
			delete(counts, m)
		}
	}
	return st.writeDir(tx, accountID, counts)
}

// writeMonthIndex stores the month index of an account's month m (deleting
// it when es is empty).
func (s *Store) writeMonthIndex(primary *bbolt.Bucket, accountID string, m month, es []indexEntry) error {
	key := s.indexKey(accountID, m)
	if len(es) == 0 {
		if err := primary.Delete(key); err != nil {
			return fmt.Errorf("store: delete the index of %s: %w", m, err)
		}
		return nil
	}
	sealed, err := s.seal(bucketTransactions, key, envelope(monthIndexName, encodeEntries(es)))
	if err != nil {
		return err
	}
	if err := primary.Put(key, sealed); err != nil {
		return fmt.Errorf("store: write the index of %s: %w", m, err)
	}
	s.damage.healed(bucketTransactions, key)
	return nil
}

// writeDir stores an account's directory (deleting it when empty).
func (s *Store) writeDir(tx *bbolt.Tx, accountID string, counts map[month]int) error {
	b, err := bucket(tx, bucketTxDir)
	if err != nil {
		return err
	}
	s.damage.healed(bucketTxDir, s.key(bucketTxDir, []byte(accountID)))
	if len(counts) == 0 {
		return s.del(b, bucketTxDir, []byte(accountID))
	}
	ms := make([]monthCount, 0, len(counts))
	for m, n := range counts {
		ms = append(ms, monthCount{m, n})
	}
	slices.SortFunc(ms, func(a, b monthCount) int { return cmp.Compare(a.m, b.m) })
	return s.put(b, bucketTxDir, []byte(accountID), encodeDir(ms))
}
