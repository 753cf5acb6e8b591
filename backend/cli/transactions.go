package cli

import (
	"context"
	"fmt"
	"strings"

	"bankdesk/backend/bankday"
	"bankdesk/backend/desk"
)

func runTransactions(_ context.Context, io IO, args []string) error {
	fs := newFlags("transactions", io)
	asJSON := fs.Bool("json", false, "print a JSON array")
	account := fs.String("account", "", "only this account or card (see `bankdesk accounts`)")
	from := fs.String("from", "", "first booking day, YYYY-MM-DD (the bank's day)")
	to := fs.String("to", "", "last booking day, YYYY-MM-DD (the bank's day)")
	removed := fs.Bool("include-removed", false, "also list bookings the bank no longer returns (status \"removed\")")
	if err := parse(fs, args); err != nil {
		return err
	}
	q := desk.TxQuery{AccountID: *account, IncludePending: true, IncludeRemoved: *removed}
	var err error
	if q.From, err = parseDay("--from", *from); err != nil {
		return err
	}
	if q.To, err = parseDay("--to", *to); err != nil {
		return err
	}
	if !q.From.IsZero() && !q.To.IsZero() && q.To < q.From {
		return usageError{"--to is before --from"}
	}
	d, err := openDesk(io)
	if err != nil {
		return err
	}
	defer func() { _ = d.Close() }() // read only
	txs, err := d.Transactions(q)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(io.Stdout, txs)
	}
	if len(txs) == 0 {
		fmt.Fprintln(io.Stderr, "No transactions: run `bankdesk sync` (or widen --from/--to).")
		return nil
	}
	accts, err := d.Accounts()
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, a := range accts {
		names[a.ID] = a.DisplayName
	}
	for _, t := range txs {
		fmt.Fprintf(io.Stdout, "%s  %-7s %12s %-3s  %-40s  %s\n", t.BookingDate, clean(t.Status), t.Amount, clean(t.Currency),
			clip(t.Description, 40), clean(names[t.AccountID]))
	}
	return nil
}

func parseDay(flagName, v string) (bankday.Day, error) {
	if v == "" {
		return 0, nil
	}
	d, err := bankday.Parse(v)
	if err != nil {
		return 0, usageError{fmt.Sprintf("%s wants a date as YYYY-MM-DD, got %q", flagName, v)}
	}
	return d, nil
}

// clip cleans s for the terminal and cuts it to n runes.
func clip(s string, n int) string {
	s = strings.TrimSpace(clean(s))
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
