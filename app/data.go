package app

import (
	"fmt"
	"time"

	"bankdesk/backend/bankday"
	"bankdesk/backend/desk"
	"bankdesk/backend/ledger"
	"bankdesk/backend/store"
)

// TxFilter is what the transactions screen asks for. Dates are YYYY-MM-DD.
type TxFilter struct {
	AccountIDs []string `json:"accountIds"`
	From       string   `json:"from"`
	To         string   `json:"to"`
	Category   string   `json:"category"`
	Status     string   `json:"status"` // "", booked or pending
	Search     string   `json:"search"`
	Offset     int      `json:"offset"`
	Limit      int      `json:"limit"`
}

// TxRow is one line of the list: exact decimal strings, signed amounts.
type TxRow struct {
	ID             string   `json:"id"`
	AccountID      string   `json:"account_id"`
	AccountName    string   `json:"account_name"`
	BookingDate    string   `json:"booking_date"` // the bank's day: what the list shows and groups by
	BookedAt       string   `json:"booked_at"`    // RFC 3339 with the bank's offset
	Description    string   `json:"description"`
	Merchant       string   `json:"merchant"`
	Category       string   `json:"category"`
	Classification []string `json:"classification"`
	Amount         string   `json:"amount"`
	Currency       string   `json:"currency"`
	Type           string   `json:"type"`
	Status         string   `json:"status"`
	RunningBalance string   `json:"running_balance,omitempty"`
}

// TxTotals sums the whole selection, not just the page.
type TxTotals struct {
	Currency string `json:"currency"`
	In       string `json:"in"`
	Out      string `json:"out"`
	Count    int    `json:"count"`
}

// TxPage is one page of the selection and its totals.
type TxPage struct {
	Rows   []TxRow    `json:"rows"`
	Total  int        `json:"total"`
	Totals []TxTotals `json:"totals"`
}

func (f TxFilter) query() (ledger.Query, error) {
	q := ledger.Query{AccountIDs: f.AccountIDs, Category: f.Category, Status: f.Status, Search: f.Search, Offset: f.Offset, Limit: f.Limit}
	var err error
	if q.From, err = parseDay(f.From, "from"); err != nil {
		return q, err
	}
	if q.To, err = parseDay(f.To, "to"); err != nil {
		return q, err
	}
	if q.Status != "" && q.Status != store.TxBooked && q.Status != store.TxPending && q.Status != store.TxRemoved {
		return q, fmt.Errorf("unknown status %q", q.Status)
	}
	if q.Limit > 1000 {
		q.Limit = 1000
	}
	return q, nil
}

func parseDay(s, what string) (bankday.Day, error) {
	if s == "" {
		return 0, nil
	}
	d, err := bankday.Parse(s)
	if err != nil {
		return 0, fmt.Errorf("%s date %q: want YYYY-MM-DD", what, s)
	}
	return d, nil
}

// Transactions pages through stored transactions, newest first.
func (a *App) Transactions(f TxFilter) (TxPage, error) {
	l, err := a.ledger()
	if err != nil {
		return TxPage{}, err
	}
	q, err := f.query()
	if err != nil {
		return TxPage{}, err
	}
	p := l.Query(q)
	out := TxPage{Rows: make([]TxRow, 0, len(p.Rows)), Total: p.Total, Totals: []TxTotals{}}
	for _, r := range p.Rows {
		row := TxRow{
			ID: r.Key, AccountID: r.AccountID, AccountName: r.AccountName, BookingDate: r.Day().String(), BookedAt: r.BookedAt.Format(time.RFC3339),
			Description: r.Description, Merchant: r.Merchant, Category: r.Category, Classification: append([]string{}, r.Classification...),
			Amount: r.Amount.String(), Currency: r.Currency, Type: r.Type, Status: r.Status,
		}
		if r.RunningBalance != nil {
			row.RunningBalance = r.RunningBalance.String()
		}
		out.Rows = append(out.Rows, row)
	}
	for _, t := range p.Totals {
		out.Totals = append(out.Totals, TxTotals{Currency: t.Currency, In: t.In.String(), Out: t.Out.String(), Count: t.Count})
	}
	return out, nil
}

// Spending is the charts' data for a filter (paging ignored).
func (a *App) Spending(f TxFilter) (ledger.Spending, error) {
	l, err := a.ledger()
	if err != nil {
		return ledger.Spending{}, err
	}
	q, err := f.query()
	if err != nil {
		return ledger.Spending{}, err
	}
	s := l.Spending(q)
	if s.Months == nil {
		s.Months = []ledger.Month{}
	}
	if s.Categories == nil {
		s.Categories = []ledger.Category{}
	}
	return s, nil
}

// Categories lists the spending categories present, for the filter.
func (a *App) Categories() ([]string, error) {
	l, err := a.ledger()
	if err != nil {
		return nil, err
	}
	return l.Categories(), nil
}

// ledger loads the in-memory index on first use; syncs reload it.
func (a *App) ledger() (*ledger.Ledger, error) {
	d, err := a.backend()
	if err != nil {
		return nil, err
	}
	a.ledgerMu.Lock()
	defer a.ledgerMu.Unlock()
	if a.ledgerIdx == nil {
		l, err := ledger.Load(d.Store())
		if err != nil {
			return nil, err
		}
		a.ledgerIdx = l
		a.tellDamage(d)
	}
	return a.ledgerIdx, nil
}

// tellDamage refreshes the screens when reading met records that do not
// read (or a sync healed some): their banner counts them.
func (a *App) tellDamage(d *desk.Desk) {
	n := len(d.Damaged())
	a.mu.Lock()
	changed := n != a.damageSeen
	a.damageSeen = n
	a.mu.Unlock()
	if changed {
		a.runtime().EventsEmit(EventDataChanged)
	}
}

// reloadLedger refreshes the index after the store changed.
func (a *App) reloadLedger() error {
	d, err := a.backend()
	if err != nil {
		return err
	}
	a.ledgerMu.Lock()
	l := a.ledgerIdx
	a.ledgerMu.Unlock()
	if l == nil {
		return nil // loaded fresh on next use
	}
	err = l.Reload(d.Store())
	a.tellDamage(d)
	return err
}
