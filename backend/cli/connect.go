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
	"time"

	"github.com/pkg/browser"
	"golang.org/x/term"

	"bankdesk/backend/callback"
	"bankdesk/backend/config"
	"bankdesk/backend/connect"
	"bankdesk/backend/desk"
	"bankdesk/backend/syncer"
)

// openDesk opens the backend for a data command. The built-in sandbox lives
// inside the process that started it, so codes it issues could never reach a
// later `bankdesk callback`: point the command line at a standalone one.
func openDesk(io IO) (*desk.Desk, error) {
	var o opener
	return o.open(io, 0)
}

// opener opens the backend, more than once in a command that closes the
// data file while the user is at the bank (a loopback login). A passphrase
// typed at the prompt is kept for the next open, so nobody is asked twice;
// it is no more than the open vault holds in memory anyway.
type opener struct{ typed string }

// open opens the backend; lockWait bounds the wait for a data file another
// command holds (0: desk's default, a second).
func (o *opener) open(io IO, lockWait time.Duration) (*desk.Desk, error) {
	cfg, err := config.FromEnv(io.Getenv)
	if err != nil {
		return nil, err
	}
	if cfg.Builtin() {
		return nil, errors.New("the built-in sandbox only lives inside the app window; for the command line run `bankdesk sandbox` and export the BANKDESK_* lines it prints (or set BANKDESK_ENV=sandbox|live)")
	}
	pass := passphraseSource(io, cfg)
	if pass != nil && cfg.Passphrase == "" {
		if o.typed != "" {
			pass = func() (string, error) { return o.typed, nil }
		} else {
			ask := pass
			pass = func() (string, error) {
				p, err := ask()
				o.typed = p
				return p, err
			}
		}
	}
	d, err := desk.Open(desk.Options{Config: cfg, Log: logger(io), Passphrase: pass, LockTimeout: lockWait, Context: io.context()})
	if err == nil {
		io.opened.add(d)
	}
	return d, err
}

// openURL opens the auth link in the browser; a variable so tests can stub it.
var openURL = browser.OpenURL

func runConnect(ctx context.Context, io IO, args []string) error {
	fs := newFlags("connect", io)
	provider := fs.String("provider", "", "provider id: skip TrueLayer's bank selection")
	noBrowser := fs.Bool("no-browser", false, "only print the auth link")
	if err := parse(fs, args); err != nil {
		return err
	}
	return runLogin(ctx, io, "connect", *noBrowser,
		func(d *desk.Desk) (connect.Link, error) { return d.Flow().Begin(ctx, *provider) },
		"Log in at your bank; the link is valid until %s. Then the bank sends you back to Bankdesk.", "Connected")
}

// runCallback completes a connection and, unless --no-sync, backfills it at
// once: banks give history older than 90 days only in the 5 minutes after
// the user authenticated.
func runCallback(ctx context.Context, io IO, args []string) error {
	fs := newFlags("callback", io)
	noSync := fs.Bool("no-sync", false, "only complete the connection; do not fetch its history now")
	pos, err := parseInterspersed(fs, args, 1)
	if err == flag.ErrHelp {
		return err
	}
	if err != nil {
		return usageError{"want exactly one argument: the bankdesk://callback?... URL, or - to read it from stdin"}
	}
	raw := pos[0]
	if raw == "-" {
		if raw, err = readCallbackURL(io); err != nil {
			return err
		}
	}
	d, err := openDesk(io)
	if err != nil {
		return err
	}
	// Every write is committed already.
	defer func() { _ = d.Close() }()
	d.Flow().ReadBalances = *noSync // else the sync reads them, after the deep history
	res, err := d.Flow().Complete(ctx, raw)
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
	rep, err := d.Sync(ctx, res.ConnectionID, true, progressPrinter(io.Stderr))
	if err != nil {
		return err
	}
	return summarise(io.Stderr, "callback", []syncer.Report{rep})
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

func runAccounts(_ context.Context, io IO, args []string) error {
	fs := newFlags("accounts", io)
	asJSON := fs.Bool("json", false, "print a JSON array")
	if err := parse(fs, args); err != nil {
		return err
	}
	d, err := openDesk(io)
	if err != nil {
		return err
	}
	defer func() { _ = d.Close() }() // read only
	accts, err := d.Accounts()
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(io.Stdout, accountsJSON(accts))
	}
	if len(accts) == 0 {
		fmt.Fprintln(io.Stderr, "No accounts yet: run `bankdesk connect`.")
		return nil
	}
	for _, a := range accts {
		fmt.Fprintf(io.Stdout, "%-8s %-28s %-4s %14s  %s\n", a.Kind, clean(a.DisplayName), clean(a.Currency), clean(orDash(a.Current)), a.ID)
	}
	return nil
}

func runDisconnect(ctx context.Context, io IO, args []string) error {
	fs := newFlags("disconnect", io)
	id := fs.String("connection", "", "connection id (see `bankdesk accounts`)")
	keep := fs.Bool("keep-data", false, "keep accounts and transactions for offline reading")
	if err := parse(fs, args); err != nil {
		return err
	}
	if strings.TrimSpace(*id) == "" {
		return usageError{"--connection is required"}
	}
	d, err := openDesk(io)
	if err != nil {
		return err
	}
	defer func() { _ = d.Close() }() // every write is committed already
	// A failed revoke still removed the tokens here; its message says so.
	if err := d.Disconnect(ctx, *id, *keep); err != nil {
		return err
	}
	fmt.Fprintln(io.Stderr, "Disconnected: TrueLayer access revoked and tokens removed.")
	return nil
}

func orDash(s *string) string {
	if s == nil {
		return "-"
	}
	return *s
}
