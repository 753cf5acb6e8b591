// Package ledger keeps every stored transaction decrypted in memory, newest
// first, so the UI can page, filter, search and total 100,000 rows in
// milliseconds without going back to the encrypted store for each keystroke.
// The store stays the source of truth: Reload after each sync.
package ledger

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/shopspring/decimal"

	"bankdesk/backend/bankday"
	"bankdesk/backend/query"
	"bankdesk/backend/store"
	"bankdesk/backend/txread"
)

// Row is one transaction with what the list shows next to it.
type Row struct {
	store.Transaction
	AccountName string
	ProviderID  string

	CategoryName string // the category a person sees (EffectiveCategory)
	Flow         Flow   // income, spending or a transfer (FlowOf)

	day   bankday.Day // the booking day, the bank's (Transaction.Day)
	text  string      // lower-cased haystack for search
	minor int64       // amount in hundredths, when exact (fast totals)
	exact bool
}

// Ledger is safe for concurrent use.
type Ledger struct {
	mu   sync.RWMutex
	rows []Row // the one order (txread.Sort), newest first
}

// Load reads every account's booked and pending transactions.
func Load(s *store.Store) (*Ledger, error) {
	l := &Ledger{}
	return l, l.Reload(s)
}

// Reload replaces the in-memory copy with the store's contents.
func (l *Ledger) Reload(s *store.Store) error {
	accts, err := s.Accounts()
	if err != nil {
		return fmt.Errorf("ledger: read accounts: %w", err)
	}
	var rows []Row
	for _, a := range accts {
		add := func(t store.Transaction) error {
			rows = append(rows, newRow(t, a))
			return nil
		}
		if err := s.Transactions(a.ID, 0, 0, add); err != nil {
			return fmt.Errorf("ledger: read transactions of %s: %w", a.ID, err)
		}
		pending, err := s.Pending(a.ID)
		if err != nil {
			return fmt.Errorf("ledger: read pending of %s: %w", a.ID, err)
		}
		for _, t := range pending {
			t.Status = store.TxPending
			_ = add(t) // add never fails
		}
	}
	txread.Sort(rows, func(r *Row) *store.Transaction { return &r.Transaction }, accts)
	slices.Reverse(rows) // newest first
	l.mu.Lock()
	l.rows = rows
	l.mu.Unlock()
	return nil
}

func newRow(t store.Transaction, a store.Account) Row {
	r := Row{Transaction: t, AccountName: a.DisplayName, ProviderID: a.ProviderID, CategoryName: EffectiveCategory(&t), Flow: FlowOf(&t), day: t.Day()}
	r.text = haystack(&t, r.CategoryName, a.DisplayName)
	if shifted := t.Amount.Shift(2); shifted.IsInteger() && shifted.Abs().LessThan(maxMinor) {
		r.minor, r.exact = shifted.IntPart(), true
	}
	return r
}

var maxMinor = decimal.New(1, 15)

// hidden says the person (or a rule of theirs) hid the row.
func (r *Row) hidden() bool {
	return r.User != nil && r.User.Hidden || r.Ruled != nil && r.Ruled.Hidden
}

// haystack is what a search looks in: the texts a row shows, lower-cased.
func haystack(t *store.Transaction, categoryName, accountName string) string {
	return strings.ToLower(strings.Join([]string{t.Description, t.Merchant, t.Category, categoryName, strings.Join(t.Classification, " "), accountName, t.Amount.String(), userText(t)}, "\x00"))
}

// Filter is the list's category and search: one rule for what the list
// shows (Query) and what an export of the same filter writes (Keep).
type Filter struct {
	Category string // the category name (EffectiveCategory), or a transaction_category
	// Search is in the search language (backend/query): words and phrases
	// found in the description, merchant, category, account, amount and
	// the person's note, payee name and tags, and fields (amount:>20).
	Search string
}

// IsZero says the filter keeps everything.
func (f Filter) IsZero() bool { return f.Category == "" && strings.TrimSpace(f.Search) == "" }

// Check says whether the search is well formed: a *query.Error, with
// what and where, for the search field to show.
func (f Filter) Check() error {
	_, err := query.Parse(f.Search)
	return err
}

// match is the filter over a row's category name, transaction_category
// and search subject. A search that does not parse (someone halfway
// through typing "amount:>") is looked for as it is written, as one
// phrase, rather than hiding every row; Check tells why.
func (f Filter) match() filterMatch {
	q, err := query.Parse(f.Search)
	if err != nil {
		q = query.Phrase(f.Search)
	}
	return filterMatch{category: f.Category, q: q}
}

// filterMatch is a Filter ready to test rows: a type, not a closure, so
// that the Subject a row lends it stays on the stack.
type filterMatch struct {
	category string
	q        query.Query
}

func (m *filterMatch) ok(categoryName, category string, s *query.Subject) bool {
	if m.category != "" && categoryName != m.category && category != m.category {
		return false
	}
	return m.q.Match(s)
}

// Keep is the filter as a test of a stored transaction, given the names
// of the accounts (by id) a search may match: what an export keeps.
func (f Filter) Keep(accountNames map[string]string) func(store.Transaction) bool {
	match := f.match()
	return func(t store.Transaction) bool {
		r := newRow(t, store.Account{ID: t.AccountID, DisplayName: accountNames[t.AccountID]})
		s := r.subject()
		return match.ok(r.CategoryName, t.Category, &s)
	}
}

// subject is what a search tests of r.
func (r *Row) subject() query.Subject {
	s := query.Subject{
		Text: r.text, Merchant: r.Merchant, Account: r.AccountName, Category: r.CategoryName,
		Amount: r.Amount, Minor: r.minor, Exact: r.exact, Day: r.day, Pending: r.Status == store.TxPending,
	}
	if r.User != nil || r.Ruled != nil {
		s.Tags = r.Fields().Tags // the person's, else their rules'
	}
	switch r.Flow {
	case In:
		s.Flow = query.FlowIncome
	case Out:
		s.Flow = query.FlowSpending
	case Transfer:
		s.Flow = query.FlowTransfer
	}
	return s
}

// Len is the number of transactions held.
func (l *Ledger) Len() int {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return len(l.rows)
}

// Query selects transactions. Zero fields do not filter.
type Query struct {
	AccountIDs []string
	From, To   bankday.Day // booking days (the bank's), inclusive
	Category   string      // see Filter
	Search     string      // see Filter
	Status     string      // store.TxBooked, store.TxPending, store.TxRemoved or ""
	Offset     int
	Limit      int // 0 = 200
	// IncludeHidden lists the rows the person hid too (store.UserFields.
	// Hidden). Hidden or not, every matching row is in the totals.
	IncludeHidden bool
}

// Totals are the selection's money per currency, exact, by the one rule
// the Spending charts follow too (FlowOf, Counted): income, spending and
// transfers apart, booked rows only. Pending rows are listed and summed
// apart; bookings the bank removed are listed but not totalled; rows the
// person hid are totalled but not listed (Page.Hidden).
type Totals struct {
	Currency     string
	In           decimal.Decimal // income: zero or more
	Out          decimal.Decimal // spending: zero or less
	TransfersIn  decimal.Decimal // transfers into the selected accounts: zero or more
	TransfersOut decimal.Decimal // transfers out of them: zero or less
	Count        int             // booked rows totalled
	Pending      decimal.Decimal // the pending rows' amounts, summed
	PendingCount int
}

// Page is one screenful of a query.
type Page struct {
	Rows   []Row
	Total  int // rows matching, over all pages
	Totals []Totals
	// Months counts the matching rows per booking month, newest first, in
	// the list's order: what the list's month separators are laid out by.
	Months []MonthCount
	// Hidden counts the matching rows the person hid, left out of Rows,
	// Total and Months (but not Totals) unless Query.IncludeHidden.
	Hidden int
}

// MonthCount is how many rows of a selection a month holds.
type MonthCount struct {
	Month string // YYYY-MM
	Count int
}

// Query returns the page of q and totals over every matching row.
func (l *Ledger) Query(q Query) Page {
	match := q.matcher()
	limit := q.Limit
	if limit <= 0 {
		limit = 200
	}
	l.mu.RLock()
	defer l.mu.RUnlock()
	var p Page
	month := 0 // the YYYYMM of p.Months' last
	acc := newTotaller()
	for i := range l.rows {
		r := &l.rows[i]
		if !match(r) {
			continue
		}
		if r.hidden() && !q.IncludeHidden {
			// Tidied out of the list, never out of the money.
			p.Hidden++
			acc.add(r)
			continue
		}
		if p.Total >= q.Offset && len(p.Rows) < limit {
			p.Rows = append(p.Rows, *r)
		}
		p.Total++
		acc.add(r)
		// A month is named once, when the list enters it (YYYYMM compares
		// without formatting every row's day).
		if ym := int(r.day) / 100; len(p.Months) == 0 || ym != month {
			p.Months = append(p.Months, MonthCount{Month: r.day.YearMonth()})
			month = ym
		}
		p.Months[len(p.Months)-1].Count++
	}
	p.Totals = acc.result()
	return p
}

// Find is the transaction of an account under its dedupe key.
func (l *Ledger) Find(accountID, key string) (Row, bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	for i := range l.rows {
		if l.rows[i].Key == key && l.rows[i].AccountID == accountID {
			return l.rows[i], true
		}
	}
	return Row{}, false
}

func (q Query) matcher() func(*Row) bool {
	accounts := map[string]bool{}
	for _, id := range q.AccountIDs {
		accounts[id] = true
	}
	text := Filter{Category: q.Category, Search: q.Search}.match()
	return func(r *Row) bool {
		if len(accounts) > 0 && !accounts[r.AccountID] {
			return false
		}
		if q.Status != "" && r.Status != q.Status {
			return false
		}
		if !r.day.Within(q.From, q.To) {
			return false
		}
		s := r.subject()
		return text.ok(r.CategoryName, r.Category, &s)
	}
}

// totaller sums in hundredths while every amount is exact at that scale,
// which is every real amount; anything finer falls back to decimal.
type totaller struct {
	byCur map[string]*sum
	order []string
}

// Where a row's amount goes in its currency's sum.
const (
	slotIn = iota
	slotOut
	slotTransferIn
	slotTransferOut
	slotPending
	slots
)

type sum struct {
	minor   [slots]int64
	dec     [slots]decimal.Decimal
	count   int
	pending int
}

func newTotaller() *totaller { return &totaller{byCur: map[string]*sum{}} }

func (t *totaller) add(r *Row) {
	var slot int
	switch {
	case r.Status == store.TxPending:
		slot = slotPending
	case !Counted(&r.Transaction):
		return
	case r.Flow == Transfer && r.Amount.IsNegative():
		slot = slotTransferOut
	case r.Flow == Transfer:
		slot = slotTransferIn
	case r.Flow == Out:
		slot = slotOut
	default:
		slot = slotIn
	}
	s := t.byCur[r.Currency]
	if s == nil {
		s = &sum{}
		t.byCur[r.Currency] = s
		t.order = append(t.order, r.Currency)
	}
	if slot == slotPending {
		s.pending++
	} else {
		s.count++
	}
	if r.exact {
		s.minor[slot] += r.minor
	} else {
		s.dec[slot] = s.dec[slot].Add(r.Amount)
	}
}

func (t *totaller) result() []Totals {
	sort.Strings(t.order)
	out := make([]Totals, 0, len(t.order))
	for _, c := range t.order {
		s := t.byCur[c]
		v := func(slot int) decimal.Decimal { return decimal.New(s.minor[slot], -2).Add(s.dec[slot]) }
		out = append(out, Totals{
			Currency: c, In: v(slotIn), Out: v(slotOut), TransfersIn: v(slotTransferIn), TransfersOut: v(slotTransferOut),
			Count: s.count, Pending: v(slotPending), PendingCount: s.pending,
		})
	}
	return out
}

// Rows are every row held, in the list's order (a copy).
func (l *Ledger) Rows() []Row {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return slices.Clone(l.rows)
}
