// Package transfers finds money moved between a person's own accounts:
// the two halves of a move to savings, or of a card repayment, booked
// once on each side. Counted as income on one side and spending on the
// other, a transfer would count twice; paired, it counts as neither.
//
// The rule, in one place: two booked transactions pair when
//   - they are in two different accounts of the person's, in one currency;
//   - one is money out and the other money in (transaction_type), of the
//     same exact amount;
//   - they are booked within Window days of each other (banks book the
//     two sides on different days, over weekends most);
//   - at least one of them is a TRANSFER (TrueLayer's transaction_category),
//     and neither is a card purchase, cash, a fee, interest or a dividend
//     (an equal amount alone would pair a refund with a purchase).
//
// Each transaction is in one pair at most. Where several could pair, two
// TRANSFERs win over one, money arriving on or after the day it left wins
// over money arriving before, then the closest in days, then the earliest,
// so the result does not depend on the order the transactions come in.
package transfers

import (
	"cmp"
	"slices"

	"github.com/shopspring/decimal"

	"bankdesk/backend/bankday"
	"bankdesk/backend/categories"
)

// Window is how many days apart the two halves of a transfer may book.
const Window = 4

// Ref names one transaction: its account and its key there.
type Ref struct {
	AccountID string
	Key       string
}

// Candidate is one booked transaction, as the rule needs it.
type Candidate struct {
	Ref
	Day      bankday.Day     // the bank's booking day
	Amount   decimal.Decimal // the magnitude, as booked
	Credit   bool            // money in (transaction_type CREDIT)
	Currency string
	Category string // transaction_category
}

// Pair is a transfer: the money left Out and arrived at In.
type Pair struct {
	Out, In Ref
}

// never are transaction_categories that are not a move between one's own
// accounts, whatever the amount.
var never = map[string]bool{
	"PURCHASE": true, "ATM": true, "CASH": true, "CASHBACK": true,
	"FEE_CHARGE": true, "INTEREST": true, "DIVIDEND": true,
}

// Detect pairs the transfers among cs (see the package comment).
func Detect(cs []Candidate) []Pair {
	type group struct{ outs, ins []int }
	groups := map[string]*group{}
	var keys []string
	for i := range cs {
		c := &cs[i]
		if never[c.Category] || c.Amount.Sign() == 0 {
			continue
		}
		k := c.Currency + "\x00" + c.Amount.Abs().String()
		g := groups[k]
		if g == nil {
			g = &group{}
			groups[k] = g
			keys = append(keys, k)
		}
		if c.Credit {
			g.ins = append(g.ins, i)
		} else {
			g.outs = append(g.outs, i)
		}
	}
	slices.Sort(keys) // a stable result whatever the map's order

	var pairs []Pair
	for _, k := range keys {
		g := groups[k]
		if len(g.outs) == 0 || len(g.ins) == 0 {
			continue
		}
		type edge struct {
			out, in, gap int
			both         bool // both halves say TRANSFER: the likelier pair
			early        bool // the money arrived before it left: the less likely
		}
		var edges []edge
		// Only the ins within Window days of an out can pair with it.
		slices.SortFunc(g.ins, func(x, y int) int { return cmp.Compare(cs[x].Day, cs[y].Day) })
		for _, o := range g.outs {
			a := &cs[o]
			from, _ := slices.BinarySearchFunc(g.ins, a.Day.AddDays(-Window), func(i int, d bankday.Day) int { return cmp.Compare(cs[i].Day, d) })
			for _, in := range g.ins[from:] {
				b := &cs[in]
				if b.Day > a.Day.AddDays(Window) {
					break
				}
				if a.AccountID == b.AccountID || (a.Category != categories.TransferCategory && b.Category != categories.TransferCategory) {
					continue
				}
				edges = append(edges, edge{o, in, abs(b.Day.Sub(a.Day)), a.Category == categories.TransferCategory && b.Category == categories.TransferCategory, b.Day < a.Day})
			}
		}
		slices.SortFunc(edges, func(x, y edge) int {
			return cmp.Or(-cmpBool(x.both, y.both), cmpBool(x.early, y.early), cmp.Compare(x.gap, y.gap),
				cmp.Compare(min(cs[x.out].Day, cs[x.in].Day), min(cs[y.out].Day, cs[y.in].Day)),
				compareRef(cs[x.out].Ref, cs[y.out].Ref), compareRef(cs[x.in].Ref, cs[y.in].Ref))
		})
		used := map[int]bool{}
		for _, e := range edges {
			if used[e.out] || used[e.in] {
				continue
			}
			used[e.out], used[e.in] = true, true
			pairs = append(pairs, Pair{Out: cs[e.out].Ref, In: cs[e.in].Ref})
		}
	}
	slices.SortFunc(pairs, func(x, y Pair) int { return cmp.Or(compareRef(x.Out, y.Out), compareRef(x.In, y.In)) })
	return pairs
}

func compareRef(a, b Ref) int {
	return cmp.Or(cmp.Compare(a.AccountID, b.AccountID), cmp.Compare(a.Key, b.Key))
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
