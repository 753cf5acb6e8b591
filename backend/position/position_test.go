package position

import (
	"fmt"
	"testing"

	"github.com/shopspring/decimal"

	"bankdesk/backend/store"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// A card's balance is what is owed on it, so it counts against the person;
// an account's keeps its sign (an overdraft is negative already).
func TestACardBalanceIsOwed(t *testing.T) {
	for _, c := range []struct {
		kind, current, want string
		owes                bool
	}{
		{store.KindCard, "1247.25", "-1247.25", true},
		{store.KindCard, "-20.00", "20.00", true}, // a card in credit: money the person has
		{store.KindCard, "0", "0", true},
		{store.KindAccount, "12976.45", "12976.45", false},
		{store.KindAccount, "-50.10", "-50.10", false}, // overdrawn
	} {
		got := Of(c.kind, d(c.current))
		if !got.Equal(d(c.want)) || Owes(c.kind) != c.owes {
			t.Errorf("%s %s: %s (owes %v), want %s (owes %v)", c.kind, c.current, got, Owes(c.kind), c.want, c.owes)
		}
	}
}

// The net position is per currency, exact to the last digit, and never adds
// one currency to another.
func TestNetPositionPerCurrency(t *testing.T) {
	nets := Sum([]Balance{
		{Currency: "GBP", Amount: d("12976.45")},
		{Currency: "EUR", Amount: d("0.10")},
		{Currency: "GBP", Amount: Of(store.KindCard, d("1247.25"))},
		{Currency: "GBP", Amount: d("0.1")},
		{Currency: "EUR", Amount: d("0.2")},
		{Currency: "GBP", Amount: Of(store.KindAccount, d("-50.005"))},
		{Currency: "EUR", Amount: Of(store.KindCard, d("0.30"))},
	})
	var got []string
	for _, n := range nets {
		got = append(got, fmt.Sprintf("%s net %s assets %s debts %s of %d", n.Currency, n.Net(), n.Assets, n.Debts, n.Accounts))
	}
	// 0.1 + 0.2 − 0.3 is exactly zero here, as it is not in floating point.
	want := []string{"EUR net 0 assets 0.3 debts -0.3 of 3", "GBP net 11679.295 assets 12976.55 debts -1297.255 of 4"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("\n got %q\nwant %q", got, want)
	}
	if len(Sum(nil)) != 0 {
		t.Fatal("no balances, yet a position")
	}
}
