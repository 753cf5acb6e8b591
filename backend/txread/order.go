package txread

import (
	"cmp"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"bankdesk/backend/bankday"
	"bankdesk/backend/position"
	"bankdesk/backend/store"
)

// The one order of listed transactions, oldest first, is Compare's key
// order with one exception. Banks stamp most bookings at midnight
// (T00:00:00), so within a day the key order says nothing about the order
// in which the bank booked them; the running balance it sends with each
// (running_balance, the balance after the booking:
// https://docs.truelayer.com/docs/scopes) does. So an account's bookings
// of one bank day whose running balances chain, each the previous one's
// plus its own signed amount, take the places of that day's bookings in
// the order they chain. Where the balances do not decide one order (a row
// without one, a balance that repeats, figures that do not add up) the key
// order stays. The order of a day depends only on that day's rows, so a
// page, a date filter or an export never moves a row.

// Sort puts rows in the one order; tx gives a row's transaction, accts are
// the rows' accounts (what their balances mean: position.Owes). The screens'
// index (package ledger) and Rows both list in it.
func Sort[T any](rows []T, tx func(*T) *store.Transaction, accts []store.Account) {
	sortWith(newSorter(accts), rows, tx)
}

// sorter is what sorting needs besides the rows, kept from one sort to the
// next (Rows sorts a day at a time).
type sorter struct {
	chainer
	days  []bankday.Day
	order []int32
}

func newSorter(accts []store.Account) *sorter {
	s := &sorter{chainer: chainer{owes: make(map[string]bool, len(accts))}}
	for _, a := range accts {
		s.owes[a.ID] = position.Owes(a.Kind)
	}
	return s
}

func sortWith[T any](s *sorter, rows []T, tx func(*T) *store.Transaction) {
	if len(rows) < 2 {
		return
	}
	s.days, s.order = s.days[:0], s.order[:0]
	for i := range rows {
		s.days, s.order = append(s.days, tx(&rows[i]).Day()), append(s.order, int32(i))
	}
	at := func(i int32) *store.Transaction { return tx(&rows[i]) }
	slices.SortFunc(s.order, func(a, b int32) int { return compareOn(s.days[a], s.days[b], at(a), at(b)) })
	s.apply(s.order, s.days, at)
	permute(rows, s.order)
}

// Compare is the key order of transactions: booking day (the bank's),
// booking time, account id, booked before pending, dedupe key. Sort and
// Rows refine it within a day by the running balances.
func Compare(a, b store.Transaction) int { return compareOn(a.Day(), b.Day(), &a, &b) }

// compareOn is Compare with the booking days already known.
func compareOn(da, db bankday.Day, a, b *store.Transaction) int {
	if c := cmp.Compare(da, db); c != 0 {
		return c
	}
	if c := a.BookedAt.Compare(b.BookedAt); c != 0 {
		return c
	}
	if c := strings.Compare(a.AccountID, b.AccountID); c != 0 {
		return c
	}
	if c := strings.Compare(a.Status, b.Status); c != 0 {
		return c
	}
	return strings.Compare(a.Key, b.Key)
}

// permute moves rows so that rows[i] becomes the old rows[order[i]], in
// place: each cycle of the permutation with one spare row (a row is large,
// a copy of all of them would double the memory). It consumes order.
func permute[T any](rows []T, order []int32) {
	for i := range order {
		if order[i] < 0 || order[i] == int32(i) {
			continue
		}
		spare := rows[i]
		for j := i; ; {
			k := int(order[j])
			order[j] = -1
			if k == i {
				rows[j] = spare
				break
			}
			rows[j] = rows[k]
			j = k
		}
	}
}

// chainer finds the chained days of an ordered run of rows, reusing its
// buffers from one group to the next.
type chainer struct {
	owes   map[string]bool // by account id: its balance is owed (a card)
	groups []group
	rows   []*store.Transaction // a group's rows
	idx    []int32              // and their indices
	ints   keys[int64]
	texts  keys[string]
}

// group is one account's bookings of one day: their places in the order.
type group struct {
	account string
	places  []int
}

// apply reorders, within order (sorted by compareOn), each account's
// bookings of a day whose running balances chain.
func (c *chainer) apply(order []int32, days []bankday.Day, at func(int32) *store.Transaction) {
	for start := 0; start < len(order); {
		end := start + 1
		for end < len(order) && days[order[end]] == days[order[start]] {
			end++
		}
		if end-start > 1 {
			c.day(order, start, end, at)
		}
		start = end
	}
}

// day chains the groups of order[start:end], one bank day.
func (c *chainer) day(order []int32, start, end int, at func(int32) *store.Transaction) {
	c.groups = c.groups[:0]
	for p := start; p < end; p++ {
		t := at(order[p])
		if t.Status != store.TxBooked {
			continue
		}
		k := slices.IndexFunc(c.groups, func(g group) bool { return g.account == t.AccountID })
		if k < 0 {
			k = len(c.groups)
			if k < cap(c.groups) { // reuse the group's places
				c.groups = c.groups[:k+1]
				c.groups[k].account, c.groups[k].places = t.AccountID, c.groups[k].places[:0]
			} else {
				c.groups = append(c.groups, group{account: t.AccountID})
			}
		}
		c.groups[k].places = append(c.groups[k].places, p)
	}
	for _, g := range c.groups {
		if len(g.places) < 2 {
			continue
		}
		c.rows, c.idx = c.rows[:0], c.idx[:0]
		for _, p := range g.places {
			c.rows, c.idx = append(c.rows, at(order[p])), append(c.idx, order[p])
		}
		chained := c.chain(c.rows, c.owes[g.account])
		if chained == nil {
			continue
		}
		for k, p := range g.places {
			order[p] = c.idx[chained[k]]
		}
	}
}

// chain is the one order in which rows' running balances chain, as indices
// into rows, or nil when there is none or more than one. Balances count as
// the person's money (position.Owes: a card's is owed, so a DEBIT raises it,
// as in the Data API's card transaction examples in
// backend/internal/openapi/data-api-v1.json); amounts are signed by
// transaction_type (store.Transaction.Amount). Exact: as integers of the
// rows' finest decimal place when they fit, else as decimals.
func (c *chainer) chain(rows []*store.Transaction, owes bool) []int {
	for _, t := range rows {
		if t.RunningBalance == nil {
			return nil
		}
	}
	if c.scaleAll(rows, owes) {
		return c.ints.chain()
	}
	c.texts.reset()
	for _, t := range rows {
		after := *t.RunningBalance
		if owes {
			after = after.Neg()
		}
		c.texts.add(after.Sub(t.Amount).String(), after.String()) // String is canonical: 1.10 and 1.1 read alike
	}
	return c.texts.chain()
}

// keys are a group's balances before and after each row.
type keys[K comparable] struct {
	before, after []K
	next          map[K]int // the row that starts from a balance
	ends          map[K]bool
}

func (k *keys[K]) reset() {
	k.before, k.after = k.before[:0], k.after[:0]
	if k.next == nil {
		k.next, k.ends = map[K]int{}, map[K]bool{}
	}
	clear(k.next)
	clear(k.ends)
}

func (k *keys[K]) add(before, after K) {
	k.before, k.after = append(k.before, before), append(k.after, after)
}

// chain walks from the one row whose balance before is no row's balance
// after, each next row starting where the last ended. A balance that
// starts or ends two rows makes the order ambiguous; a walk that does not
// reach every row means the figures do not chain: nil either way.
func (k *keys[K]) chain() []int {
	for _, a := range k.after {
		if k.ends[a] {
			return nil
		}
		k.ends[a] = true
	}
	first := -1
	for i, b := range k.before {
		if !k.ends[b] {
			if first >= 0 {
				return nil // two starts: most days that do not chain end here
			}
			first = i
		}
	}
	if first < 0 {
		return nil
	}
	for i, b := range k.before {
		if _, dup := k.next[b]; dup {
			return nil
		}
		k.next[b] = i
	}
	out := make([]int, 0, len(k.before))
	for i := first; ; {
		out = append(out, i)
		if len(out) == len(k.before) {
			return out
		}
		j, ok := k.next[k.after[i]]
		if !ok {
			return nil
		}
		i = j
	}
}

// maxDigits keeps a scaled value, and the difference of two, within int64.
const maxDigits = 17

// scaleAll fills c.ints with the rows' balances before and after as
// integer counts of their finest decimal place, when every one fits in
// maxDigits digits at it.
func (c *chainer) scaleAll(rows []*store.Transaction, owes bool) bool {
	exp := int32(0)
	for _, t := range rows {
		exp = min(exp, t.RunningBalance.Exponent(), t.Amount.Exponent())
	}
	c.ints.reset()
	for _, t := range rows {
		after, ok := scaled(*t.RunningBalance, exp)
		amount, ok2 := scaled(t.Amount, exp)
		if !ok || !ok2 {
			return false
		}
		if owes {
			after = -after
		}
		c.ints.add(after-amount, after)
	}
	return true
}

// pow10 are the powers of ten up to 10^maxDigits.
var pow10 = func() (p [maxDigits + 1]int64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// scaled is d as an integer count of 10^exp (exp at most d's exponent),
// when it fits in maxDigits digits.
func scaled(d decimal.Decimal, exp int32) (int64, bool) {
	shift := int(d.Exponent() - exp)
	if shift > maxDigits || d.NumDigits()+shift > maxDigits {
		return 0, false
	}
	return d.CoefficientInt64() * pow10[shift], true
}
