package store

import (
	"bytes"
	"fmt"
	"runtime"
	"slices"
	"sync"
)

// sealedTx is a transaction encoded and sealed ahead of the write
// transaction.
type sealedTx struct {
	t      Transaction
	key    []byte // primary key
	plain  []byte // encoded record, compared with the stored one
	sealed []byte // plain sealed for key
}

// parallelFrom is the batch size from which sealing is spread over all
// CPUs; below it goroutines cost more than they save. A sync stores one
// window at a time (a quarter of a busy account is about 300), so the
// threshold sits well below that.
const parallelFrom = 64

// sealAll encodes and seals a chunk, in parallel, before the write lock is
// taken: encoding and AEAD are most of an import's CPU, and bbolt runs one
// writer at a time. A transaction found unchanged wastes its seal, which is
// cheap next to serialising a 100k import on one core. The result is in
// primary-key order, so records are appended to the bucket in order.
func (s *Store) sealAll(accountID string, chunk []Transaction) ([]*sealedTx, error) {
	out := make([]sealedTx, len(chunk))
	workers := 1
	if len(chunk) >= parallelFrom {
		workers = runtime.GOMAXPROCS(0)
	}
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(chunk); i += workers {
				if err := s.sealOne(accountID, chunk[i], &out[i]); err != nil {
					errs[w] = err
					return
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	// Sort pointers: a sealedTx is a few hundred bytes to move.
	sorted := make([]*sealedTx, len(out))
	for i := range out {
		sorted[i] = &out[i]
	}
	slices.SortFunc(sorted, func(a, b *sealedTx) int { return bytes.Compare(a.key, b.key) })
	return sorted, nil
}

func (s *Store) sealOne(accountID string, t Transaction, p *sealedTx) error {
	plain, err := encodeRecord(t)
	if err != nil {
		return fmt.Errorf("store: encode transaction %q: %w", t.Key, err)
	}
	p.t = t
	p.plain = plain
	p.key = primaryKey(accountID, t.BookedAt, t.Key)
	if p.sealed, err = s.sealer.Seal(bucketTransactions, p.key, plain); err != nil {
		return fmt.Errorf("store: seal %s/%s: %w", bucketTransactions, printableKey(p.key), err)
	}
	return nil
}
