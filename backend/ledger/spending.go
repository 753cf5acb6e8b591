package ledger

import (
	"sort"

	"github.com/shopspring/decimal"

	"bankdesk/backend/bankday"
)

// Month is money in and out in one calendar month of one currency.
type Month struct {
	Month    string          `json:"month"` // YYYY-MM
	Currency string          `json:"currency"`
	In       decimal.Decimal `json:"in"`
	Out      decimal.Decimal `json:"out"` // positive: money spent
	// Partial says the figures cover only part of the month: the period
	// starts or ends inside it, or it is the current month (not over yet).
	Partial bool `json:"partial"`
}

// Category is money out in one spending category of one currency.
type Category struct {
	Name     string          `json:"name"` // CategoryName
	Currency string          `json:"currency"`
	Out      decimal.Decimal `json:"out"` // positive
	Count    int             `json:"count"`
}

// Total is money in and out over a whole period, in one currency.
type Total struct {
	Currency string
	In, Out  decimal.Decimal // Out positive: money spent
}

// Spending is what the charts show for a selection, by the bank's months,
// under the rule Query's totals follow (FlowOf, Counted): booked
// transactions only, and no transfers (moving money between one's own
// accounts or paying off a card is neither income nor spending). So a
// period's months add up to its categories, and both to the Transactions
// totals of the same filter.
type Spending struct {
	From, To   bankday.Day // the period charted: the query's days, or the data's when open
	Months     []Month     `json:"months"`
	Categories []Category  `json:"categories"`
	Totals     []Total     // the months' sums, per currency
}

// Period is the last months calendar months up to today (the bank's day):
// the first of the month months−1 before today's, through today.
func Period(today bankday.Day, months int) (from, to bankday.Day) {
	return today.MonthStart().AddMonths(1 - months), today
}

// Spending aggregates the counted rows matching q (paging fields ignored).
// Every month from q.From to q.To is listed for each currency seen, empty
// ones too (an open end is the data's first or last month); today, the
// bank's day, marks its month Partial.
func (l *Ledger) Spending(q Query, today bankday.Day) Spending {
	match := q.matcher()
	type key struct{ a, cur string }
	months := map[key]*Month{}
	cats := map[key]*Category{}
	currencies := map[string]bool{}
	s := Spending{From: q.From, To: q.To}
	var first, last bankday.Day
	l.mu.RLock()
	for i := range l.rows {
		r := &l.rows[i]
		if !Counted(&r.Transaction) || !match(r) {
			continue
		}
		currencies[r.Currency] = true
		if first == 0 || r.day < first {
			first = r.day
		}
		last = max(last, r.day)
		if r.Flow == Transfer {
			continue
		}
		mk := key{r.day.YearMonth(), r.Currency}
		m := months[mk]
		if m == nil {
			m = &Month{Month: mk.a, Currency: r.Currency}
			months[mk] = m
		}
		if r.Flow == Out {
			spent := r.Amount.Neg()
			m.Out = m.Out.Add(spent)
			ck := key{r.CategoryName, r.Currency}
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
	if s.From == 0 {
		s.From = first
	}
	if s.To == 0 {
		s.To = last
	}
	if s.From != 0 && s.To >= s.From {
		for cur := range currencies {
			for d := s.From.MonthStart(); d <= s.To; d = d.AddMonths(1) {
				mk := key{d.YearMonth(), cur}
				m := months[mk]
				if m == nil {
					m = &Month{Month: mk.a, Currency: cur}
				}
				end := d.AddMonths(1).AddDays(-1)
				m.Partial = d < s.From || end > s.To || (today != 0 && end >= today)
				s.Months = append(s.Months, *m)
			}
		}
	}
	totals := map[string]*Total{}
	for _, m := range s.Months {
		t := totals[m.Currency]
		if t == nil {
			t = &Total{Currency: m.Currency}
			totals[m.Currency] = t
		}
		t.In, t.Out = t.In.Add(m.In), t.Out.Add(m.Out)
	}
	for _, t := range totals {
		s.Totals = append(s.Totals, *t)
	}
	sort.Slice(s.Totals, func(i, j int) bool { return s.Totals[i].Currency < s.Totals[j].Currency })
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

// Categories lists the category names present, for the filter.
func (l *Ledger) Categories() []string {
	seen := map[string]bool{}
	l.mu.RLock()
	for i := range l.rows {
		seen[l.rows[i].CategoryName] = true
	}
	l.mu.RUnlock()
	out := make([]string, 0, len(seen))
	for c := range seen {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}
