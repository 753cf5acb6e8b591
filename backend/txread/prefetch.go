package txread

import (
	"sync"

	"bankdesk/backend/store"
)

// Read-ahead: how many transactions travel together, and how many such
// batches may wait for the writer, per account.
const (
	batchSize    = 512
	batchesAhead = 4
)

// batch is a run of rows, then possibly the error that ended the stream.
type batch struct {
	rows []store.Transaction
	err  error
}

// reader reads one account's booked transactions from the store in a
// goroutine of its own, ahead of the writer. Reading (unsealing and
// decoding every record) costs about three times what formatting and
// writing a row does: this way the two overlap, and several accounts are
// read on several cores. Memory stays bounded: at most batchesAhead+2
// batches per account exist, recycled.
type reader struct {
	full chan batch
	free chan []store.Transaction
	done chan struct{}
	wg   sync.WaitGroup

	rows []store.Transaction // the batch being taken from
	used []store.Transaction // its backing array, to hand back
	err  error               // what ended the stream, once rows ran out
	end  bool
}

func startReader(src Source, accountID string, sel Selection) *reader {
	r := &reader{
		full: make(chan batch, batchesAhead),
		free: make(chan []store.Transaction, batchesAhead+2),
		done: make(chan struct{}),
	}
	for range cap(r.free) {
		r.free <- make([]store.Transaction, 0, batchSize)
	}
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		defer close(r.full)
		r.produce(src, accountID, sel)
	}()
	return r
}

// produce fills batches from the store walk until it ends, fails, or the
// reader is closed.
func (r *reader) produce(src Source, accountID string, sel Selection) {
	send := func(b batch) bool {
		select {
		case r.full <- b:
			return true
		case <-r.done:
			return false
		}
	}
	var buf []store.Transaction
	for t, err := range booked(src, accountID, sel) {
		if buf == nil {
			select {
			case buf = <-r.free:
			case <-r.done:
				return
			}
		}
		if err != nil {
			send(batch{buf, err})
			return
		}
		buf = append(buf, t)
		if len(buf) == batchSize {
			if !send(batch{rows: buf}) {
				return
			}
			buf = nil
		}
	}
	if len(buf) > 0 {
		send(batch{rows: buf})
	}
}

// next returns the account's next transaction; ok is false at the end.
func (r *reader) next() (t store.Transaction, ok bool, err error) {
	for len(r.rows) == 0 {
		if r.end {
			return store.Transaction{}, false, r.err
		}
		if r.used != nil {
			r.free <- r.used[:0] // never blocks: free has room for every batch
			r.used = nil
		}
		b, open := <-r.full
		if !open {
			r.end = true
			continue
		}
		r.rows, r.used = b.rows, b.rows
		if b.err != nil {
			r.err, r.end = b.err, true
		}
	}
	t, r.rows = r.rows[0], r.rows[1:]
	return t, true, nil
}

// close stops the goroutine and waits for it, so nothing reads the store
// once the export has returned.
func (r *reader) close() {
	close(r.done)
	r.wg.Wait()
}
