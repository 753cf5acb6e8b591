package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"bankdesk/backend/config"
	"bankdesk/backend/consent"
	"bankdesk/backend/desk"
	"bankdesk/backend/notify"
)

// keepaliveClock is the job's clock (nil: the wall clock); a variable so
// tests can move it, as openURL lets them stub the browser.
var keepaliveClock func() time.Time

// keepaliveCommand is `bankdesk keepalive`, the job `bankdesk agent`
// schedules: the open window's keep-alive and reminders while none is
// open (desk.KeepAliveHeadless). It opens the data itself, never asks for
// a passphrase, and runs in the built-in environment too: it needs no
// code from a login, only the tokens it keeps.
func keepaliveCommand(*flag.FlagSet) runner {
	return runner{run: func(ctx context.Context, _ *desk.Desk, io IO) error {
		cfg, err := config.FromEnv(io.Getenv)
		if err != nil {
			return err
		}
		run, err := desk.KeepAliveHeadless(ctx, desk.Options{Config: cfg, Log: logger(io), Now: keepaliveClock, Context: io.context()}, notify.Send)
		if err != nil {
			return err
		}
		reportHeadless(io.Stderr, run)
		return nil
	}}
}

// reportHeadless writes one line per thing the job did, and no secret:
// banks by name, connections by Bankdesk's own id.
func reportHeadless(w io.Writer, run desk.Headless) {
	if run.HandedOver {
		fmt.Fprintln(w, "the open window keeps connections alive")
		return
	}
	lines := 0
	say := func(format string, args ...any) {
		fmt.Fprintln(w, clean(fmt.Sprintf(format, args...)))
		lines++
	}
	for _, k := range run.Kept {
		switch k.Action {
		case consent.Refreshed:
			say("refreshed %s (connection %s)", k.ProviderName, k.ConnectionID)
		case consent.Lost:
			say("%s (connection %s) refused its refresh token: log in again with `bankdesk reconnect --connection %s`", k.ProviderName, k.ConnectionID, k.ConnectionID)
		case consent.Failed:
			say("could not refresh %s (connection %s) now; the next run tries again", k.ProviderName, k.ConnectionID)
		}
	}
	for _, r := range run.Reminded {
		line := fmt.Sprintf("reminded %s: %d days left", r.Bank, r.DaysLeft)
		if r.ConnectionID != "" {
			line = fmt.Sprintf("reminded %s (connection %s): %d days left", r.Bank, r.ConnectionID, r.DaysLeft)
		}
		var ue *notify.UnavailableError
		if errors.As(r.Shown, &ue) {
			line += fmt.Sprintf(" (%s; %s)", ue.Why, r.Message)
		} else if r.Shown != nil {
			line += fmt.Sprintf(" (no desktop notification; %s)", r.Message)
		}
		say("%s", line)
	}
	if lines == 0 {
		if run.Locked {
			say("nothing due (the vault has a passphrase: reminders only, from the schedule file)")
		} else {
			say("nothing due")
		}
	}
}
