package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"bankdesk/backend/bankday"
	"bankdesk/backend/desk"
	"bankdesk/backend/ledger"
	"bankdesk/backend/query"
)

func transactionsCommand(fs *flag.FlagSet) runner {
	asJSON := jsonFlag(fs)
	account := fs.String("account", "", "only this account or card (see `bankdesk accounts`)")
	from := fs.String("from", "", "first booking day, YYYY-MM-DD (the bank's day)")
	to := fs.String("to", "", "last booking day, YYYY-MM-DD (the bank's day)")
	removed := fs.Bool("include-removed", false, "also list bookings the bank no longer returns (status \"removed\")")
	search := queryFlag(fs)
	var q desk.TxQuery
	return runner{
		check: func(IO, []string) error {
			q = desk.TxQuery{AccountID: *account, IncludePending: true, IncludeRemoved: *removed, Query: *search}
			if err := checkQuery(*search); err != nil {
				return err
			}
			var err error
			if q.From, q.To, err = parseDays(*from, *to); err != nil {
				return err
			}
			if !q.From.IsZero() && !q.To.IsZero() && q.To < q.From {
				return usageError{"--to is before --from"}
			}
			return nil
		},
		run: func(_ context.Context, d *desk.Desk, io IO) error {
			txs, err := d.Transactions(q)
			if err != nil {
				return err
			}
			return printListing(io, *asJSON, txs, len(txs), "No transactions: run `bankdesk sync` (or widen --from/--to).", func() error {
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
			})
		},
	}
}

// parseDays reads --from and --to, each a day or "" for an open end.
func parseDays(from, to string) (first, last bankday.Day, err error) {
	if first, err = parseDay("--from", from); err != nil {
		return 0, 0, err
	}
	if last, err = parseDay("--to", to); err != nil {
		return 0, 0, err
	}
	return first, last, nil
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

// queryFlag is --query, the list's search language, for transactions and
// export alike.
func queryFlag(fs *flag.FlagSet) *string {
	return fs.String("query", "", "only transactions the search `Q` finds, as the window's search box does: words, \"phrases\", -word, amount:>20, amount:5..50, category:\"Eating out\", tag:, account:, merchant:, after:/before:YYYY-MM-DD, is:pending|booked|transfer|income|spending")
}

// checkQuery refuses a search that does not parse, as a usage error that
// says what and where.
func checkQuery(q string) error {
	var qe *query.Error
	if errors.As(ledger.Filter{Search: q}.Check(), &qe) {
		return usageError{fmt.Sprintf("--query: %s (at character %d)", qe.Msg, qe.Pos+1)}
	}
	return nil
}
