package store

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"go.etcd.io/bbolt"
)

// maxPerUpdate bounds one bbolt write transaction: bbolt keeps every dirty
// page in memory until commit, and its docs advise chunking big imports.
var maxPerUpdate = 20_000

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
// Within one call a repeated id keeps its last occurrence. Status defaults to
// TxBooked. The account must exist (ErrNotFound). Every input is validated
// before anything is written; then each run of up to 20,000 transactions is
// one atomic bbolt Update, so a failure part-way through a huge call keeps
// the runs already committed (and the counts returned say so). Retrying is
// safe: dedupe makes it idempotent.
func (s *Store) PutTransactions(accountID string, txs []Transaction) (added, updated int, err error) {
	return s.putTransactions(accountID, txs, nil)
}

// PutTransactionsAndCheckpoint is PutTransactions and PutCheckpoint in one
// write: a sync stores a window and the checkpoint that records it with one
// commit, and one flush to disk, instead of two. (A window of more than
// 20,000 transactions commits its first runs before; the checkpoint goes
// with the last.)
func (s *Store) PutTransactionsAndCheckpoint(accountID string, txs []Transaction, checkpoint []byte) (added, updated int, err error) {
	return s.putTransactions(accountID, txs, func(tx *bbolt.Tx) error {
		b, err := bucket(tx, bucketCheckpoints)
		if err != nil {
			return err
		}
		return s.put(b, bucketCheckpoints, []byte(accountID), checkpoint)
	})
}

// putTransactions stores txs in runs of maxPerUpdate, running last (if
// any) inside the final run's Update.
func (s *Store) putTransactions(accountID string, txs []Transaction, last func(*bbolt.Tx) error) (added, updated int, err error) {
	batch, err := prepareBatch(accountID, txs, TxBooked)
	if err != nil {
		return 0, 0, err
	}
	for start := 0; start < len(batch) || start == 0; start += maxPerUpdate {
		chunk := batch[start:min(start+maxPerUpdate, len(batch))]
		var then func(*bbolt.Tx) error
		if start+maxPerUpdate >= len(batch) {
			then = last
		}
		a, u, err := s.putChunk(accountID, chunk, then)
		if err != nil {
			return added, updated, err
		}
		added += a
		updated += u
	}
	return added, updated, nil
}

func (s *Store) putChunk(accountID string, chunk []Transaction, then func(*bbolt.Tx) error) (added, updated int, err error) {
	if len(chunk) == 0 && then == nil {
		return 0, 0, nil
	}
	ready, err := s.sealAll(accountID, chunk)
	if err != nil {
		return 0, 0, err
	}
	s.index.mu.Lock()
	defer s.index.mu.Unlock()
	var w *txWriter
	err = s.db.Update(func(tx *bbolt.Tx) error {
		added, updated = 0, 0
		if err := accountExists(tx, accountID); err != nil {
			return err
		}
		if w, err = s.newTxWriter(tx, accountID); err != nil {
			return err
		}
		for _, p := range ready {
			change, err := w.put(p)
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
		if then != nil {
			return then(tx)
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	w.index.commit()
	return added, updated, nil
}

type change int

const (
	changeNone change = iota
	changeAdded
	changeUpdated
)

// txWriter writes one account's transactions inside one Update.
type txWriter struct {
	s       *Store
	primary *bbolt.Bucket
	index   stagedIndex // applied to s.index once the Update commits
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
	return &txWriter{s: s, primary: primary, index: stagedIndex{live: live}}, nil
}

func (w *txWriter) put(p *sealedTx) (change, error) {
	at, known := w.index.get(p.t.Key)
	if !known {
		return changeAdded, w.write(p)
	}
	oldKey := primaryKey(p.t.AccountID, parseTime(binary.BigEndian.AppendUint64(nil, at)), p.t.Key)
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
