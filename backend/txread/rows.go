package txread

import (
	"errors"
	"fmt"
	"iter"
	"slices"

	"bankdesk/backend/bankday"
	"bankdesk/backend/store"
)

// errStop ends a store walk early when the consumer stops pulling.
var errStop = errors.New("stop")

// booked yields an account's booked transactions in the range in the
// store's order (by booking instant), a page at a time, ending with the
// error if the walk fails. Bookings the bank removed are left out unless
// sel.IncludeRemoved. Rows puts them in the one order, then applies
// sel.Keep: a day's chain is found among all its bookings.
func booked(src Source, accountID string, sel Selection) iter.Seq2[store.Transaction, error] {
	return func(yield func(store.Transaction, error) bool) {
		err := src.Transactions(accountID, sel.From, sel.To, func(t store.Transaction) error {
			if !t.Counts() && !sel.IncludeRemoved {
				return nil
			}
			if !yield(t, nil) {
				return errStop
			}
			return nil
		})
		if err != nil && !errors.Is(err, errStop) {
			yield(store.Transaction{}, fmt.Errorf("read transactions of %s: %w", accountID, err))
		}
	}
}

// pendingIn reads an account's pending transactions whose booking day is in
// the range, in stream order (Rows applies sel.Keep).
func pendingIn(src Source, accountID string, sel Selection) ([]store.Transaction, error) {
	all, err := src.Pending(accountID)
	if err != nil {
		return nil, fmt.Errorf("read pending transactions of %s: %w", accountID, err)
	}
	var out []store.Transaction
	for _, t := range all {
		if t.Day().Within(sel.From, sel.To) {
			out = append(out, t)
		}
	}
	slices.SortStableFunc(out, Compare)
	return out, nil
}

// cursor is one account's stream during the merge: its booked
// transactions (read ahead by a reader) and its pending ones.
type cursor struct {
	booked  *reader
	head    store.Transaction // valid while hasHead
	hasHead bool
	pending []store.Transaction
}

// advance loads the cursor's next booked transaction into head.
func (c *cursor) advance() error {
	t, ok, err := c.booked.next()
	if err != nil {
		return err
	}
	c.head, c.hasHead = t, ok
	return nil
}

// peek is the cursor's smallest row, booked or pending.
func (c *cursor) peek() (t store.Transaction, pending, ok bool) {
	if len(c.pending) > 0 && (!c.hasHead || Compare(c.pending[0], c.head) < 0) {
		return c.pending[0], true, true
	}
	return c.head, false, c.hasHead
}

// take removes the row peek returned.
func (c *cursor) take(pending bool) error {
	if pending {
		c.pending = c.pending[1:]
		return nil
	}
	return c.advance()
}

// Rows yields the transactions of accts that sel selects, in the one
// order (Sort): the accounts' streams merged in Compare's order, a bank
// day at a time, each day sorted. An error ends the stream, after the rows
// read before it.
func Rows(src Source, accts []store.Account, sel Selection) iter.Seq2[store.Transaction, error] {
	return func(yield func(store.Transaction, error) bool) {
		s := newSorter(accts)
		self := func(t *store.Transaction) *store.Transaction { return t }
		var day []store.Transaction
		flush := func() bool {
			sortWith(s, day, self)
			for i := range day {
				if !sel.keeps(day[i]) {
					continue
				}
				if !yield(day[i], nil) {
					return false
				}
			}
			day = day[:0]
			return true
		}
		var dayOf bankday.Day
		for t, err := range merged(src, accts, sel) {
			if err != nil {
				if flush() {
					yield(store.Transaction{}, err)
				}
				return
			}
			if d := t.Day(); d != dayOf {
				if !flush() {
					return
				}
				dayOf = d
			}
			day = append(day, t)
		}
		flush()
	}
}

// merged is the k-way merge of one cursor per account, each read ahead
// in a goroutine of its own, in Compare's order. Accounts are few (a
// handful per user), so a linear scan for the smallest head beats a heap.
func merged(src Source, accts []store.Account, sel Selection) iter.Seq2[store.Transaction, error] {
	return func(yield func(store.Transaction, error) bool) {
		cursors := make([]*cursor, 0, len(accts))
		defer func() {
			for _, c := range cursors {
				c.booked.close()
			}
		}()
		for _, a := range accts {
			c := &cursor{}
			if sel.IncludePending {
				p, err := pendingIn(src, a.ID, sel)
				if err != nil {
					yield(store.Transaction{}, err)
					return
				}
				c.pending = p
			}
			c.booked = startReader(src, a.ID, sel)
			cursors = append(cursors, c)
		}
		for _, c := range cursors {
			if err := c.advance(); err != nil {
				yield(store.Transaction{}, err)
				return
			}
		}
		for {
			var best *cursor
			var bestRow store.Transaction
			var bestPending bool
			for _, c := range cursors {
				t, pending, ok := c.peek()
				if ok && (best == nil || Compare(t, bestRow) < 0) {
					best, bestRow, bestPending = c, t, pending
				}
			}
			if best == nil {
				return
			}
			if !yield(bestRow, nil) {
				return
			}
			if err := best.take(bestPending); err != nil {
				yield(store.Transaction{}, err)
				return
			}
		}
	}
}

// Total counts the rows an unbounded selection yields, from store keys
// (nothing is unsealed); 0 (unknown) when a date range or Keep is given.
func Total(src Source, accts []store.Account, sel Selection) (int, error) {
	if !sel.From.IsZero() || !sel.To.IsZero() || sel.Keep != nil {
		return 0, nil
	}
	n := 0
	for _, a := range accts {
		c, err := src.CountTransactions(a.ID)
		if err != nil {
			return 0, fmt.Errorf("count transactions of %s: %w", a.ID, err)
		}
		n += c
		if sel.IncludePending {
			p, err := src.Pending(a.ID)
			if err != nil {
				return 0, fmt.Errorf("read pending transactions of %s: %w", a.ID, err)
			}
			n += len(p)
		}
	}
	return n, nil
}
