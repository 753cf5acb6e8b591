package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/pkg/browser"

	"bankdesk/backend/config"
	"bankdesk/backend/connect"
	"bankdesk/backend/desk"
	"bankdesk/backend/syncer"
)

// openDesk opens the backend for a data command. The built-in sandbox lives
// inside the process that started it, so codes it issues could never reach a
// later `bankdesk callback`: point the command line at a standalone one.
func openDesk(io IO) (*desk.Desk, error) {
	cfg, err := config.FromEnv(io.Getenv)
	if err != nil {
		return nil, err
	}
	if cfg.Builtin() {
		return nil, errors.New("the built-in sandbox only lives inside the app window; for the command line run `bankdesk sandbox` and export the BANKDESK_* lines it prints (or set BANKDESK_ENV=sandbox|live)")
	}
	return desk.Open(desk.Options{Config: cfg, Log: logger(io), Passphrase: passphraseSource(io, cfg), Context: io.context()})
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
		return usageError{"want exactly one argument: the bankdesk://callback?... URL"}
	}
	d, err := openDesk(io)
	if err != nil {
		return err
	}
	defer d.Close()
	d.Flow().ReadBalances = *noSync // else the sync reads them, after the deep history
	res, err := d.Flow().Complete(ctx, pos[0])
	if err != nil {
		return err
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(io.Stderr, "bankdesk callback: warning:", w)
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
	defer d.Close()
	accts, err := d.Accounts()
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(io.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(accts)
	}
	if len(accts) == 0 {
		fmt.Fprintln(io.Stderr, "No accounts yet: run `bankdesk connect`.")
		return nil
	}
	for _, a := range accts {
		fmt.Fprintf(io.Stdout, "%-8s %-28s %-4s %14s  %s\n", a.Kind, a.DisplayName, a.Currency, orDash(a.Current), a.ID)
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
	defer d.Close()
	// A failed revoke still removed the tokens here; its message says so.
	if err := d.Flow().Disconnect(ctx, *id, *keep); err != nil {
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
