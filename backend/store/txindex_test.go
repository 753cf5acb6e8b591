package store

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"go.etcd.io/bbolt"
)

// The dedupe index is rebuilt from the stored keys by a new Store: a
// transaction whose booking time changed while the app was closed still
// moves instead of being stored twice.
func TestDedupeIndexSurvivesReopen(t *testing.T) {
	st, path := openTemp(t, xorSealer{})
	withAccount(t, st, "c", "acc")
	tx := googlePlay()
	put(t, st, "acc", tx)
	mustNoErr(t, st.Close())

	st, err := Open(path, xorSealer{}, Options{})
	mustNoErr(t, err)
	defer st.Close()
	putWant(t, st, "acc", "same transaction after reopen", 0, 0, tx)
	tx.BookedAt = tx.BookedAt.AddDate(0, 0, 1)
	putWant(t, st, "acc", "moved after reopen", 0, 1, tx)
	if got := only(t, st, "acc"); !got.BookedAt.Equal(tx.BookedAt) {
		t.Fatalf("after the move: %+v", got)
	}
	if got, err := st.Transaction("acc", "n:"+tx.NormalisedProviderID); err != nil || !got.BookedAt.Equal(tx.BookedAt) {
		t.Fatalf("Transaction: %+v, %v", got, err)
	}
}

// A write that fails leaves the index as it was: the transactions it did
// not commit are still new to the next write.
func TestFailedWriteDoesNotTouchTheIndex(t *testing.T) {
	st := accountStore(t)
	put(t, st, "acc", googlePlay())
	boom := fmt.Errorf("boom")
	err := st.db.Update(func(tx *bbolt.Tx) error {
		w, err := st.newTxWriter(tx, "acc")
		if err != nil {
			return err
		}
		other := googlePlay()
		other.NormalisedProviderID = "txn-rolled-back"
		mustNoErr(t, normalise(&other, "acc", TxBooked))
		ready, err := encodeAll([]Transaction{other})
		mustNoErr(t, err)
		if _, err := w.put(ready[0]); err != nil {
			return err
		}
		return boom // rolled back; w.index is never committed
	})
	if err != boom {
		t.Fatal(err)
	}
	other := googlePlay()
	other.NormalisedProviderID = "txn-rolled-back"
	a, _ := put(t, st, "acc", other)
	wantCounts(t, "the rolled-back transaction", a, 0, 1, 0)
	if n, _ := st.CountTransactions("acc"); n != 2 {
		t.Fatalf("%d stored, want 2", n)
	}
}

// Writers racing on one account never store a transaction twice.
func TestConcurrentWritersDoNotDuplicate(t *testing.T) {
	st := accountStore(t)
	var txs []Transaction
	for i := range 200 {
		tx := googlePlay()
		tx.NormalisedProviderID = fmt.Sprintf("txn-%d", i)
		tx.BookedAt = tx.BookedAt.AddDate(0, 0, i%40)
		txs = append(txs, tx)
	}
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := w; i < len(txs)+w; i += 3 {
				batch := []Transaction{txs[i%len(txs)]}
				if j := (i * 7) % len(txs); j != i%len(txs) { // one answer lists a transaction once
					batch = append(batch, txs[j])
				}
				if w%2 == 1 { // some writers see later booking times
					for j := range batch {
						batch[j].BookedAt = batch[j].BookedAt.AddDate(0, 0, 1)
					}
				}
				if _, _, err := st.PutTransactions("acc", batch); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	got := all(t, st, "acc")
	seen := map[string]bool{}
	for _, tx := range got {
		if seen[tx.Key] {
			t.Errorf("%s stored twice", tx.Key)
		}
		seen[tx.Key] = true
	}
	if len(got) != len(txs) {
		t.Fatalf("%d stored, want %d", len(got), len(txs))
	}
}

// A schema 2 file (dedupe index on disk) loses that bucket and keeps
// deduplicating against what it holds.
func TestSchemaTwoFileDropsTheDedupeBucket(t *testing.T) {
	saved := migrations
	migrations, currentSchemaVersion = saved[:2], 2
	st, path := openTemp(t, xorSealer{})
	withAccount(t, st, "c", "acc")
	writeV1(t, st, "acc", []Transaction{googlePlay()})
	mustNoErr(t, st.Close())
	migrations, currentSchemaVersion = saved, len(saved)

	st, err := Open(path, xorSealer{}, Options{})
	mustNoErr(t, err)
	defer st.Close()
	mustNoErr(t, st.db.View(func(tx *bbolt.Tx) error {
		if tx.Bucket(bucketDedupe) != nil {
			t.Error("dedupe bucket still there")
		}
		return nil
	}))
	putWant(t, st, "acc", "after the upgrade", 0, 0, googlePlay())
}

// A window and the checkpoint recording it are stored together: both or,
// on failure, neither.
func TestPutTransactionsAndCheckpoint(t *testing.T) {
	st := accountStore(t)
	saved := maxPerUpdate
	maxPerUpdate = 2 // three runs for five transactions
	defer func() { maxPerUpdate = saved }()
	var txs []Transaction
	for i := range 5 {
		tx := googlePlay()
		tx.NormalisedProviderID = fmt.Sprintf("txn-%d", i)
		txs = append(txs, tx)
	}
	a, u, err := st.PutTransactionsAndCheckpoint("acc", txs, []byte("window 1"))
	mustNoErr(t, err)
	wantCounts(t, "window", a, u, 5, 0)
	if cp, err := st.Checkpoint("acc"); err != nil || string(cp) != "window 1" {
		t.Fatalf("checkpoint %q, %v", cp, err)
	}
	// An empty window still records its checkpoint.
	a, u, err = st.PutTransactionsAndCheckpoint("acc", nil, []byte("window 2"))
	mustNoErr(t, err)
	wantCounts(t, "empty window", a, u, 0, 0)
	if cp, _ := st.Checkpoint("acc"); string(cp) != "window 2" {
		t.Fatalf("checkpoint %q", cp)
	}
	if _, _, err := st.PutTransactionsAndCheckpoint("gone", txs[:1], []byte("x")); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown account: %v", err)
	}
	if _, err := st.Checkpoint("gone"); !errors.Is(err, ErrNotFound) {
		t.Fatal("checkpoint written for an unknown account")
	}
}
