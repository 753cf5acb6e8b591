package cli

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"time"

	"bankdesk/backend/agent"
	"bankdesk/backend/connect"
	"bankdesk/backend/consent"
	"bankdesk/backend/desk"
	"bankdesk/backend/store"
	"bankdesk/backend/view"
)

func consentsCommand(fs *flag.FlagSet) runner {
	asJSON := jsonFlag(fs)
	return runner{run: func(ctx context.Context, d *desk.Desk, io IO) error {
		infos, err := d.ConsentInfos()
		if err != nil {
			return err
		}
		// Without the background job nothing uses a token while no
		// window is open: the refresh deadline may come first.
		keptAlive := agent.KeepsAlive(ctx, agentHost(io), d.Config())
		return printListing(io, *asJSON, consentItems(infos, keptAlive), len(infos), "No connections yet: run `bankdesk connect`.", func() error {
			printConsents(io, infos, keptAlive)
			return nil
		})
	}}
}

func consentItems(infos []consent.Info, keptAlive bool) []view.ConsentView {
	out := make([]view.ConsentView, 0, len(infos))
	for _, i := range infos {
		out = append(out, desk.ConsentView(i, keptAlive))
	}
	return out
}

// printConsents prints the consents table, and on stderr a line for each
// connection whose refresh token lapses before its consent ends.
func printConsents(io IO, infos []consent.Info, keptAlive bool) {
	fmt.Fprintf(io.Stdout, "%-32s  %-24s  %-16s  %9s  %-10s  %s\n", "CONNECTION", "BANK", "STATUS", "DAYS LEFT", "CONSENT TO", "REFRESH BY")
	for _, i := range infos {
		fmt.Fprintf(io.Stdout, "%-32s  %-24s  %-16s  %9d  %-10s  %s\n", i.ConnectionID, clean(i.ProviderName), i.Status, i.DaysLeft,
			i.ConsentExpiresAt.Local().Format(time.DateOnly), i.RefreshIdleDeadline.Local().Format(time.DateOnly))
	}
	// The table's days count to each consent's end; where the refresh
	// token lapses first, say so, on stderr so the table stays parseable.
	for _, i := range infos {
		h := i.Headline(keptAlive)
		if h.Kind != consent.KindRefresh || (i.Status != consent.Active && i.Status != consent.Expiring) {
			continue
		}
		say(io.Stderr, "%s: Bankdesk loses access on %s (%s) unless it syncs before then; run `bankdesk sync` to keep it.",
			i.ProviderName, h.At.Local().Format(time.DateOnly), consent.InDays(h.DaysLeft))
	}
}

// extendUsage is extend's -h text. Running it is the user's
// reconfirmation: the command line has no screen to show first, so the
// help says what it means.
const extendUsage = `usage: bankdesk extend --connection ID --name NAME (--email E | --phone P) [--no-browser]

Renews the connection's 90-day consent: running it confirms you still want Bankdesk to read
this bank's accounts, balances and transactions for another 90 days.
Prints ` + "`extended`" + `, or the link to visit (then ` + "`bankdesk callback URL`" + ` completes it).`

// extendCommand renews a consent.
func extendCommand(fs *flag.FlagSet) runner {
	id := fs.String("connection", "", "connection id (see `bankdesk consents`)")
	var user store.User
	fs.StringVar(&user.Name, "name", "", "your full name (TrueLayer requires it)")
	fs.StringVar(&user.Email, "email", "", "your email address (this or --phone)")
	fs.StringVar(&user.Phone, "phone", "", "your phone number (this or --email)")
	noBrowser := fs.Bool("no-browser", false, "only print the link when the bank must be visited")
	return runner{run: func(ctx context.Context, _ *desk.Desk, io IO) error {
		if err := cmp.Or(required("--connection", *id), required("--name", user.Name),
			required("--email or --phone", user.Email+user.Phone)); err != nil {
			return err
		}
		return runExtend(ctx, io, *id, user, *noBrowser)
	}}
}

func runExtend(ctx context.Context, io IO, id string, user store.User, noBrowser bool) error {
	var o opener
	var out consent.ExtendOutcome
	login, err := prepareLogin(io, &o, func(d *desk.Desk) (state string, err error) {
		out, err = d.Extend(ctx, id, user)
		return out.State, err
	})
	if err != nil {
		return err
	}
	defer login.Close()
	if out.Extended {
		fmt.Fprintln(io.Stdout, "extended")
		say(io.Stderr, "%s", out.Message)
		return nil
	}
	if err := login.open(io, "extend", out.Link, noBrowser); err != nil {
		return err
	}
	say(io.Stderr, "%s", out.Message)
	if !login.loopback() {
		fmt.Fprintf(io.Stderr, "The link is valid until %s; the bank then sends you back to Bankdesk (or run `bankdesk callback URL`).\n", out.LinkExpiresAt.Local().Format("15:04"))
	}
	return login.wait(ctx, io, &o, "extend", "Renewed", out.LinkExpiresAt)
}

// reconnectCommand starts a new login at a connection's own bank, which
// renews that connection (same id, history kept) when it completes.
func reconnectCommand(fs *flag.FlagSet) runner {
	id := fs.String("connection", "", "connection id (see `bankdesk consents`)")
	noBrowser := fs.Bool("no-browser", false, "only print the auth link")
	return runner{run: func(ctx context.Context, _ *desk.Desk, io IO) error {
		if err := required("--connection", *id); err != nil {
			return err
		}
		return runLogin(ctx, io, "reconnect", *noBrowser,
			func(d *desk.Desk) (connect.Link, error) { return d.BeginLogin(ctx, *id, true) },
			"Log in at your bank again and choose the same accounts; the link is valid until %s.", "Reconnected")
	}}
}
