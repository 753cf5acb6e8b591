package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/pkg/browser"
	"golang.org/x/term"

	"bankdesk/backend/callback"
	"bankdesk/backend/connect"
	"bankdesk/backend/desk"
)

// openURL opens the auth link in the browser; a variable so tests can stub it.
var openURL = browser.OpenURL

func connectCommand(fs *flag.FlagSet) runner {
	provider := fs.String("provider", "", "provider id: skip TrueLayer's bank selection")
	noBrowser := fs.Bool("no-browser", false, "only print the auth link")
	return runner{run: func(ctx context.Context, _ *desk.Desk, io IO) error {
		return runLogin(ctx, io, "connect", *noBrowser,
			func(d *desk.Desk) (connect.Link, error) { return d.BeginLogin(ctx, *provider, false) },
			"Log in at your bank; the link is valid until %s. Then the bank sends you back to Bankdesk.", "Connected")
	}}
}

// callbackCommand completes a connection and, unless --no-sync, backfills
// it at once: banks give history older than 90 days only in the 5 minutes
// after the user authenticated.
func callbackCommand(fs *flag.FlagSet) runner {
	noSync := fs.Bool("no-sync", false, "only complete the connection; do not fetch its history now")
	var raw string
	return runner{
		check: func(io IO, args []string) (err error) {
			if raw = args[0]; raw == "-" {
				raw, err = readCallbackURL(io)
			}
			return err
		},
		run: func(ctx context.Context, d *desk.Desk, io IO) error {
			res, err := d.Complete(ctx, raw, *noSync) // else the sync reads balances, after the deep history
			if err != nil {
				return err
			}
			for _, w := range res.Warnings {
				say(io.Stderr, "bankdesk callback: warning: %s", w)
			}
			reportNotes(io.Stderr, "callback", res)
			fmt.Fprintln(io.Stdout, res.ConnectionID)
			if *noSync {
				return nil
			}
			return syncConnection(ctx, d, io, "callback", res.ConnectionID, true)
		},
	}
}

// readCallbackURL reads `bankdesk callback -`'s URL: the first line of
// stdin, at most callback.MaxURLLength bytes. On stdin the code stays out
// of the process's arguments, which any local user can list (ps).
func readCallbackURL(std IO) (string, error) {
	r := std.Stdin
	if r == nil {
		r = strings.NewReader("")
	}
	if f, ok := r.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprintln(std.Stderr, "Paste the bankdesk://callback?... URL and press Enter:")
	}
	line, err := bufio.NewReaderSize(io.LimitReader(r, callback.MaxURLLength+2), callback.MaxURLLength+2).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read the callback URL from stdin: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	switch {
	case len(line) > callback.MaxURLLength:
		return "", usageError{fmt.Sprintf("the URL on stdin is longer than %d bytes", callback.MaxURLLength)}
	case strings.TrimSpace(line) == "":
		return "", usageError{"no URL on stdin: give the bankdesk://callback?... URL as its first line"}
	}
	return line, nil
}

func accountsCommand(fs *flag.FlagSet) runner {
	asJSON := jsonFlag(fs)
	return runner{run: func(_ context.Context, d *desk.Desk, io IO) error {
		accts, err := d.Accounts()
		if err != nil {
			return err
		}
		return printListing(io, *asJSON, accts, len(accts), "No accounts yet: run `bankdesk connect`.", func() error {
			for _, a := range accts {
				fmt.Fprintf(io.Stdout, "%-8s %-28s %-4s %14s  %s\n", a.Kind, clean(a.DisplayName), clean(a.Currency), clean(orDash(a.Current)), a.ID)
			}
			return nil
		})
	}}
}

func disconnectCommand(fs *flag.FlagSet) runner {
	id := fs.String("connection", "", "connection id (see `bankdesk accounts`)")
	keep := fs.Bool("keep-data", false, "keep accounts and transactions for offline reading")
	return runner{
		check: func(IO, []string) error { return required("--connection", *id) },
		run: func(ctx context.Context, d *desk.Desk, io IO) error {
			// A failed revoke still removed the tokens here; its message says so.
			if err := d.Disconnect(ctx, *id, *keep); err != nil {
				return err
			}
			fmt.Fprintln(io.Stderr, "Disconnected: TrueLayer access revoked and tokens removed.")
			return nil
		},
	}
}

func orDash(s *string) string {
	if s == nil {
		return "-"
	}
	return *s
}
