package store

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"runtime"
	"slices"
	"sync"
)

// sealedTx is a transaction on its way into the file: encoded ahead of
// the write transaction, given its key there, then sealed.
type sealedTx struct {
	t      Transaction
	plain  []byte // encoded record (encodeTx), compared with the stored one
	key    []byte // record key, once decided
	sealed []byte // plain, in its envelope, sealed for key
}

// parallelFrom is the batch size from which encoding and sealing are
// spread over all CPUs; below it goroutines cost more than they save. A
// sync stores one window at a time (a quarter of a busy account is about
// 300), so the threshold sits well below that.
const parallelFrom = 64

// parallel runs fn(i) for i in [0, n), on all CPUs when n is large.
func parallel(n int, fn func(i int) error) error {
	workers := 1
	if n >= parallelFrom {
		workers = runtime.GOMAXPROCS(0)
	}
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				if err := fn(i); err != nil {
					errs[w] = err
					return
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// encodeAll encodes a chunk, in parallel, before the write lock is taken:
// encoding is a good part of an import's CPU, and bbolt runs one writer at
// a time.
func encodeAll(chunk []Transaction) ([]*sealedTx, error) {
	out := make([]sealedTx, len(chunk))
	err := parallel(len(chunk), func(i int) error {
		plain, err := encodeTx(chunk[i])
		if err != nil {
			return fmt.Errorf("store: encode transaction %q: %w", chunk[i].Key, err)
		}
		out[i] = sealedTx{t: chunk[i], plain: plain}
		return nil
	})
	ptrs := make([]*sealedTx, len(out))
	for i := range out {
		ptrs[i] = &out[i]
	}
	return ptrs, err
}

// sealAndPut seals what a write queued, in parallel (only what changed is
// sealed: a re-sync that finds everything as stored seals nothing), and
// puts it in key order, which keeps each month's records together.
func (w *txWriter) sealAndPut() error {
	q := w.queue
	w.queue = nil
	err := parallel(len(q), func(i int) error {
		buf := envelopes.Get().(*[]byte)
		*buf = appendEnvelope(*buf, nil, q[i].plain)
		sealed, err := w.s.seal(bucketTransactions, q[i].key, *buf)
		envelopes.Put(buf)
		q[i].sealed = sealed
		return err
	})
	if err != nil {
		return err
	}
	slices.SortFunc(q, func(a, b *sealedTx) int { return bytes.Compare(a.key, b.key) })
	for _, p := range q {
		if err := w.primary.Put(p.key, p.sealed); err != nil {
			return fmt.Errorf("store: write %s/%s: %w", bucketTransactions, printableKey(p.key), err)
		}
	}
	return nil
}

// envelopes are reused plaintext buffers: the sealer copies what it seals.
var envelopes = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// newID is a fresh random record id.
func (w *txWriter) newID() uint64 {
	if len(w.ids) < 8 {
		w.ids = make([]byte, 8*256)
		rand.Read(w.ids) // never fails since Go 1.24
	}
	id := binary.BigEndian.Uint64(w.ids)
	w.ids = w.ids[8:]
	if id == 0 { // a month's index (indexKey)
		return w.newID()
	}
	return id
}
