package desk

import (
	"bytes"
	"context"
	"encoding/csv"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aclindsa/ofxgo"
	"github.com/shopspring/decimal"

	"bankdesk/backend/export"
	"bankdesk/backend/internal/testclock"
	"bankdesk/backend/internal/testenv"
	"bankdesk/backend/sandbox"
	"bankdesk/backend/view"
)

// truthFigures are a filter's figures worked out from the bank's own
// records (sandbox.Truth), by the rules a person expects: a transfer
// (TrueLayer's TRANSFER category: between one's own accounts, or paying
// off a card) is neither income nor spending; only booked transactions
// count; the direction is transaction_type's.
type truthFigures struct {
	in, out, trIn, trOut decimal.Decimal // out and trOut negative
	count                int
	months               map[string][2]decimal.Decimal // YYYY-MM → in, spent
	categories           map[string]decimal.Decimal    // classification → spent
	catCounts            map[string]int
	pending              int
}

func signed(tt sandbox.TruthTransaction) decimal.Decimal {
	if tt.Type == "DEBIT" {
		return tt.Amount.Abs().Neg()
	}
	return tt.Amount.Abs()
}

func figuresOf(t *testing.T, accts []sandbox.TruthAccount, from, to string) truthFigures {
	t.Helper()
	f := truthFigures{months: map[string][2]decimal.Decimal{}, categories: map[string]decimal.Decimal{}, catCounts: map[string]int{}}
	for _, a := range accts {
		for _, tt := range a.Booked {
			if tt.BookingDate < from || tt.BookingDate > to {
				continue
			}
			f.count++
			amt := signed(tt)
			m := f.months[tt.BookingDate[:7]]
			switch {
			case tt.Category == "TRANSFER" && amt.IsNegative():
				f.trOut = f.trOut.Add(amt)
			case tt.Category == "TRANSFER":
				f.trIn = f.trIn.Add(amt)
			case amt.IsNegative():
				if len(tt.Classification) == 0 {
					t.Fatalf("%s has no classification: the truth's categories are unknown", tt.Description)
				}
				f.out = f.out.Add(amt)
				m[1] = m[1].Sub(amt)
				f.categories[tt.Classification[0]] = f.categories[tt.Classification[0]].Sub(amt)
				f.catCounts[tt.Classification[0]]++
			default:
				f.in = f.in.Add(amt)
				m[0] = m[0].Add(amt)
			}
			f.months[tt.BookingDate[:7]] = m
		}
		for _, tt := range a.Pending {
			if tt.BookingDate >= from && tt.BookingDate <= to {
				f.pending++
			}
		}
	}
	return f
}

func eq(t *testing.T, what string, got string, want decimal.Decimal) {
	t.Helper()
	if g, err := decimal.NewFromString(got); err != nil || !g.Equal(want) {
		t.Errorf("%s: %q, the bank's records say %s", what, got, want)
	}
}

// The figures agree between the Overview, Transactions, Spending and the
// exports, for the same filters, and with the bank's own records: balances
// (a card's as owed) and the net position; for a period and an account,
// the Transactions totals (income, spending and transfers apart), the
// Spending months and categories of exactly that period, and the sums of
// the CSV and OFX files.
func TestFiguresAgreeWithTheBankEverywhere(t *testing.T) {
	clk := testclock.New(testenv.Start) // 21 November 2026: a month under way
	sb := testenv.Sandbox(t, clk)
	d := openDesk(t, Options{Config: sandboxConfig(t, sb, nil), Now: clk.Now})
	id := testenv.Connect(t, d.Flow(), "john", "doe").ConnectionID
	if rep, err := d.Sync(context.Background(), id, true, nil); err != nil || !rep.OK() {
		t.Fatalf("sync: %v %+v", err, rep)
	}
	truth := sb.Truth("john")
	cur, sav, card := truth.Accounts[0], truth.Accounts[1], truth.Cards[0]
	if card.Balance.Current.Sign() <= 0 {
		t.Fatalf("the card owes nothing (%s): the test proves little", card.Balance.Current)
	}

	// The Overview: balances as the person's money, the card's as owed.
	accts, err := d.Accounts()
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]view.AccountView{}
	for _, a := range accts {
		byID[a.ID] = a
	}
	for _, want := range []struct {
		a       sandbox.TruthAccount
		balance decimal.Decimal
		owes    bool
	}{{cur, cur.Balance.Current, false}, {sav, sav.Balance.Current, false}, {card, card.Balance.Current.Neg(), true}} {
		v := byID[want.a.AccountID]
		if v.Current == nil || v.Available == nil {
			t.Fatalf("%s: no balance: %+v", want.a.DisplayName, v)
		}
		eq(t, want.a.DisplayName+" balance", *v.Current, want.balance)
		eq(t, want.a.DisplayName+" available", *v.Available, want.a.Balance.Available)
		if v.Owes != want.owes {
			t.Errorf("%s: owes %v", want.a.DisplayName, v.Owes)
		}
	}
	assets := cur.Balance.Current.Add(sav.Balance.Current)
	net, err := d.NetPosition()
	if err != nil || len(net) != 1 || net[0].Currency != "GBP" || net[0].Accounts != 3 {
		t.Errorf("net position %+v %v", net, err)
	} else {
		eq(t, "net position", net[0].Net, assets.Sub(card.Balance.Current))
		eq(t, "assets", net[0].Assets, assets)
		eq(t, "debts", net[0].Debts, card.Balance.Current.Neg())
	}

	// No raw TrueLayer category reaches a screen.
	names, err := d.Categories()
	if err != nil || !slices.Contains(names, "Transfers") {
		t.Errorf("categories %q %v: no Transfers", names, err)
	}
	for _, n := range names {
		if n == strings.ToUpper(n) {
			t.Errorf("category %q is TrueLayer's enum, not words", n)
		}
	}

	today, _ := time.Parse(time.DateOnly, truth.Today)
	ctx := context.Background()
	for _, c := range []struct {
		name   string
		accts  []sandbox.TruthAccount
		months int
	}{
		{"every account, 12 months", []sandbox.TruthAccount{cur, sav, card}, 12},
		{"current account, 6 months", []sandbox.TruthAccount{cur}, 6},
		{"card, 24 months", []sandbox.TruthAccount{card}, 24},
	} {
		t.Run(c.name, func(t *testing.T) {
			from := time.Date(today.Year(), today.Month()-time.Month(c.months-1), 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
			to := truth.Today
			want := figuresOf(t, c.accts, from, to)
			var ids []string
			if len(c.accts) == 1 {
				ids = []string{c.accts[0].AccountID}
			}

			// Spending for the period the screen offers: its categories and
			// exactly its months.
			sp, err := d.Spending(view.TxFilter{AccountIDs: ids, Months: c.months})
			if err != nil {
				t.Fatal(err)
			}
			var monthsIn, monthsOut, catsOut decimal.Decimal
			if len(sp.Categories) != len(want.categories) {
				t.Errorf("%d categories, the bank's records have %d", len(sp.Categories), len(want.categories))
			}
			for _, cat := range sp.Categories {
				eq(t, "category "+cat.Name, cat.Out, want.categories[cat.Name])
				if cat.Count != want.catCounts[cat.Name] {
					t.Errorf("category %s: %d transactions, want %d", cat.Name, cat.Count, want.catCounts[cat.Name])
				}
				catsOut = catsOut.Add(decimal.RequireFromString(cat.Out))
			}
			if sp.From != from || sp.To != to || len(sp.Months) != c.months {
				t.Errorf("Spending charts %d months, %s..%s; want %d, %s..%s", len(sp.Months), sp.From, sp.To, c.months, from, to)
			} else {
				for i, m := range sp.Months {
					w := want.months[m.Month]
					eq(t, m.Month+" in", m.In, w[0])
					eq(t, m.Month+" out", m.Out, w[1])
					if last := i == len(sp.Months)-1; m.Partial != last {
						t.Errorf("%s: partial %v (today is %s)", m.Month, m.Partial, truth.Today)
					}
					monthsIn = monthsIn.Add(decimal.RequireFromString(m.In))
					monthsOut = monthsOut.Add(decimal.RequireFromString(m.Out))
				}
				if !catsOut.Equal(monthsOut) {
					t.Errorf("the categories add up to %s, the months to %s", catsOut, monthsOut)
				}
				if len(sp.Totals) != 1 {
					t.Fatalf("Spending totals %+v", sp.Totals)
				}
				eq(t, "Spending's total in", sp.Totals[0].In, monthsIn)
				eq(t, "Spending's total spent", sp.Totals[0].Out, monthsOut)
			}

			// Transactions for the period's days (as a click on a category
			// opens it), and for the same period by months.
			for _, f := range []view.TxFilter{{AccountIDs: ids, From: from, To: to}, {AccountIDs: ids, Months: c.months}} {
				page, err := d.TransactionPage(f)
				if err != nil || len(page.Totals) != 1 {
					t.Fatalf("%+v: %+v %v", f, page.Totals, err)
				}
				if page.From != from || page.To != to {
					t.Errorf("Transactions of %+v cover %s..%s", f, page.From, page.To)
				}
				tot := page.Totals[0]
				eq(t, "Transactions in", tot.In, want.in)
				eq(t, "Transactions out", tot.Out, want.out)
				eq(t, "Transactions transfers in", tot.TransfersIn, want.trIn)
				eq(t, "Transactions transfers out", tot.TransfersOut, want.trOut)
				eq(t, "Transactions transfers", tot.Transfers, want.trIn.Add(want.trOut))
				eq(t, "Transactions in, against Spending's months", tot.In, monthsIn)
				eq(t, "Transactions out, against Spending's months", tot.Out, monthsOut.Neg())
				if tot.Count != want.count || tot.PendingCount != want.pending || page.Total != want.count+want.pending {
					t.Errorf("Transactions: %d booked and %d pending of %d rows, the bank has %d and %d", tot.Count, tot.PendingCount, page.Total, want.count, want.pending)
				}
			}

			// The exports of the same accounts and days.
			fromDay, _ := ParseDay(from, "from")
			toDay, _ := ParseDay(to, "to")
			opts := export.Options{Accounts: ids, From: fromDay, To: toDay}
			moved := want.in.Add(want.out).Add(want.trIn).Add(want.trOut)
			var buf bytes.Buffer
			if _, err := d.Export(ctx, &buf, export.FormatCSV, opts); err != nil {
				t.Fatal(err)
			}
			records, err := csv.NewReader(&buf).ReadAll()
			if err != nil || records[0][9] != "amount" {
				t.Fatalf("CSV %v %q", err, records[0])
			}
			var csvSum decimal.Decimal
			for _, r := range records[1:] {
				csvSum = csvSum.Add(decimal.RequireFromString(r[9]))
			}
			if len(records)-1 != want.count || !csvSum.Equal(moved) {
				t.Errorf("CSV: %d rows summing to %s, the bank has %d summing to %s", len(records)-1, csvSum, want.count, moved)
			}
			buf.Reset()
			if _, err := d.Export(ctx, &buf, export.FormatOFX, opts); err != nil {
				t.Fatal(err)
			}
			resp, err := ofxgo.ParseResponse(&buf)
			if err != nil {
				t.Fatal(err)
			}
			var ofxSum decimal.Decimal
			add := func(l *ofxgo.TransactionList) {
				for _, tr := range l.Transactions {
					ofxSum = ofxSum.Add(decimal.RequireFromString(tr.TrnAmt.String()))
				}
			}
			for _, m := range resp.Bank {
				add(m.(*ofxgo.StatementResponse).BankTranList)
			}
			for _, m := range resp.CreditCard {
				cc := m.(*ofxgo.CCStatementResponse)
				add(cc.BankTranList)
				eq(t, "OFX card LEDGERBAL, against the Overview", cc.BalAmt.String(), decimal.RequireFromString(*byID[card.AccountID].Current))
			}
			if !ofxSum.Equal(moved) {
				t.Errorf("OFX: the amounts sum to %s, the bank's to %s", ofxSum, moved)
			}
		})
	}
}
