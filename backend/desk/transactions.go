package desk

import (
	"time"

	"bankdesk/backend/bankday"
	"bankdesk/backend/ledger"
	"bankdesk/backend/money"
	"bankdesk/backend/store"
	"bankdesk/backend/txread"
	"bankdesk/backend/view"
)

// TxQuery selects transactions. From and To are booking days (the bank's,
// see bankday), both included; zero leaves that end open. An empty
// AccountID means every account. Bookings the bank removed are left out
// unless IncludeRemoved.
type TxQuery struct {
	AccountID      string
	From, To       bankday.Day
	IncludePending bool
	IncludeRemoved bool
	Query          string // the search language (backend/query), as the list's search
}

// Transactions reads transactions from the store only, so it works
// offline, in the one read model's order (txread.Sort: oldest first),
// as the window's rows (`bankdesk transactions --json` prints them).
func (d *Desk) Transactions(q TxQuery) ([]view.TxRow, error) {
	sel := txread.Selection{From: q.From, To: q.To, IncludePending: q.IncludePending, IncludeRemoved: q.IncludeRemoved}
	if q.AccountID != "" {
		sel.Accounts = []string{q.AccountID}
	}
	accts, err := txread.Accounts(d.store, sel.Accounts)
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(accts))
	for _, a := range accts {
		names[a.ID] = a.DisplayName
	}
	keep := func(store.Transaction) bool { return true }
	if f := (ledger.Filter{Search: q.Query}); q.Query != "" {
		if err := f.Check(); err != nil {
			return nil, err
		}
		keep = f.Keep(names) // the names read above: no second read of the accounts
	}
	out := []view.TxRow{}
	for t, err := range txread.Rows(d.store, accts, sel) {
		if err != nil {
			return nil, err
		}
		if !keep(t) {
			continue
		}
		out = append(out, txRow(t, names[t.AccountID]))
	}
	return out, nil
}

// txRow is a transaction as every list shows it: the window's pages and
// `bankdesk transactions --json` alike.
func txRow(t store.Transaction, accountName string) view.TxRow {
	u := t.Fields()
	row := view.TxRow{
		ID: t.Key, AccountID: t.AccountID, AccountName: accountName, BookingDate: t.Day().String(), BookedAt: t.BookedAt.Format(time.RFC3339),
		Description: t.Description, Merchant: t.Merchant, Category: ledger.EffectiveCategory(&t), BankCategory: ledger.CategoryName(&t),
		TransactionCategory: t.Category, Classification: append([]string{}, t.Classification...), Transfer: ledger.FlowOf(&t) == ledger.Transfer,
		Amount: money.String(t.Amount), Currency: t.Currency, Type: t.Type, Status: t.Status,
		Note: u.Note, Tags: append([]string{}, u.Tags...), Payee: u.Payee, Hidden: u.Hidden,
	}
	if t.RunningBalance != nil {
		row.RunningBalance = money.String(*t.RunningBalance)
	}
	if l := u.TransferWith; l != nil {
		row.TransferWith, row.TransferWithAccountID = &l.Key, l.AccountID
	}
	return row
}
