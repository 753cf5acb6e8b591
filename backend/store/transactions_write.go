package store

import (
	"bytes"
	"fmt"
	"slices"

	"go.etcd.io/bbolt"
)

// maxPerUpdate bounds one bbolt write transaction: bbolt keeps every dirty
// page in memory until commit, and its docs advise chunking big imports.
var maxPerUpdate = 20_000

// PutTransactions stores booked transactions of one account, deduplicating
// on Key (DedupeKey when empty) through the dedupe index:
//
//   - a key not seen before is added;
//   - a known key whose content or booking time changed is updated in place
//     (moved, when the booking time changed), never duplicated;
//   - a known key with identical content is left untouched and not counted.
//     A changed TransactionID alone is refreshed but not counted as an
//     update, since it changes on every request.
//
// Within one call a repeated id keeps its last occurrence. Status defaults to
// TxBooked. The account must exist (ErrNotFound). Every input is validated
// before anything is written; then each run of up to 20,000 transactions is
// one atomic bbolt Update, so a failure part-way through a huge call keeps
// the runs already committed (and the counts returned say so). Retrying is
// safe: dedupe makes it idempotent.
func (s *Store) PutTransactions(accountID string, txs []Transaction) (added, updated int, err error) {
	batch, err := prepareBatch(accountID, txs, TxBooked)
	if err != nil {
		return 0, 0, err
	}
	for start := 0; start < len(batch); start += maxPerUpdate {
		chunk := batch[start:min(start+maxPerUpdate, len(batch))]
		a, u, err := s.putChunk(accountID, chunk)
		if err != nil {
			return added, updated, err
		}
		added += a
		updated += u
	}
	return added, updated, nil
}

func (s *Store) putChunk(accountID string, chunk []Transaction) (added, updated int, err error) {
	ready, err := s.sealAll(accountID, chunk)
	if err != nil {
		return 0, 0, err
	}
	err = s.db.Update(func(tx *bbolt.Tx) error {
		added, updated = 0, 0
		if err := accountExists(tx, accountID); err != nil {
			return err
		}
		w, err := s.newTxWriter(tx)
		if err != nil {
			return err
		}
		for i := range ready {
			change, err := w.put(&ready[i])
			if err != nil {
				return err
			}
			switch change {
			case changeAdded:
				added++
			case changeUpdated:
				updated++
			}
		}
		return w.flushIndex()
	})
	if err != nil {
		return 0, 0, err
	}
	return added, updated, nil
}

type change int

const (
	changeNone change = iota
	changeAdded
	changeUpdated
)

// txWriter writes transactions and their dedupe entries inside one Update.
type txWriter struct {
	s       *Store
	primary *bbolt.Bucket
	dedupe  *bbolt.Bucket
	index   []*sealedTx // dedupe entries to write, see flushIndex
}

func (s *Store) newTxWriter(tx *bbolt.Tx) (*txWriter, error) {
	primary, err := bucket(tx, bucketTransactions)
	if err != nil {
		return nil, err
	}
	dedupe, err := bucket(tx, bucketDedupe)
	if err != nil {
		return nil, err
	}
	// Transactions arrive mostly in booking order, i.e. appended at the end
	// of their account's range: fuller pages mean a smaller file and fewer
	// bytes to write. (bbolt does not persist FillPercent; it is per Update.)
	primary.FillPercent = 0.9
	return &txWriter{s: s, primary: primary, dedupe: dedupe}, nil
}

func (w *txWriter) put(p *sealedTx) (change, error) {
	sealedAt := w.dedupe.Get(p.indexKey)
	if sealedAt == nil {
		return changeAdded, w.write(p)
	}
	at, err := w.s.open(bucketDedupe, p.indexKey, sealedAt)
	if err != nil {
		return 0, err
	}
	if len(at) != timeLen {
		return 0, fmt.Errorf("store: dedupe entry %s is %d bytes, want %d", printableKey(p.indexKey), len(at), timeLen)
	}
	oldKey := primaryKey(p.t.AccountID, parseTime(at), p.t.Key)
	oldSealed := w.primary.Get(oldKey)
	if oldSealed == nil {
		// The index points nowhere (should not happen): heal it.
		return changeAdded, w.write(p)
	}
	oldPlain, err := w.s.open(bucketTransactions, oldKey, oldSealed)
	if err != nil {
		return 0, err
	}
	if bytes.Equal(oldKey, p.key) {
		if bytes.Equal(oldPlain, p.plain) {
			return changeNone, nil
		}
		if err := w.putPrimary(p); err != nil {
			return 0, err
		}
		if onlyTransactionIDChanged(oldPlain, p.t) {
			return changeNone, nil
		}
		return changeUpdated, nil
	}
	// Booking time changed: move the record so the key order stays true.
	if err := w.primary.Delete(oldKey); err != nil {
		return 0, fmt.Errorf("store: delete %s/%s: %w", bucketTransactions, printableKey(oldKey), err)
	}
	return changeUpdated, w.write(p)
}

// write stores the record and queues its dedupe entry.
func (w *txWriter) write(p *sealedTx) error {
	if err := w.putPrimary(p); err != nil {
		return err
	}
	w.index = append(w.index, p)
	return nil
}

func (w *txWriter) putPrimary(p *sealedTx) error {
	if err := w.primary.Put(p.key, p.sealed); err != nil {
		return fmt.Errorf("store: write %s/%s: %w", bucketTransactions, printableKey(p.key), err)
	}
	return nil
}

// flushIndex writes the queued dedupe entries in key order: their keys are
// ids, random with respect to booking order, and sorted inserts keep bbolt's
// in-memory nodes appending instead of shifting.
func (w *txWriter) flushIndex() error {
	slices.SortFunc(w.index, func(a, b *sealedTx) int { return bytes.Compare(a.indexKey, b.indexKey) })
	for _, p := range w.index {
		if err := w.dedupe.Put(p.indexKey, p.sealedAt); err != nil {
			return fmt.Errorf("store: write %s/%s: %w", bucketDedupe, printableKey(p.indexKey), err)
		}
	}
	return nil
}

// onlyTransactionIDChanged compares an old record with t ignoring the
// volatile TransactionID.
func onlyTransactionIDChanged(oldPlain []byte, t Transaction) bool {
	var old Transaction
	if decodeRecord(oldPlain, &old) != nil {
		return false
	}
	old.TransactionID = t.TransactionID
	a, errA := encodeRecord(old)
	b, errB := encodeRecord(t)
	return errA == nil && errB == nil && bytes.Equal(a, b)
}
