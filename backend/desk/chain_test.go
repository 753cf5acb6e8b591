package desk

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"bankdesk/backend/export"
	"bankdesk/backend/view"
)

// listed is one row as a list shows it: enough to check its running
// balance against the row before it.
type listed struct {
	id, day, status string
	amount, balance decimal.Decimal
	hasBalance      bool
}

// Every list of an account (the Transactions screen, page by page;
// `bankdesk transactions`; the CSV export) shows its bookings so that,
// within a day, each row's running balance is the older row's plus its
// own signed amount (a card's balance is owed, so a DEBIT raises it), and
// no row is missing or listed twice. The sandbox stamps every booking at
// midnight, so a day's bookings share one time and only their balances
// tell their order.
func TestRunningBalancesChainWithinADay(t *testing.T) {
	d, truth := syncedSandboxDesk(t)
	ctx := context.Background()
	groups := map[string]int{} // by list: the days with several bookings
	keyed := 0                 // days whose bookings, in the order of their keys, do not chain
	for _, a := range append(slices.Clone(truth.Accounts), truth.Cards...) {
		owed := a.AccountType == "CREDIT"
		want := len(a.BookedFrom(a.HistoryFrom))

		var screen []listed // newest first
		for offset := 0; ; offset += pageLimit {
			page, err := d.TransactionPage(view.TxFilter{AccountIDs: []string{a.AccountID}, Status: "booked", Offset: offset, Limit: pageLimit})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range page.Rows {
				screen = append(screen, listedRow(t, r.ID, r.BookingDate, r.Status, r.Amount, r.RunningBalance))
			}
			if offset+pageLimit >= page.Total {
				break
			}
		}
		slices.Reverse(screen)

		rows, err := d.Transactions(TxQuery{AccountID: a.AccountID})
		if err != nil {
			t.Fatal(err)
		}
		var cli []listed
		for _, r := range rows {
			cli = append(cli, listedRow(t, r.ID, r.BookingDate, r.Status, r.Amount, r.RunningBalance))
		}

		var buf bytes.Buffer
		if _, err := d.Export(ctx, &buf, export.FormatCSV, export.Options{Accounts: []string{a.AccountID}}); err != nil {
			t.Fatal(err)
		}
		records, err := csv.NewReader(&buf).ReadAll()
		if err != nil || records[0][0] != "date" || records[0][9] != "amount" || records[0][13] != "running_balance" {
			t.Fatalf("CSV %v %q", err, records[0])
		}
		var csvRows []listed
		for _, r := range records[1:] {
			csvRows = append(csvRows, listedRow(t, "", r[0], r[12], r[9], r[13]))
		}

		for _, l := range []struct {
			name string
			rows []listed
		}{{"Transactions screen", screen}, {"bankdesk transactions", cli}, {"CSV export", csvRows}} {
			if len(l.rows) != want {
				t.Errorf("%s, %s: %d rows, the bank has %d", a.DisplayName, l.name, len(l.rows), want)
			}
			seen := map[string]bool{}
			checked, errs := 0, 0
			for i, r := range l.rows {
				if r.id != "" && seen[r.id] {
					t.Errorf("%s, %s: %s listed twice", a.DisplayName, l.name, r.id)
				}
				seen[r.id] = true
				if i == 0 || l.rows[i-1].day != r.day {
					continue
				}
				prev := l.rows[i-1]
				if i == 1 || l.rows[i-2].day != r.day {
					groups[l.name]++
				}
				if l.name == "bankdesk transactions" && (i == 1 || l.rows[i-2].day != r.day) {
					j := i + 1
					for j < len(l.rows) && l.rows[j].day == r.day {
						j++
					}
					byKey := slices.SortedFunc(slices.Values(l.rows[i-1:j]), func(x, y listed) int { return strings.Compare(x.id, y.id) })
					if !chains(byKey, owed) {
						keyed++
					}
				}
				if !prev.hasBalance || !r.hasBalance {
					t.Fatalf("%s, %s: a booking without a running balance on %s", a.DisplayName, l.name, r.day)
				}
				if !chains([]listed{prev, r}, owed) && errs < 3 {
					errs++
					t.Errorf("%s, %s, %s: %s then %s %s: the balances do not chain", a.DisplayName, l.name, r.day, prev.balance, r.amount, r.balance)
				}
				checked++
			}
			t.Logf("%s, %s: %d rows, %d links checked", a.DisplayName, l.name, len(l.rows), checked)
		}
		if !slices.EqualFunc(screen, cli, func(x, y listed) bool { return x.id == y.id }) {
			t.Errorf("%s: the screen and `bankdesk transactions` list in different orders", a.DisplayName)
		}
	}

	// A filtered list and its export keep that order: the chain is of
	// the whole day, not of the rows a search leaves.
	filter := view.TxFilter{AccountIDs: []string{truth.Accounts[0].AccountID}, Search: "tesco", Status: "booked"}
	var screen []string
	for offset := 0; ; offset += pageLimit {
		f := filter
		f.Offset, f.Limit = offset, pageLimit
		page, err := d.TransactionPage(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page.Rows {
			screen = append(screen, r.BookingDate+" "+r.Description+" "+r.Amount)
		}
		if offset+pageLimit >= page.Total {
			break
		}
	}
	slices.Reverse(screen)
	path := filepath.Join(t.TempDir(), "searched.csv")
	if _, err := d.ExportTo(ctx, path, view.ExportRequest{Format: "csv", AccountIDs: filter.AccountIDs, Search: filter.Search, Raw: true}, nil); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	records, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var exported []string
	for _, r := range records[1:] {
		exported = append(exported, r[0]+" "+r[5]+" "+r[9])
	}
	if len(screen) == 0 || len(screen) == len(truth.Accounts[0].Booked) {
		t.Errorf("the search lists %d rows: the test proves little", len(screen))
	}
	if !slices.Equal(screen, exported) {
		t.Errorf("the search's list (%d rows) and its export (%d rows) differ in order", len(screen), len(exported))
	}

	for _, name := range []string{"Transactions screen", "bankdesk transactions", "CSV export"} {
		if groups[name] == 0 {
			t.Errorf("%s: no day with several bookings: the test proves little", name)
		}
	}
	if keyed == 0 {
		t.Error("every day's bookings chain in the order of their keys: the test proves little")
	}
	t.Logf("%d days with several bookings, %d of them not chaining in the order of their keys", groups["CSV export"], keyed)
}

// chains reports whether each row's balance is the one before's plus its
// amount (less it, when the balance is owed).
func chains(rows []listed, owed bool) bool {
	for i := 1; i < len(rows); i++ {
		moved := rows[i].amount
		if owed {
			moved = moved.Neg()
		}
		if !rows[i-1].balance.Add(moved).Equal(rows[i].balance) {
			return false
		}
	}
	return true
}

func listedRow(t *testing.T, id, day, status, amount, balance string) listed {
	t.Helper()
	if status != "booked" {
		t.Fatalf("row %s of %s is %s", id, day, status)
	}
	l := listed{id: id, day: day, status: status, amount: decimal.RequireFromString(amount), hasBalance: balance != ""}
	if l.hasBalance {
		l.balance = decimal.RequireFromString(balance)
	}
	return l
}
