package store

import (
	"bytes"
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
	r, err := s.putTransactions(accountID, txs, Window{}, nil, nil)
	return r.Added, r.Updated, err
}

// PutTransactionsAndCheckpoint is PutTransactions and PutCheckpoint in one
// write. (A batch of more than 20,000 transactions commits its first runs
// before; the checkpoint goes with the last.)
func (s *Store) PutTransactionsAndCheckpoint(accountID string, txs []Transaction, checkpoint []byte) (added, updated int, err error) {
	r, err := s.putTransactions(accountID, txs, Window{}, checkpoint, nil)
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
	return s.putTransactions(accountID, txs, served, checkpoint, nil)
}

// putTransactions stores txs in runs of maxPerUpdate; the last run also
// marks what served lacks (when set) and writes checkpoint (when non-nil).
// With imp, it only adds (importTransactions).
func (s *Store) putTransactions(accountID string, txs []Transaction, served Window, checkpoint []byte, imp *importRun) (PutResult, error) {
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
		r, err := s.putChunk(accountID, chunk, c, then, imp)
		total.Added += r.Added
		total.Updated += r.Updated
		total.Removed += r.Removed
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

func (s *Store) putChunk(accountID string, chunk []Transaction, c *claims, then func(*txWriter) error, imp *importRun) (PutResult, error) {
	if len(chunk) == 0 && then == nil {
		return PutResult{}, nil
	}
	ready, err := encodeAll(chunk)
	if err != nil {
		return PutResult{}, err
	}
	s.index.mu.Lock()
	defer s.index.mu.Unlock()
	var w *txWriter
	err = s.update(func(tx *bbolt.Tx) error {
		if err := s.accountExists(tx, accountID); err != nil {
			return err
		}
		if w, err = s.newTxWriter(tx, accountID); err != nil {
			return err
		}
		w.claims, w.addOnly = c, imp != nil
		var added []string
		for _, p := range ready {
			change, err := w.put(p)
			if err != nil {
				return err
			}
			switch change {
			case changeAdded:
				w.result.Added++
				added = append(added, p.t.Key)
			case changeUpdated:
				w.result.Updated++
			}
		}
		if err := w.sealAndPut(); err != nil {
			return err
		}
		if imp != nil {
			if err := imp.record(tx, added); err != nil {
				return err
			}
		}
		if then != nil {
			if err := then(w); err != nil {
				return err
			}
		}
		return w.index.flush(s, tx, accountID)
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
	earlier []map[string]slot // the committed runs' index changes
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
	// addOnly is an import's write: a transaction that matches a stored
	// one is left as it is stored (what the bank said stays the bank's).
	addOnly bool
	result  PutResult
	// healing are unreadable records this Update replaced with what the
	// bank sent again: healed once it commits.
	healing [][]byte
	// queue is what is to be sealed and put (sealAndPut); ids are random
	// bytes for new record ids. Nothing reads a queued record back before
	// it is put: what this Update wrote is claimed, so match skips it.
	queue []*sealedTx
	ids   []byte
}

func (s *Store) newTxWriter(tx *bbolt.Tx, accountID string) (*txWriter, error) {
	primary, err := bucket(tx, bucketTransactions)
	if err != nil {
		return nil, err
	}
	live, err := s.index.load(s, tx, accountID)
	if err != nil {
		return nil, err
	}
	// Each write puts its records in key order, a month at a time, mostly
	// into months no record is in yet: fuller pages mean a smaller file
	// and fewer bytes to write. (bbolt does not persist FillPercent; it is
	// per Update.)
	primary.FillPercent = 0.9
	return &txWriter{
		s: s, tx: tx, accountID: accountID, primary: primary,
		index: stagedIndex{live: live}, claims: &claims{matched: map[string]bool{}},
	}, nil
}

// stored is a transaction as it is in the file.
type stored struct {
	dedupe string
	key    []byte // record key
	slot   slot
	plain  []byte // encoded record (encodeTx); nil when it cannot be read
}

// get reads the stored transaction under dedupe key k; nil when the index
// points nowhere (which should not happen, and put heals).
func (w *txWriter) get(k string) (*stored, error) {
	sl, ok := w.index.get(k)
	if !ok {
		return nil, nil
	}
	key := w.s.keys.tx(w.accountID, sl.at, sl.id)
	sealed := w.primary.Get(key)
	if sealed == nil {
		return nil, nil
	}
	_, plain, err := w.s.record(bucketTransactions, key, sealed)
	if err == nil {
		var h txHead
		if h, err = peekTx(plain); err == nil && (h.accountID != w.accountID || h.dedupe != k) {
			err = fmt.Errorf("record of %q/%q found under the key of %q/%q", h.accountID, h.dedupe, w.accountID, k)
		}
		if err != nil {
			err = fmt.Errorf("%w: %s/%s: %w", ErrUnreadable, bucketTransactions, printableKey(key), err)
		}
	}
	if err != nil {
		if !errors.Is(err, ErrUnreadable) {
			return nil, err
		}
		// Unreadable: what the bank sends under this key now takes its
		// place (see match).
		w.s.damage.note(bucketTransactions, key, err)
		plain = nil
	}
	return &stored{dedupe: k, key: key, slot: sl, plain: plain}, nil
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
		h, err := peekTx(st.plain)
		if err != nil {
			w.s.damage.note(bucketTransactions, st.key, fmt.Errorf("%w: %w", ErrUnreadable, err))
			continue
		}
		if string(h.typ) != p.t.Type {
			continue
		}
		d := h.day().Sub(day)
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

// rekey gives p another dedupe key, encoding it again: the key is in the
// record.
func (w *txWriter) rekey(p *sealedTx, dedupe string) error {
	p.t.Key = dedupe
	plain, err := encodeTx(p.t)
	if err != nil {
		return fmt.Errorf("store: encode transaction %q: %w", dedupe, err)
	}
	p.plain = plain
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
		w.write(p, slot{p.t.BookedAt.UnixNano(), w.newID()})
		return changeAdded, nil
	}
	w.claims.matched[dedupe] = true
	if w.addOnly {
		return changeNone, nil
	}
	if old.plain == nil {
		// In place of a record that could not be read: back in view.
		w.healing = append(w.healing, old.key)
		return changeAdded, w.replace(old, p)
	}
	if bytes.Equal(old.plain, p.plain) {
		return changeNone, nil
	}
	if err := w.replace(old, p); err != nil {
		return 0, err
	}
	if old.slot.at == p.t.BookedAt.UnixNano() && onlyVolatileChanged(old.plain, p.t) {
		return changeNone, nil
	}
	return changeUpdated, nil
}

// replace puts p in old's place: under another key when the booking moved
// to another month (the record id stays).
func (w *txWriter) replace(old *stored, p *sealedTx) error {
	sl := slot{p.t.BookedAt.UnixNano(), old.slot.id}
	if monthOf(sl.at) != monthOf(old.slot.at) {
		if err := w.primary.Delete(old.key); err != nil {
			return fmt.Errorf("store: delete %s/%s: %w", bucketTransactions, printableKey(old.key), err)
		}
	}
	w.write(p, sl)
	return nil
}

// write queues p for sl and notes it in the index.
func (w *txWriter) write(p *sealedTx, sl slot) {
	p.key = w.s.keys.tx(w.accountID, sl.at, sl.id)
	w.queue = append(w.queue, p)
	if old, ok := w.index.get(p.t.Key); !ok || old != sl {
		w.index.set(p.t.Key, sl)
	}
}

// markMissing counts a miss for every booking stored for served's days
// that this call did not claim, and marks those missed missingToRemove
// times in a row removed.
func (w *txWriter) markMissing(served Window) error {
	var missed []Transaction
	from, to := served.From.UTC().Add(-maxZoneOffset).UnixNano(), served.To.AddDays(1).UTC().Add(maxZoneOffset).UnixNano()
	lo, hi := monthOf(from), monthOf(to)
	live := w.index.live
	for m := lo; m <= hi; m++ {
		// Only what this call did not claim is read: in a full window,
		// next to nothing.
		for _, e := range live.months[m] {
			k := e.dedupe
			if e.at < from || e.at >= to || w.claimed(k) {
				continue
			}
			st, err := w.get(k)
			if err != nil {
				return err
			}
			if st == nil || st.plain == nil {
				continue // unreadable ones are noted; the reads skip them
			}
			t, err := decodeTx(st.plain)
			if err != nil {
				w.s.damage.note(bucketTransactions, st.key, fmt.Errorf("%w: %w", ErrUnreadable, err))
				continue
			}
			if t.Status == TxRemoved || !t.Day().Within(served.From, served.To) || t.Imported() != "" {
				continue // an imported booking is the file's, not the bank's listing
			}
			missed = append(missed, t)
		}
	}
	// Written after the walk: a bbolt cursor is not to be used across
	// writes to its bucket.
	for _, t := range missed {
		t.Missing++
		if t.Missing >= missingToRemove {
			t.Status = TxRemoved
			w.result.Removed++
		}
		p := &sealedTx{t: t}
		var err error
		if p.plain, err = encodeTx(t); err != nil {
			return fmt.Errorf("store: encode transaction %q: %w", t.Key, err)
		}
		sl, ok := w.index.get(t.Key)
		if !ok {
			continue // not indexed: the reads do not see it either
		}
		w.write(p, sl)
	}
	return w.sealAndPut()
}

// onlyVolatileChanged compares an old record with t ignoring what changes
// without the transaction changing: TrueLayer's per-request TransactionID,
// and the Missing count a returning booking resets.
func onlyVolatileChanged(oldPlain []byte, t Transaction) bool {
	old, err := decodeTx(oldPlain)
	if err != nil {
		return false
	}
	old.TransactionID, old.Missing = t.TransactionID, t.Missing
	a, errA := encodeTx(old)
	b, errB := encodeTx(t)
	return errA == nil && errB == nil && bytes.Equal(a, b)
}

// maxZoneOffset is the widest UTC offset of any zone: a bank day's
// bookings lie within it of that day's UTC midnight.
const maxZoneOffset = 14 * time.Hour

// writeFresh stores txs, as they are, as the transactions of an account
// that has none stored (a migration, a rename, a repair), with its
// indexes. The in-memory index is not told: callers forget it.
func (s *Store) writeFresh(tx *bbolt.Tx, accountID string, txs []Transaction) error {
	w, err := s.newTxWriter(tx, accountID)
	if err != nil {
		return err
	}
	ready, err := encodeAll(txs)
	if err != nil {
		return err
	}
	for _, p := range ready {
		w.write(p, slot{p.t.BookedAt.UnixNano(), w.newID()})
	}
	if err := w.sealAndPut(); err != nil {
		return err
	}
	return w.index.flush(s, tx, accountID)
}
