package txread

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"bankdesk/backend/bankday"
	"bankdesk/backend/internal/fixture"
	"bankdesk/backend/store"
)

// midnight is a London booking stamp of the kind banks send: T00:00:00.
var midnight = bankday.Date(2026, 7, 1).Midnight(bankday.London)

// booking is a booked row of an account at midnight of 1 July with its
// signed amount and running balance ("" for none).
func booking(account, key, amount, balance string) store.Transaction {
	t := store.Transaction{AccountID: account, Key: key, BookedAt: midnight, Amount: decimal.RequireFromString(amount),
		Currency: "GBP", Type: store.TypeCredit, Status: store.TxBooked}
	if t.Amount.IsNegative() {
		t.Type = store.TypeDebit
	}
	if balance != "" {
		b := decimal.RequireFromString(balance)
		t.RunningBalance = &b
	}
	return t
}

// keysOf is the rows' keys, space-separated.
func keysOf(rows []store.Transaction) string {
	out := ""
	for i, t := range rows {
		if i > 0 {
			out += " "
		}
		out += t.Key
	}
	return out
}

var accts = []store.Account{{ID: "cur", Kind: store.KindAccount}, {ID: "card", Kind: store.KindCard}, {ID: "sav", Kind: store.KindAccount}}

func sorted(rows ...store.Transaction) string {
	Sort(rows, func(t *store.Transaction) *store.Transaction { return t }, accts)
	return keysOf(rows)
}

// Within one account and one day, bookings whose running balances chain
// are listed in the order they chain (each the one before's plus its own
// amount); where the balances do not decide one order, the key order
// stays.
func TestSortChainsADaysBookingsByTheirBalances(t *testing.T) {
	for _, c := range []struct {
		name string
		rows []store.Transaction
		want string
	}{
		{"chained", []store.Transaction{
			booking("cur", "a", "-5.00", "85.00"), booking("cur", "b", "-10.00", "75"), booking("cur", "c", "-10", "90.00"),
		}, "c a b"},
		{"a card's balance is owed: a DEBIT raises it", []store.Transaction{
			booking("card", "a", "-5.00", "95.00"), booking("card", "b", "20.00", "80.00"), booking("card", "c", "-10", "90.00"),
		}, "b c a"},
		{"finer than pence", []store.Transaction{
			booking("cur", "a", "-0.0005", "1.0000"), booking("cur", "b", "1", "1.0005"),
		}, "b a"},
		{"too large for integers", []store.Transaction{
			booking("cur", "a", "-2", "123456789012345678900"), booking("cur", "b", "1", "123456789012345678902"),
		}, "b a"},
		{"a booking without a balance", []store.Transaction{
			booking("cur", "a", "-5.00", "85.00"), booking("cur", "b", "-10.00", ""), booking("cur", "c", "-10", "90.00"),
		}, "a b c"},
		{"a balance repeats: two orders chain", []store.Transaction{
			booking("cur", "a", "-10.00", "100.00"), booking("cur", "b", "10.00", "110.00"),
		}, "a b"},
		{"the same balance on every row", []store.Transaction{
			booking("cur", "a", "-10.00", "100.00"), booking("cur", "b", "-5.00", "100.00"),
		}, "a b"},
		{"figures that do not add up", []store.Transaction{
			booking("cur", "a", "-5.00", "85.00"), booking("cur", "b", "-10.00", "70.00"), booking("cur", "c", "-10", "90.00"),
		}, "a b c"},
		{"a zero amount", []store.Transaction{
			booking("cur", "a", "0.00", "90.00"), booking("cur", "b", "-10.00", "80.00"), booking("cur", "c", "-10", "90.00"),
		}, "a b c"},
		{"each account apart", []store.Transaction{
			booking("cur", "a", "-5.00", "85.00"), booking("sav", "b", "-10.00", "75"), booking("cur", "c", "-10", "90.00"), booking("sav", "d", "-10", "85"),
		}, "c a d b"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := sorted(c.rows...); got != c.want {
				t.Errorf("got %s, want %s", got, c.want)
			}
		})
	}
}

// A chained day's bookings take the places its bookings had in the key
// order: another account's rows between them, and the account's own
// pending and removed rows, stay where they were.
func TestSortKeepsThePlacesOfOtherRows(t *testing.T) {
	at := func(tx store.Transaction, hour int, status string) store.Transaction {
		tx.BookedAt, tx.Status = midnight.Add(time.Duration(hour)*time.Hour), status
		return tx
	}
	rows := []store.Transaction{
		at(booking("cur", "a", "-5.00", "85.00"), 9, store.TxBooked),
		at(booking("sav", "x", "1.00", "11.00"), 10, store.TxBooked),
		at(booking("cur", "p", "-1.00", ""), 10, store.TxPending),
		at(booking("cur", "r", "-3.00", "87.00"), 11, store.TxRemoved),
		at(booking("cur", "b", "-10.00", "90.00"), 12, store.TxBooked),
	}
	if got, want := sorted(rows...), "b p x r a"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	// The next day's rows are another chain.
	next := booking("cur", "0", "-1.00", "84.00")
	next.BookedAt = midnight.AddDate(0, 0, 1)
	if got, want := sorted(append(rows, next)...), "b p x r a 0"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// Days of random bookings, shuffled: every row listed once, in the order
// the bank booked them when their balances are distinct (else in key
// order), whatever order they arrived in.
func TestSortRecoversTheBanksOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for day := range 500 {
		n := 2 + r.IntN(12)
		balance := decimal.New(r.Int64N(1_000_000), -2)
		owes := day%2 == 1
		account := "cur"
		if owes {
			account = "card"
		}
		var posted []store.Transaction
		distinct := map[string]bool{balance.String(): true}
		for i := range n {
			amount := decimal.New(r.Int64N(20_000)-10_000, -2)
			if owes {
				balance = balance.Sub(amount)
			} else {
				balance = balance.Add(amount)
			}
			distinct[balance.String()] = true
			posted = append(posted, booking(account, fmt.Sprintf("k%03d", r.IntN(1000)*100+i), amount.String(), balance.String()))
		}
		want := keysOf(posted)
		if len(distinct) < n+1 {
			want = keysOf(slices.SortedFunc(slices.Values(posted), Compare))
		}
		for range 3 {
			rows := slices.Clone(posted)
			r.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
			if got := sorted(rows...); got != want {
				t.Fatalf("day %d: got %s, want %s", day, got, want)
			}
		}
	}
}

// BenchmarkSort100k is the one order over the benchmarks' 100,000
// transactions of one account (fixture.Transactions: about 39 a day, each
// with a running balance that does not chain, so every day is tried and
// keeps its key order), from the store's order: the ledger's share of a
// load, and what Rows spends a day at a time.
func BenchmarkSort100k(b *testing.B) {
	txs := fixture.Transactions(fixture.N)
	for i := range txs {
		txs[i].AccountID, txs[i].Key, txs[i].Status = fixture.Account, "n:"+txs[i].NormalisedProviderID, store.TxBooked
	}
	accts := []store.Account{{ID: fixture.Account, Kind: store.KindAccount}}
	rows := make([]store.Transaction, len(txs))
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		copy(rows, txs)
		b.StartTimer()
		Sort(rows, func(t *store.Transaction) *store.Transaction { return t }, accts)
	}
	if !slices.IsSortedFunc(rows, Compare) {
		b.Fatal("not in key order")
	}
}
