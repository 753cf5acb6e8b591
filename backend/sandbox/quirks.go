package sandbox

import (
	"slices"
	"sort"
)

// Real-bank quirks layered on the generated books by the reused_ids and
// remove_bookings knobs. Both are pure functions of the books (and, for removals,
// the day the knob was set), so they never change history that was already served.

const (
	reuseSalt   = 0x7265757365696473
	removeFirst = 5 // remove_bookings takes bookings from anchor-5 ...
	removeLast  = 2 // ... through anchor-2: strictly inside a 7-day overlap
)

// twinsLocked returns, for every stored transaction, the index of the earlier
// transaction whose stable ids it reuses under reused_ids, or -1. Pairs never chain:
// a transaction reuses at most one other and is reused by at most one. Computed
// once per transaction, when first asked. Caller holds u.mu.
func (a *account) twinsLocked() []int32 {
	for i := len(a.twins); i < len(a.txs); i++ {
		a.twins = append(a.twins, -1)
		a.reused = append(a.reused, false)
		if j := a.pickTwin(i); j >= 0 {
			a.twins[i], a.reused[j] = int32(j), true
		}
	}
	return a.twins
}

// pickTwin chooses whose ids transaction i reuses: for about 3% of transactions one
// made 30-60 days earlier (so booked far apart), for about 3% of debits and a
// quarter of credits one of the opposite direction made up to 3 days earlier.
func (a *account) pickTwin(i int) int {
	t := &a.txs[i]
	h := mix64(t.Hash ^ reuseSalt)
	sel := h % 100
	free := func(j int) bool {
		o := &a.txs[j]
		return a.twins[j] < 0 && !a.reused[j] && o.NoNorm == t.NoNorm
	}
	switch {
	case sel < 3:
		gap := day(30 + (h>>8)%31)
		j := sort.Search(i, func(k int) bool { return a.txs[k].Date >= t.Date-gap })
		for ; j < i && a.txs[j].Date <= t.Date-30; j++ {
			if free(j) {
				return j
			}
		}
	case sel < 6 || (t.Credit && sel < 25):
		for j := i - 1; j >= 0 && a.txs[j].Date >= t.Date-3; j-- {
			if a.txs[j].Credit != t.Credit && free(j) {
				return j
			}
		}
	}
	return -1
}

// removedAt lists the transactions remove_bookings hides: up to n of those booked
// between anchor-5 and anchor-2, chosen by hash. Caller holds u.mu.
func (a *account) removedAt(anchor day, n int, start day) []int32 {
	lo, hi := max(anchor-removeFirst, start), anchor-removeLast
	var cand []int32
	i := sort.Search(len(a.txs), func(k int) bool { return a.txs[k].Date >= lo-maxLag })
	for ; i < len(a.txs) && a.txs[i].Date <= hi; i++ {
		if b := a.txs[i].Book; b >= lo && b <= hi {
			cand = append(cand, int32(i))
		}
	}
	slices.SortFunc(cand, func(x, y int32) int {
		hx, hy := mix64(a.txs[x].Hash^reuseSalt), mix64(a.txs[y].Hash^reuseSalt)
		switch {
		case hx < hy:
			return -1
		case hx > hy:
			return 1
		}
		return 0
	})
	return cand[:min(n, len(cand))]
}
