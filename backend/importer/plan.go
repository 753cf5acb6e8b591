package importer

import (
	"strconv"
	"strings"

	"bankdesk/backend/bankday"
	"bankdesk/backend/store"
)

// Near-match rules (Plan).
const (
	// idDays is how far apart a row and a stored transaction with its id
	// may be booked and still be one (store's rule for reused ids).
	idDays = 7
	// nearDays is how far apart a row and a stored transaction of the same
	// amount and description may be and still want a person's look.
	nearDays = 3
)

// Review is a row left out because it looks like a stored transaction
// without being surely the same one.
type Review struct {
	Row    store.Transaction
	Stored store.Transaction
	Why    string // a sentence's end: "same amount and description, 2 days apart"
}

// Plan is what an import of rows into an account would do.
type Plan struct {
	Add        []store.Transaction
	Duplicates int // rows the account holds already
	Review     []Review
}

// MakePlan decides, for rows of a file meant for an account, which it
// holds already (stored: its transactions around the rows' days, booked,
// pending and removed), which look like ones it holds (Review), and which
// are new (Add). Each stored transaction answers for one row at most:
//
//  1. by id: the row's ID is a stored transaction's key, normalised or
//     provider id (a bank's own FITID, or Bankdesk's export's), in the
//     same direction and at most 7 days apart;
//  2. by content: the same day, amount and description (normalised: case
//     and runs of spaces do not count);
//  3. near: the same amount and description up to 3 days apart, or the
//     same day and amount with another description: for review, never
//     added silently.
func MakePlan(rows, stored []store.Transaction) Plan {
	claimed := make([]bool, len(stored))
	byID := map[string][]int{}
	type content struct {
		day    bankday.Day
		amount string
		text   string
	}
	byContent := map[content][]int{}
	for i, s := range stored {
		for _, id := range []string{s.Key, s.NormalisedProviderID, s.ProviderTransactionID} {
			if id != "" {
				byID[id] = append(byID[id], i)
			}
		}
		c := content{s.Day(), s.Amount.String(), Normalise(s.Description)}
		byContent[c] = append(byContent[c], i)
	}
	take := func(cands []int, ok func(store.Transaction) bool) bool {
		for _, i := range cands {
			if !claimed[i] && ok(stored[i]) {
				claimed[i] = true
				return true
			}
		}
		return false
	}
	var p Plan
	left := make([]store.Transaction, 0, len(rows))
	for _, r := range rows {
		if id := r.ProviderTransactionID; id != "" {
			if take(byID[id], func(s store.Transaction) bool { return s.Type == r.Type && abs(s.Day().Sub(r.Day())) <= idDays }) {
				p.Duplicates++
				continue
			}
		}
		left = append(left, r)
	}
	rest := left[:0:0]
	for _, r := range left {
		if take(byContent[content{r.Day(), r.Amount.String(), Normalise(r.Description)}], func(store.Transaction) bool { return true }) {
			p.Duplicates++
			continue
		}
		rest = append(rest, r)
	}
	for _, r := range rest {
		if rv, ok := near(r, stored, claimed); ok {
			p.Review = append(p.Review, rv)
			continue
		}
		p.Add = append(p.Add, r)
	}
	return p
}

// near finds an unclaimed stored transaction r looks like (and claims it).
func near(r store.Transaction, stored []store.Transaction, claimed []bool) (Review, bool) {
	text := Normalise(r.Description)
	for i, s := range stored {
		if claimed[i] || !s.Amount.Equal(r.Amount) {
			continue
		}
		days := abs(s.Day().Sub(r.Day()))
		same := Normalise(s.Description) == text
		switch {
		case same && days <= nearDays:
			claimed[i] = true
			return Review{Row: r, Stored: s, Why: "the same amount and description, " + daysApart(days)}, true
		case !same && days == 0:
			claimed[i] = true
			return Review{Row: r, Stored: s, Why: "the same day and amount, another description"}, true
		}
	}
	return Review{}, false
}

func daysApart(n int) string {
	if n == 1 {
		return "1 day apart"
	}
	return strconv.Itoa(n) + " days apart"
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// Normalise is a description as dedupe compares it: case folded, runs of
// spaces one space, ends trimmed.
func Normalise(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}
