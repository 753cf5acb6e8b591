package ledger

import (
	"sort"

	"github.com/shopspring/decimal"

	"bankdesk/backend/store"
)

// Month is money in and out in one calendar month of one currency.
type Month struct {
	Month    string          `json:"month"` // YYYY-MM
	Currency string          `json:"currency"`
	In       decimal.Decimal `json:"in"`
	Out      decimal.Decimal `json:"out"` // positive: money spent
}

// Category is money out in one spending category of one currency.
type Category struct {
	Name     string          `json:"name"`
	Currency string          `json:"currency"`
	Out      decimal.Decimal `json:"out"` // positive
	Count    int             `json:"count"`
}

// Spending is what the charts show for a selection, by the bank's months:
// booked transactions only (pending ones may still change, removed ones no
// longer count), and no transfers (TrueLayer's
// TRANSFER category): moving money between one's own accounts or paying off
// a card is neither income nor spending, and would count twice.
type Spending struct {
	Months     []Month    `json:"months"`
	Categories []Category `json:"categories"`
}

// Spending aggregates the booked rows matching q (paging fields ignored).
func (l *Ledger) Spending(q Query) Spending {
	q.Status = store.TxBooked
	match := q.matcher()
	type key struct{ a, cur string }
	months := map[key]*Month{}
	cats := map[key]*Category{}
	l.mu.RLock()
	for i := range l.rows {
		r := &l.rows[i]
		if !match(r) || r.Category == "TRANSFER" {
			continue
		}
		mk := key{r.day.YearMonth(), r.Currency}
		m := months[mk]
		if m == nil {
			m = &Month{Month: mk.a, Currency: r.Currency}
			months[mk] = m
		}
		if r.Amount.IsNegative() {
			spent := r.Amount.Neg()
			m.Out = m.Out.Add(spent)
			ck := key{categoryOf(r), r.Currency}
			c := cats[ck]
			if c == nil {
				c = &Category{Name: ck.a, Currency: r.Currency}
				cats[ck] = c
			}
			c.Out = c.Out.Add(spent)
			c.Count++
		} else {
			m.In = m.In.Add(r.Amount)
		}
	}
	l.mu.RUnlock()
	var s Spending
	for _, m := range months {
		s.Months = append(s.Months, *m)
	}
	sort.Slice(s.Months, func(i, j int) bool {
		if s.Months[i].Month != s.Months[j].Month {
			return s.Months[i].Month < s.Months[j].Month
		}
		return s.Months[i].Currency < s.Months[j].Currency
	})
	for _, c := range cats {
		s.Categories = append(s.Categories, *c)
	}
	sort.Slice(s.Categories, func(i, j int) bool {
		if !s.Categories[i].Out.Equal(s.Categories[j].Out) {
			return s.Categories[i].Out.GreaterThan(s.Categories[j].Out)
		}
		return s.Categories[i].Name < s.Categories[j].Name
	})
	return s
}

// categoryOf names a row's spending category: TrueLayer's classification
// when it has one ("Shopping"), else its transaction category ("ATM").
func categoryOf(r *Row) string {
	if len(r.Classification) > 0 && r.Classification[0] != "" {
		return r.Classification[0]
	}
	if r.Category != "" {
		return r.Category
	}
	return "Uncategorised"
}

// Categories lists the spending category names present, for the filter.
func (l *Ledger) Categories() []string {
	seen := map[string]bool{}
	l.mu.RLock()
	for i := range l.rows {
		seen[categoryOf(&l.rows[i])] = true
	}
	l.mu.RUnlock()
	out := make([]string, 0, len(seen))
	for c := range seen {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}
