package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"bankdesk/backend/connect"
	"bankdesk/backend/consent"
	"bankdesk/backend/desk"
	"bankdesk/backend/store"
)

// consentJSON is one item of `bankdesk consents --json`; times are RFC 3339
// in UTC.
type consentJSON struct {
	ConnectionID        string `json:"connection_id"`
	ProviderID          string `json:"provider_id"`
	ProviderName        string `json:"provider_name"`
	ConsentCreatedAt    string `json:"consent_created_at"`
	ConsentExpiresAt    string `json:"consent_expires_at"`
	RefreshIdleDeadline string `json:"refresh_idle_deadline"`
	// DaysLeft counts to the consent's end, as the app does.
	DaysLeft int    `json:"days_left"`
	Status   string `json:"status"` // active, expiring, reconnect_needed, expired
	// The deadline to heed first (consent.Info.Headline): "consent", or
	// "refresh" when the refresh token lapses before the consent ends and
	// nothing on this computer will use it before then.
	Headline         string `json:"headline"`
	HeadlineDeadline string `json:"headline_deadline"`
	HeadlineDaysLeft int    `json:"headline_days_left"`
}

// keptAlive says whether something keeps refresh tokens in use while no
// Bankdesk window is open. Nothing does yet: the command line only uses a
// token when it runs. (A background job would make this true.)
const keptAlive = false

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func runConsents(_ context.Context, io IO, args []string) error {
	fs := newFlags("consents", io)
	asJSON := fs.Bool("json", false, "print a JSON array")
	if err := parse(fs, args); err != nil {
		return err
	}
	d, err := openDesk(io)
	if err != nil {
		return err
	}
	defer func() { _ = d.Close() }() // every write is committed already
	infos, err := d.Consent().Infos()
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]consentJSON, 0, len(infos))
		for _, i := range infos {
			h := i.Headline(keptAlive)
			out = append(out, consentJSON{
				ConnectionID: i.ConnectionID, ProviderID: i.ProviderID, ProviderName: i.ProviderName,
				ConsentCreatedAt: rfc3339(i.ConsentCreatedAt), ConsentExpiresAt: rfc3339(i.ConsentExpiresAt),
				RefreshIdleDeadline: rfc3339(i.RefreshIdleDeadline), DaysLeft: i.DaysLeft, Status: string(i.Status),
				Headline: h.Kind, HeadlineDeadline: rfc3339(h.At), HeadlineDaysLeft: h.DaysLeft,
			})
		}
		return writeJSON(io.Stdout, out)
	}
	if len(infos) == 0 {
		fmt.Fprintln(io.Stderr, "No connections yet: run `bankdesk connect`.")
		return nil
	}
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
			i.ProviderName, h.At.Local().Format(time.DateOnly), inDays(h.DaysLeft))
	}
	return nil
}

func inDays(n int) string {
	switch {
	case n <= 0:
		return "today"
	case n == 1:
		return "tomorrow"
	}
	return fmt.Sprintf("in %d days", n)
}

// runExtend renews a consent. Running it is the user's reconfirmation: the
// command line has no screen to show first, so the help text says what it
// means.
func runExtend(ctx context.Context, io IO, args []string) error {
	fs := newFlags("extend", io)
	id := fs.String("connection", "", "connection id (see `bankdesk consents`)")
	name := fs.String("name", "", "your full name (TrueLayer requires it)")
	email := fs.String("email", "", "your email address (this or --phone)")
	phone := fs.String("phone", "", "your phone number (this or --email)")
	noBrowser := fs.Bool("no-browser", false, "only print the link when the bank must be visited")
	fs.Usage = func() {
		fmt.Fprintln(io.Stderr, "usage: bankdesk extend --connection ID --name NAME (--email E | --phone P) [--no-browser]")
		fmt.Fprintln(io.Stderr, "\nRenews the connection's 90-day consent: running it confirms you still want Bankdesk to read")
		fmt.Fprintln(io.Stderr, "this bank's accounts, balances and transactions for another 90 days.")
		fmt.Fprintln(io.Stderr, "Prints `extended`, or the link to visit (then `bankdesk callback URL` completes it).")
		fs.PrintDefaults()
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	switch {
	case strings.TrimSpace(*id) == "":
		return usageError{"--connection is required"}
	case strings.TrimSpace(*name) == "":
		return usageError{"--name is required"}
	case strings.TrimSpace(*email) == "" && strings.TrimSpace(*phone) == "":
		return usageError{"--email or --phone is required"}
	}
	var o opener
	var out consent.ExtendOutcome
	login, err := prepareLogin(io, &o, func(d *desk.Desk) (state string, err error) {
		out, err = d.Consent().Extend(ctx, *id, store.User{Name: *name, Email: *email, Phone: *phone})
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
	if err := login.open(io, "extend", out.Link, *noBrowser); err != nil {
		return err
	}
	say(io.Stderr, "%s", out.Message)
	if !login.loopback() {
		fmt.Fprintf(io.Stderr, "The link is valid until %s; the bank then sends you back to Bankdesk (or run `bankdesk callback URL`).\n", out.LinkExpiresAt.Local().Format("15:04"))
	}
	return login.wait(ctx, io, &o, "extend", "Renewed", out.LinkExpiresAt)
}

// runReconnect starts a new login at a connection's own bank, which renews
// that connection (same id, history kept) when it completes.
func runReconnect(ctx context.Context, io IO, args []string) error {
	fs := newFlags("reconnect", io)
	id := fs.String("connection", "", "connection id (see `bankdesk consents`)")
	noBrowser := fs.Bool("no-browser", false, "only print the auth link")
	if err := parse(fs, args); err != nil {
		return err
	}
	if strings.TrimSpace(*id) == "" {
		return usageError{"--connection is required"}
	}
	return runLogin(ctx, io, "reconnect", *noBrowser,
		func(d *desk.Desk) (connect.Link, error) { return d.Flow().Reconnect(ctx, *id) },
		"Log in at your bank again and choose the same accounts; the link is valid until %s.", "Reconnected")
}
