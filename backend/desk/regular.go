package desk

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"bankdesk/backend/bankdata"
	"bankdesk/backend/bankday"
	"bankdesk/backend/money"
	"bankdesk/backend/store"
	"bankdesk/backend/syncer"
	"bankdesk/backend/view"
)

// openEnded is the final payment year banks give an order that runs until
// cancelled (9999-12-31, https://docs.truelayer.com/docs/standing-orders).
const openEnded = 9999

// RegularPayments is an account's standing orders and direct debits as
// last synced, for the "Upcoming and regular payments" screen. Offline.
func (d *Desk) RegularPayments(accountID string) (view.RegularPayments, error) {
	a, err := d.store.Account(accountID)
	if err != nil {
		return view.RegularPayments{}, fmt.Errorf("read account: %w", err)
	}
	orders, err := d.store.StandingOrders(accountID)
	if err != nil {
		return view.RegularPayments{}, fmt.Errorf("read standing orders of %s: %w", accountID, err)
	}
	debits, err := d.store.DirectDebits(accountID)
	if err != nil {
		return view.RegularPayments{}, fmt.Errorf("read direct debits of %s: %w", accountID, err)
	}
	st, err := syncer.ReadState(d.store, accountID)
	if err != nil {
		return view.RegularPayments{}, fmt.Errorf("read sync state of %s: %w", accountID, err)
	}
	// The store keeps these instants in UTC; their day is the bank's.
	loc := bankday.Zone(bankday.Country(a.ProviderID, d.providerCountry(a.ProviderID)))
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return bankday.In(t, loc).String()
	}
	out := view.RegularPayments{
		AccountID: a.ID, AccountName: a.DisplayName, Currency: a.Currency, UpdatedAt: RFC3339(st.LastSyncAt),
		StandingOrders: make([]view.StandingOrderView, 0, len(orders)), DirectDebits: make([]view.DirectDebitView, 0, len(debits)),
	}
	slices.SortStableFunc(orders, func(x, y store.StandingOrder) int {
		return cmp.Or(x.NextPaymentDate.Compare(y.NextPaymentDate), strings.Compare(x.Payee, y.Payee))
	})
	for _, o := range orders {
		v := view.StandingOrderView{
			Payee: o.Payee, Reference: o.Reference, Frequency: bankdata.Frequency(o.Frequency), Status: o.Status,
			NextDate: day(o.NextPaymentDate), NextAmount: amount(o.NextPaymentAmount), Currency: cmp.Or(o.Currency, a.Currency),
		}
		if !o.FinalPaymentDate.IsZero() && o.FinalPaymentDate.In(loc).Year() < openEnded {
			v.FinalDate = day(o.FinalPaymentDate)
		}
		out.StandingOrders = append(out.StandingOrders, v)
	}
	slices.SortStableFunc(debits, func(x, y store.DirectDebit) int { return strings.Compare(x.Name, y.Name) })
	for _, dd := range debits {
		out.DirectDebits = append(out.DirectDebits, view.DirectDebitView{
			Name: dd.Name, Status: dd.Status, LastDate: day(dd.PreviousPaymentAt), LastAmount: amount(dd.PreviousPaymentAmount),
			Currency: cmp.Or(dd.Currency, a.Currency),
		})
	}
	return out, nil
}

// amount is an optional amount as an exact money string, "" when none.
func amount(a *decimal.Decimal) string {
	if a == nil {
		return ""
	}
	return money.String(*a)
}
