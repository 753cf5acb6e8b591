package desk

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	"bankdesk/backend/bankday"
	"bankdesk/backend/ledger"
	"bankdesk/backend/money"
	"bankdesk/backend/query"
	"bankdesk/backend/store"
	"bankdesk/backend/view"
)

// pageLimit is the most rows one page may hold.
const pageLimit = 1000

// ledger is the in-memory index the screens query, loaded on first use
// and reloaded after every change to the store that the desk makes.
func (d *Desk) ledger() (*ledger.Ledger, error) {
	d.ledgerMu.Lock()
	l, loaded := d.ledgerIdx, false
	if l == nil {
		var err error
		if l, err = ledger.Load(d.store); err != nil {
			d.ledgerMu.Unlock()
			return nil, err
		}
		d.ledgerIdx, loaded = l, true
	}
	d.ledgerMu.Unlock()
	if loaded {
		d.tellDamage()
	}
	return l, nil
}

// reloadLedger refreshes the index, if loaded, after the store changed.
func (d *Desk) reloadLedger() {
	d.ledgerMu.Lock()
	l := d.ledgerIdx
	d.ledgerMu.Unlock()
	if l == nil {
		return // loaded fresh on next use
	}
	if err := l.Reload(d.store); err != nil {
		d.log.Warn("reload the transactions index", "err", err)
	}
	d.tellDamage()
}

// tellDamage tells the Sink when reading met records that do not read (or
// a sync healed some): the screens' banner counts them.
func (d *Desk) tellDamage() {
	n := len(d.Damaged())
	d.ledgerMu.Lock()
	changed := n != d.damageSeen
	d.damageSeen = n
	d.ledgerMu.Unlock()
	if changed {
		d.sink.DataChanged()
	}
}

// ParseDay reads a YYYY-MM-DD booking day; "" is no limit. what names the
// field in the error.
func ParseDay(s, what string) (bankday.Day, error) {
	if s == "" {
		return 0, nil
	}
	day, err := bankday.Parse(s)
	if err != nil {
		return 0, fmt.Errorf("%s date %q: want YYYY-MM-DD", what, s)
	}
	return day, nil
}

// maxPeriodMonths bounds a filter's Months: a century is more than any
// bank keeps.
const maxPeriodMonths = 1200

func (d *Desk) ledgerQuery(f view.TxFilter) (ledger.Query, error) {
	q := ledger.Query{AccountIDs: f.AccountIDs, Category: f.Category, Status: f.Status, Search: f.Search, Offset: f.Offset, Limit: min(f.Limit, pageLimit),
		IncludeHidden: f.IncludeHidden}
	var err error
	if q.From, err = ParseDay(f.From, "from"); err != nil {
		return q, err
	}
	if q.To, err = ParseDay(f.To, "to"); err != nil {
		return q, err
	}
	switch {
	case f.Months < 0 || f.Months > maxPeriodMonths:
		return q, fmt.Errorf("a period of %d months: want 1 to %d", f.Months, maxPeriodMonths)
	case f.Months > 0:
		today, err := d.today(f.AccountIDs)
		if err != nil {
			return q, err
		}
		q.From, q.To = ledger.Period(today, f.Months)
	}
	switch q.Status {
	case "", store.TxBooked, store.TxPending, store.TxRemoved:
	default:
		return q, fmt.Errorf("unknown status %q", q.Status)
	}
	return q, nil
}

// today is the bank's current day for the accounts (every account when
// none are named): the latest of their banks' days, so a period up to today
// holds everything booked so far.
func (d *Desk) today(accountIDs []string) (bankday.Day, error) {
	accts, err := d.store.Accounts()
	if err != nil {
		return 0, fmt.Errorf("read accounts: %w", err)
	}
	now := d.now()
	today := bankday.Today(now, bankday.London) // no account yet: Bankdesk's banks are British
	zones := map[string]bool{}
	for _, a := range accts {
		if len(accountIDs) > 0 && !slices.Contains(accountIDs, a.ID) || zones[a.ProviderID] {
			continue
		}
		zones[a.ProviderID] = true
		day := bankday.Today(now, bankday.Zone(bankday.Country(a.ProviderID, d.providerCountry(a.ProviderID))))
		if len(zones) == 1 || day > today {
			today = day
		}
	}
	return today, nil
}

// query is the index and the filter as its query.
func (d *Desk) query(f view.TxFilter) (*ledger.Ledger, ledger.Query, error) {
	q, err := d.ledgerQuery(f)
	if err != nil {
		return nil, q, err
	}
	l, err := d.ledger()
	return l, q, err
}

// TransactionPage is one page of the stored transactions a filter selects,
// newest first, with totals over the whole selection (ledger.Totals: the
// rule Spending follows too). Offline.
func (d *Desk) TransactionPage(f view.TxFilter) (view.TxPage, error) {
	l, q, err := d.query(f)
	if err != nil {
		return view.TxPage{}, err
	}
	p := l.Query(q)
	out := view.TxPage{Rows: make([]view.TxRow, 0, len(p.Rows)), Total: p.Total, Totals: []view.TxTotals{}, From: q.From.String(), To: q.To.String(),
		Months: make([]view.TxMonth, 0, len(p.Months)), Hidden: p.Hidden}
	var qe *query.Error
	if errors.As(ledger.Filter{Search: f.Search}.Check(), &qe) {
		out.SearchProblem = qe.Sentence()
	}
	for _, r := range p.Rows {
		out.Rows = append(out.Rows, txRow(r.Transaction, r.AccountName))
	}
	for _, m := range p.Months {
		out.Months = append(out.Months, view.TxMonth{Month: m.Month, Count: m.Count})
	}
	for _, t := range p.Totals {
		out.Totals = append(out.Totals, view.TxTotals{
			Currency: t.Currency, In: money.String(t.In), Out: money.String(t.Out),
			TransfersIn: money.String(t.TransfersIn), TransfersOut: money.String(t.TransfersOut),
			Transfers: money.String(t.TransfersIn.Add(t.TransfersOut)), Count: t.Count,
			Pending: money.String(t.Pending), PendingCount: t.PendingCount,
		})
	}
	return out, nil
}

// ErrNoTransaction is a detail asked for a transaction the store does not
// hold (any longer: a sync may have replaced the list the window shows).
var ErrNoTransaction = errors.New("this transaction is no longer stored")

// TransactionDetail is one stored transaction, by its account and dedupe
// key (TxRow's AccountID and ID), with every field the bank sent. Offline.
func (d *Desk) TransactionDetail(accountID, id string) (view.TxDetail, error) {
	l, err := d.ledger()
	if err != nil {
		return view.TxDetail{}, err
	}
	r, ok := l.Find(accountID, id)
	if !ok {
		return view.TxDetail{}, ErrNoTransaction
	}
	meta := make(map[string]string, len(r.Meta))
	maps.Copy(meta, r.Meta)
	return view.TxDetail{
		TxRow: txRow(r.Transaction, r.AccountName), ProviderID: r.ProviderID,
		NormalisedProviderTransactionID: r.NormalisedProviderID, ProviderTransactionID: r.ProviderTransactionID,
		TransactionID: r.TransactionID, Meta: meta,
	}, nil
}

// Spending is the charts' data for a filter (paging ignored), for the
// period it names (TxFilter.Months, or From and To). Offline.
func (d *Desk) Spending(f view.TxFilter) (view.Spending, error) {
	l, q, err := d.query(f)
	if err != nil {
		return view.Spending{}, err
	}
	today, err := d.today(f.AccountIDs)
	if err != nil {
		return view.Spending{}, err
	}
	s := l.Spending(q, today)
	out := view.Spending{From: s.From.String(), To: s.To.String(), Today: today.String(),
		Months: make([]view.Month, 0, len(s.Months)), Categories: make([]view.Category, 0, len(s.Categories)), Totals: make([]view.Total, 0, len(s.Totals))}
	for _, m := range s.Months {
		out.Months = append(out.Months, view.Month{Month: m.Month, Currency: m.Currency, In: money.String(m.In), Out: money.String(m.Out), Partial: m.Partial})
	}
	for _, c := range s.Categories {
		out.Categories = append(out.Categories, view.Category{Name: c.Name, Currency: c.Currency, Out: money.String(c.Out), Count: c.Count})
	}
	for _, t := range s.Totals {
		out.Totals = append(out.Totals, view.Total{Currency: t.Currency, In: money.String(t.In), Out: money.String(t.Out)})
	}
	return out, nil
}

// Categories lists the category names present, for the filter.
func (d *Desk) Categories() ([]string, error) {
	l, err := d.ledger()
	if err != nil {
		return nil, err
	}
	return l.Categories(), nil
}
