// Package position owns what a stored balance means to the person: money
// they have, or money they owe. Every figure that shows or exports a
// balance (the Overview's tiles and net position, `bankdesk connect`'s
// account list, OFX's LEDGERBAL) asks Of, so a card's debt reads as a debt
// everywhere.
package position

import (
	"sort"

	"github.com/shopspring/decimal"

	"bankdesk/backend/store"
)

// Of is an account's current balance, as its bank reports it, as the
// person's money: negative when they owe it. A card's balance is what is
// owed on it (in the Data API's card balance examples,
// backend/internal/openapi/data-api-v1.json, available = credit_limit −
// current), so it is negated; an account's balance is signed already
// (negative when overdrawn).
func Of(kind string, current decimal.Decimal) decimal.Decimal {
	if kind == store.KindCard {
		return current.Neg()
	}
	return current
}

// Owes reports whether an account of kind lends the person money, so its
// available amount is the credit left rather than money held.
func Owes(kind string) bool { return kind == store.KindCard }

// Balance is one account's balance as Of gives it, in its currency.
type Balance struct {
	Currency string
	Amount   decimal.Decimal // negative: owed
}

// Net is what the person has less what they owe, in one currency. Amounts
// in different currencies are never added together.
type Net struct {
	Currency string
	Assets   decimal.Decimal // the balances they have, summed: zero or more
	Debts    decimal.Decimal // what they owe, summed: zero or less
	Accounts int             // the balances counted
}

// Net is Assets + Debts.
func (n Net) Net() decimal.Decimal { return n.Assets.Add(n.Debts) }

// Sum is the net position per currency, ordered by currency code.
func Sum(balances []Balance) []Net {
	by := map[string]*Net{}
	for _, b := range balances {
		n := by[b.Currency]
		if n == nil {
			n = &Net{Currency: b.Currency}
			by[b.Currency] = n
		}
		n.Accounts++
		if b.Amount.IsNegative() {
			n.Debts = n.Debts.Add(b.Amount)
		} else {
			n.Assets = n.Assets.Add(b.Amount)
		}
	}
	out := make([]Net, 0, len(by))
	for _, n := range by {
		out = append(out, *n)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Currency < out[j].Currency })
	return out
}
