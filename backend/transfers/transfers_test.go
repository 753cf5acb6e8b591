package transfers

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"bankdesk/backend/bankday"
	"bankdesk/backend/internal/testbank"
	"bankdesk/backend/internal/testclock"
)

// The sandbox's six years of john's books: every move to or from savings
// and every card repayment is found, each with its other half, and
// nothing else pairs (rent, salary, groceries, refunds).
func TestTheSandboxsTransfersAreFoundAndNothingElse(t *testing.T) {
	sb := testbank.Sandbox(t, testclock.New(time.Date(2026, 3, 11, 14, 30, 0, 0, time.UTC)))
	truth := sb.Truth("john")
	var cs []Candidate
	desc := map[Ref]string{}
	transfers := 0
	for _, a := range slices.Concat(truth.Accounts, truth.Cards) {
		for _, tx := range a.Booked {
			ref := Ref{a.AccountID, tx.Key}
			desc[ref] = tx.Description
			cs = append(cs, Candidate{Ref: ref, Day: mustDay(t, tx.BookingDate), Amount: tx.Amount.Abs(),
				Credit: tx.Type == "CREDIT", Currency: tx.Currency, Category: tx.Category})
			if tx.Category == "TRANSFER" {
				transfers++
			}
		}
	}
	pairs := Detect(cs)
	if transfers < 100 || len(pairs)*2 != transfers {
		t.Fatalf("%d pairs for %d TRANSFER bookings: want every one paired", len(pairs), transfers)
	}
	halves := map[string]string{ // out's description prefix → in's
		"TO SAVINGS":         "FROM CURRENT ACCOUNT",
		"TO CURRENT ACCOUNT": "FROM SAVINGS",
		"PLATINUM VISA":      "PAYMENT RECEIVED",
	}
	kinds := map[string]int{}
	for _, p := range pairs {
		out, in := desc[p.Out], desc[p.In]
		ok := false
		for o, i := range halves {
			if strings.HasPrefix(out, o) && strings.HasPrefix(in, i) {
				ok = true
				kinds[o]++
			}
		}
		if !ok || p.Out.AccountID == p.In.AccountID {
			t.Errorf("false pair: %q (%s) with %q (%s)", out, p.Out.AccountID, in, p.In.AccountID)
		}
	}
	if kinds["TO SAVINGS"] == 0 || kinds["PLATINUM VISA"] == 0 {
		t.Errorf("pairs by kind %v: want saver moves and card repayments", kinds)
	}
}

func c(acct, key, day, amount string, credit bool, cur, cat string) Candidate {
	d, _ := bankday.Parse(day)
	return Candidate{Ref: Ref{acct, key}, Day: d, Amount: decimal.RequireFromString(amount), Credit: credit, Currency: cur, Category: cat}
}

func TestTheRuleSaysWhatPairs(t *testing.T) {
	for _, tc := range []struct {
		name string
		cs   []Candidate
		want []Pair
	}{
		{"same day", []Candidate{c("cur", "1", "2026-06-01", "500", false, "GBP", "TRANSFER"), c("sav", "2", "2026-06-01", "500", true, "GBP", "TRANSFER")},
			[]Pair{{Ref{"cur", "1"}, Ref{"sav", "2"}}}},
		{"four days apart", []Candidate{c("cur", "1", "2026-06-05", "500", false, "GBP", "TRANSFER"), c("sav", "2", "2026-06-01", "500", true, "GBP", "TRANSFER")},
			[]Pair{{Ref{"cur", "1"}, Ref{"sav", "2"}}}},
		{"five days apart", []Candidate{c("cur", "1", "2026-06-06", "500", false, "GBP", "TRANSFER"), c("sav", "2", "2026-06-01", "500", true, "GBP", "TRANSFER")}, nil},
		{"two currencies", []Candidate{c("cur", "1", "2026-06-01", "100", false, "GBP", "TRANSFER"), c("eur", "2", "2026-06-01", "100", true, "EUR", "TRANSFER")}, nil},
		{"one account", []Candidate{c("cur", "1", "2026-06-01", "100", false, "GBP", "TRANSFER"), c("cur", "2", "2026-06-01", "100", true, "GBP", "TRANSFER")}, nil},
		{"same direction", []Candidate{c("cur", "1", "2026-06-01", "100", false, "GBP", "TRANSFER"), c("sav", "2", "2026-06-01", "100", false, "GBP", "TRANSFER")}, nil},
		{"amounts a penny apart", []Candidate{c("cur", "1", "2026-06-01", "100.00", false, "GBP", "TRANSFER"), c("sav", "2", "2026-06-01", "100.01", true, "GBP", "TRANSFER")}, nil},
		{"a refund of a purchase", []Candidate{c("card", "1", "2026-06-01", "23.99", false, "GBP", "PURCHASE"), c("cur", "2", "2026-06-02", "23.99", true, "GBP", "TRANSFER")}, nil},
		{"neither says transfer", []Candidate{c("cur", "1", "2026-06-01", "50", false, "GBP", "DEBIT"), c("sav", "2", "2026-06-01", "50", true, "GBP", "CREDIT")}, nil},
		{"one side says transfer", []Candidate{c("cur", "1", "2026-06-01", "50", false, "GBP", "TRANSFER"), c("sav", "2", "2026-06-02", "50", true, "GBP", "CREDIT")},
			[]Pair{{Ref{"cur", "1"}, Ref{"sav", "2"}}}},
		{"two transfers win over one", []Candidate{
			c("cur", "1", "2026-06-01", "50", false, "GBP", "TRANSFER"),
			c("sav", "2", "2026-06-01", "50", true, "GBP", "CREDIT"),
			c("isa", "3", "2026-06-03", "50", true, "GBP", "TRANSFER")},
			[]Pair{{Ref{"cur", "1"}, Ref{"isa", "3"}}}},
		{"the closer wins, each used once", []Candidate{
			c("cur", "1", "2026-06-01", "50", false, "GBP", "TRANSFER"),
			c("cur", "2", "2026-06-04", "50", false, "GBP", "TRANSFER"),
			c("sav", "3", "2026-06-03", "50", true, "GBP", "TRANSFER"),
			c("sav", "4", "2026-06-05", "50", true, "GBP", "TRANSFER")},
			[]Pair{{Ref{"cur", "1"}, Ref{"sav", "3"}}, {Ref{"cur", "2"}, Ref{"sav", "4"}}}},
	} {
		got := Detect(tc.cs)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
		// The same whatever order the transactions come in.
		for range 5 {
			shuffled := slices.Clone(tc.cs)
			rand.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
			if again := Detect(shuffled); !slices.Equal(again, got) {
				t.Fatalf("%s: shuffled input gives %v, not %v", tc.name, again, got)
			}
		}
	}
}

func mustDay(t *testing.T, s string) bankday.Day {
	t.Helper()
	d, err := bankday.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
