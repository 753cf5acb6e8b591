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

// maxPerUpdate bounds one bbolt write transaction: bbolt keeps every dirty
// page in memory until commit, and its docs advise chunking big imports.
var maxPerUpdate = 20_000

// sameIDDays is how far apart two bookings with one id may lie and still be
// one transaction whose date the bank corrected. Further apart, or in the
// other direction, the bank has reused the id for another transaction.
const sameIDDays = 7

// missingToRemove is how many consecutive full re-reads of a day must
// leave a stored booking out before it counts as removed: one answer
// without it could be a bank's hiccup, two in a row are the bank's word.
const missingToRemove = 2

// Window is a range of whole bank days, both ends included, for which the
// bank answered with every booked transaction it holds.
type Window struct{ From, To bankday.Day }

func (w Window) valid() bool { return !w.From.IsZero() && !w.To.IsZero() && w.From <= w.To }

// PutResult counts what a write changed.
type PutResult struct {
	Added   int // new to the store
	Updated int // known, with changed content (a removed one returning included)
	Removed int // stored bookings the bank no longer returns (PutWindow), now TxRemoved
}

// PutTransactions stores booked transactions of one account, deduplicating
// on Key (DedupeKey when empty) through the dedupe index (txindex.go):
//
//   - a key not seen before is added;
//   - a known key whose content or booking time changed is updated in place
//     (moved, when the booking time changed), never duplicated;
//   - a known key with identical content is left untouched and not counted.
//     A changed TransactionID alone is refreshed but not counted as an
//     update, since it changes on every request.
//
// An id key ("n:", "p:") matches a stored transaction with that id only if
// it is booked at most sameIDDays from it and in the same direction;
// otherwise the bank reused the id, and the transaction is stored beside
// the other under a variant key (see DedupeKey). The same holds within one
// call: two transactions with one id are two transactions.
//
// Status defaults to TxBooked. The account must exist (ErrNotFound). Every
// input is validated before anything is written; then each run of up to
// 20,000 transactions is one atomic bbolt Update, so a failure part-way
// through a huge call keeps the runs already committed (and the counts
// returned say so). Retrying is safe: dedupe makes it idempotent.
func (s *Store) PutTransactions(accountID string, txs []Transaction) (added, updated int, err error) {
	r, err := s.putTransactions(accountID, txs, Window{}, nil)
	return r.Added, r.Updated, err
}

// PutTransactionsAndCheckpoint is PutTransactions and PutCheckpoint in one
// write. (A batch of more than 20,000 transactions commits its first runs
// before; the checkpoint goes with the last.)
func (s *Store) PutTransactionsAndCheckpoint(accountID string, txs []Transaction, checkpoint []byte) (added, updated int, err error) {
	r, err := s.putTransactions(accountID, txs, Window{}, checkpoint)
	return r.Added, r.Updated, err
}

// PutWindow stores what the bank answered for the whole days of served, as
// PutTransactions does, and then looks at the bookings stored for those
// days that the answer left out: each one's Missing count goes up, and at
// missingToRemove in a row it becomes TxRemoved (kept, never deleted). A
// booking the bank returns again is booked again, its count reset. A
// non-nil checkpoint is stored in the same commit, so a sync's progress
// never runs ahead of its data.
//
// Only pass days the bank served in full: a day cut short by a window's
// edge would make its bookings look removed.
func (s *Store) PutWindow(accountID string, served Window, txs []Transaction, checkpoint []byte) (PutResult, error) {
	if !served.valid() {
		return PutResult{}, fmt.Errorf("%w: window %s..%s", ErrInvalid, served.From, served.To)
	}
	return s.putTransactions(accountID, txs, served, checkpoint)
}

// putTransactions stores txs in runs of maxPerUpdate; the last run also
// marks what served lacks (when set) and writes checkpoint (when non-nil).
func (s *Store) putTransactions(accountID string, txs []Transaction, served Window, checkpoint []byte) (PutResult, error) {
	batch, err := prepareBatch(accountID, txs, TxBooked, false)
	if err != nil {
		return PutResult{}, err
	}
	var total PutResult
	c := &claims{matched: make(map[string]bool, len(batch))}
	for start := 0; start < len(batch) || start == 0; start += maxPerUpdate {
		chunk := batch[start:min(start+maxPerUpdate, len(batch))]
		last := start+maxPerUpdate >= len(batch)
		var then func(*txWriter) error
		if last {
			then = func(w *txWriter) error {
				if served.valid() {
					if err := w.markMissing(served); err != nil {
						return err
					}
				}
				if checkpoint != nil {
					b, err := bucket(w.tx, bucketCheckpoints)
					if err != nil {
						return err
					}
					return s.put(b, bucketCheckpoints, []byte(accountID), checkpoint)
				}
				return nil
			}
		}
		r, err := s.putChunk(accountID, chunk, c, then)
		total.Added += r.Added
		total.Updated += r.Updated
		total.Removed += r.Removed
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

func (s *Store) putChunk(accountID string, chunk []Transaction, c *claims, then func(*txWriter) error) (PutResult, error) {
	if len(chunk) == 0 && then == nil {
		return PutResult{}, nil
	}
	ready, err := s.sealAll(accountID, chunk)
	if err != nil {
		return PutResult{}, err
	}
	s.index.mu.Lock()
	defer s.index.mu.Unlock()
	var w *txWriter
	err = s.update(func(tx *bbolt.Tx) error {
		if err := accountExists(tx, accountID); err != nil {
			return err
		}
		if w, err = s.newTxWriter(tx, accountID); err != nil {
			return err
		}
		w.claims = c
		for _, p := range ready {
			change, err := w.put(p)
			if err != nil {
				return err
			}
			switch change {
			case changeAdded:
				w.result.Added++
			case changeUpdated:
				w.result.Updated++
			}
		}
		if then != nil {
			return then(w)
		}
		return nil
	})
	if err != nil {
		return PutResult{}, err
	}
	w.index.commit()
	c.earlier = append(c.earlier, w.index.changes)
	for _, k := range w.healing {
		s.damage.healed(bucketTransactions, k)
	}
	return w.result, nil
}

// claims are the dedupe keys one call has written or matched, so two of
// its transactions never land on one key, and what it did not claim of a
// served window is missing. Written keys are the runs' index changes
// (earlier runs', then the running one's): only keys matched unchanged
// need a set of their own, which keeps a new transaction's cost at what
// the index spends anyway. A run that fails ends the call, so nothing
// needs undoing.
type claims struct {
	matched map[string]bool
	earlier []map[string]uint64 // the committed runs' index changes
}

// claimed reports whether w's call wrote or matched dedupe key k.
func (w *txWriter) claimed(k string) bool {
	if w.claims.matched[k] {
		return true
	}
	if _, ok := w.index.changes[k]; ok {
		return true
	}
	for _, m := range w.claims.earlier {
		if _, ok := m[k]; ok {
			return true
		}
	}
	return false
}

type change int

const (
	changeNone change = iota
	changeAdded
	changeUpdated
)

// txWriter writes one account's transactions inside one Update.
type txWriter struct {
	s         *Store
	tx        *bbolt.Tx
	accountID string
	primary   *bbolt.Bucket
	index     stagedIndex // applied to s.index once the Update commits
	claims    *claims
	result    PutResult
	// healing are unreadable records this Update replaced with what the
	// bank sent again: healed once it commits.
	healing [][]byte
}

func (s *Store) newTxWriter(tx *bbolt.Tx, accountID string) (*txWriter, error) {
	primary, err := bucket(tx, bucketTransactions)
	if err != nil {
		return nil, err
	}
	live, err := s.index.load(tx, accountID)
	if err != nil {
		return nil, err
	}
	// Transactions arrive mostly in booking order, i.e. appended at the end
	// of their account's range: fuller pages mean a smaller file and fewer
	// bytes to write. (bbolt does not persist FillPercent; it is per Update.)
	primary.FillPercent = 0.9
	return &txWriter{s: s, tx: tx, accountID: accountID, primary: primary, index: stagedIndex{live: live}, claims: &claims{matched: map[string]bool{}}}, nil
}

// stored is a transaction as it is in the file.
type stored struct {
	dedupe string
	key    []byte    // primary key
	at     time.Time // booking time, from the key
	plain  []byte    // nil when the record cannot be read
}

// get reads the stored transaction under dedupe key k; nil when the index
// points nowhere (which should not happen, and put heals).
func (w *txWriter) get(k string) (*stored, error) {
	at, ok := w.index.get(k)
	if !ok {
		return nil, nil
	}
	bookedAt := parseTime(binary.BigEndian.AppendUint64(nil, at))
	key := primaryKey(w.accountID, bookedAt, k)
	sealed := w.primary.Get(key)
	if sealed == nil {
		return nil, nil
	}
	plain, err := w.s.open(bucketTransactions, key, sealed)
	if err != nil {
		if !errors.Is(err, ErrUnreadable) {
			return nil, err
		}
		// Unreadable: what the bank sends under this key now takes its
		// place (see match).
		w.s.damage.note(bucketTransactions, key, err)
		plain = nil
	}
	return &stored{dedupe: k, key: key, at: bookedAt, plain: plain}, nil
}

// match finds the stored transaction p is, if any. A content-hash key
// matches exactly. An id key matches, among the stored transactions with
// that id (the key and its variants) not yet claimed in this call, the
// closest in booking day that is in the same direction and at most
// sameIDDays away.
//
// An unreadable stored record matches only when nothing readable does: the
// transaction the bank sends again under its key is the likeliest to be
// it, and writing it in its place is the repair.
func (w *txWriter) match(p *sealedTx) (*stored, error) {
	if !isIDKey(p.t.Key) {
		return w.get(p.t.Key)
	}
	base := p.t.Key
	candidates := w.index.variants(base)
	if _, ok := w.index.get(base); ok {
		candidates = append([]string{base}, candidates...)
	}
	if len(candidates) == 0 {
		return nil, nil // the common case: an id never seen
	}
	var best, unreadable *stored
	bestDays := sameIDDays + 1
	day := p.t.Day()
	for _, k := range candidates {
		if w.claimed(k) {
			continue
		}
		st, err := w.get(k)
		if err != nil || st == nil {
			if err != nil {
				return nil, err
			}
			continue
		}
		if st.plain == nil {
			if unreadable == nil {
				unreadable = st
			}
			continue
		}
		typ, offset, err := peekTypeAndOffset(st.plain)
		if err != nil {
			w.s.damage.note(bucketTransactions, st.key, fmt.Errorf("%w: %w", ErrUnreadable, err))
			continue
		}
		if string(typ) != p.t.Type {
			continue
		}
		d := bankday.Of(st.at.In(fixedZone(offset))).Sub(day)
		if d < 0 {
			d = -d
		}
		if d < bestDays {
			best, bestDays = st, d
		}
	}
	if best == nil {
		return unreadable, nil
	}
	return best, nil
}

// freeKey is the key for a transaction with id key base that matched
// none stored: base itself if unused, else the first free variant key.
func (w *txWriter) freeKey(base string, day bankday.Day) string {
	taken := func(k string) bool {
		_, ok := w.index.get(k)
		return ok // written ones are in the index too
	}
	if !taken(base) {
		return base
	}
	for n := 1; ; n++ {
		if k := variantKey(base, day, n); !taken(k) {
			return k
		}
	}
}

// rekey gives p another dedupe key, sealing it again: the key is part of
// the sealed record's additional data.
func (w *txWriter) rekey(p *sealedTx, dedupe string) error {
	p.t.Key = dedupe
	p.key = primaryKey(p.t.AccountID, p.t.BookedAt, dedupe)
	sealed, err := w.s.sealer.Seal(bucketTransactions, p.key, p.plain)
	if err != nil {
		return fmt.Errorf("store: seal %s/%s: %w", bucketTransactions, printableKey(p.key), err)
	}
	p.sealed = sealed
	return nil
}

func (w *txWriter) put(p *sealedTx) (change, error) {
	old, err := w.match(p)
	if err != nil {
		return 0, err
	}
	dedupe := p.t.Key
	switch {
	case old != nil:
		dedupe = old.dedupe
	case isIDKey(dedupe):
		dedupe = w.freeKey(dedupe, p.t.Day())
	}
	if dedupe != p.t.Key {
		if err := w.rekey(p, dedupe); err != nil {
			return 0, err
		}
	}
	if old == nil {
		return changeAdded, w.write(p)
	}
	w.claims.matched[dedupe] = true
	if old.plain == nil {
		// In place of a record that could not be read: back in view.
		w.healing = append(w.healing, old.key)
		if !bytes.Equal(old.key, p.key) {
			if err := w.primary.Delete(old.key); err != nil {
				return 0, fmt.Errorf("store: delete %s/%s: %w", bucketTransactions, printableKey(old.key), err)
			}
		}
		return changeAdded, w.write(p)
	}
	if bytes.Equal(old.key, p.key) {
		if bytes.Equal(old.plain, p.plain) {
			return changeNone, nil
		}
		if err := w.putPrimary(p); err != nil {
			return 0, err
		}
		if onlyVolatileChanged(old.plain, p.t) {
			return changeNone, nil
		}
		return changeUpdated, nil
	}
	// Booking time changed: move the record so the key order stays true.
	if err := w.primary.Delete(old.key); err != nil {
		return 0, fmt.Errorf("store: delete %s/%s: %w", bucketTransactions, printableKey(old.key), err)
	}
	return changeUpdated, w.write(p)
}

// write stores the record and notes its booking time in the index.
func (w *txWriter) write(p *sealedTx) error {
	if err := w.putPrimary(p); err != nil {
		return err
	}
	w.index.set(p.t.Key, binary.BigEndian.Uint64(appendTime(nil, p.t.BookedAt)))
	return nil
}

func (w *txWriter) putPrimary(p *sealedTx) error {
	if err := w.primary.Put(p.key, p.sealed); err != nil {
		return fmt.Errorf("store: write %s/%s: %w", bucketTransactions, printableKey(p.key), err)
	}
	return nil
}

// markMissing counts a miss for every booking stored for served's days
// that this call did not claim, and marks those missed missingToRemove
// times in a row removed.
func (w *txWriter) markMissing(served Window) error {
	from, to := dayRangeKeys(w.accountID, served.From, served.To)
	var missed []Transaction
	c := w.primary.Cursor()
	for k, v := c.Seek(from); k != nil && bytes.Compare(k, to) < 0; k, v = c.Next() {
		_, _, dedupe, err := parsePrimaryKey(k)
		if err != nil || w.claimed(dedupe) {
			continue // a malformed key is reported by the reads
		}
		plain, err := w.s.open(bucketTransactions, k, v)
		if err != nil {
			if errors.Is(err, ErrUnreadable) {
				w.s.damage.note(bucketTransactions, k, err)
				continue
			}
			return err
		}
		t, err := decodeTransaction(k, plain)
		if err != nil {
			w.s.damage.note(bucketTransactions, k, fmt.Errorf("%w: %w", ErrUnreadable, err))
			continue
		}
		if t.Status == TxRemoved || !t.Day().Within(served.From, served.To) {
			continue
		}
		missed = append(missed, t)
	}
	// Written after the walk: a bbolt cursor is not to be used across
	// writes to its bucket.
	for _, t := range missed {
		t.Missing++
		if t.Missing >= missingToRemove {
			t.Status = TxRemoved
			w.result.Removed++
		}
		plain, err := encodeRecord(t)
		if err != nil {
			return fmt.Errorf("store: encode transaction %q: %w", t.Key, err)
		}
		if err := w.s.put(w.primary, bucketTransactions, primaryKey(w.accountID, t.BookedAt, t.Key), plain); err != nil {
			return err
		}
	}
	return nil
}

// onlyVolatileChanged compares an old record with t ignoring what changes
// without the transaction changing: TrueLayer's per-request TransactionID,
// and the Missing count a returning booking resets.
func onlyVolatileChanged(oldPlain []byte, t Transaction) bool {
	var old Transaction
	if decodeRecord(oldPlain, &old) != nil {
		return false
	}
	old.TransactionID, old.Missing = t.TransactionID, t.Missing
	a, errA := encodeRecord(old)
	b, errB := encodeRecord(t)
	return errA == nil && errB == nil && bytes.Equal(a, b)
}

// maxZoneOffset is the widest UTC offset of any zone: a bank day's
// bookings lie within it of that day's UTC midnight.
const maxZoneOffset = 14 * time.Hour

// dayRangeKeys are the primary keys bounding every transaction of the
// account booked on a bank day from from through to, in any offset: from
// is inclusive, to exclusive. Callers still check each one's Day.
func dayRangeKeys(accountID string, from, to bankday.Day) (start, end []byte) {
	start, end = accountPrefix(accountID), accountEnd(accountID)
	if !from.IsZero() {
		if t := from.UTC().Add(-maxZoneOffset); timeFitsKey(t) {
			start = timeKey(accountID, t)
		}
	}
	if !to.IsZero() {
		if t := to.AddDays(1).UTC().Add(maxZoneOffset); timeFitsKey(t) {
			end = timeKey(accountID, t)
		}
	}
	return start, end
}
