package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"bankdesk/backend/desk"
	"bankdesk/backend/syncer"
)

func syncCommand(fs *flag.FlagSet) runner {
	conn := fs.String("connection", "", "sync only this connection (default: all)")
	background := fs.Bool("background", false, "sync as an unattended job: no X-PSU-IP, at most 4 calls per account and endpoint a day (PSD2)")
	older := fs.Bool("older", false, "ask the bank once more for the older history it refused before (best right after `bankdesk reconnect`)")
	return runner{
		check: func(IO, []string) error {
			if *older && *background {
				return usageError{"--older is for a sync you start yourself, not --background"}
			}
			return nil
		},
		run: func(ctx context.Context, d *desk.Desk, io IO) error {
			if *older {
				if err := d.RetryOlder(*conn); err != nil {
					return err
				}
			}
			return runSync(ctx, d, io, *conn, !*background)
		},
	}
}

// runSync syncs one connection, or all with conn "", and sums up.
func runSync(ctx context.Context, d *desk.Desk, io IO, conn string, attended bool) error {
	if conn != "" {
		return syncConnection(ctx, d, io, "sync", conn, attended)
	}
	reports, err := d.SyncAll(ctx, attended, progressPrinter(io.Stderr))
	if err != nil {
		return err
	}
	if len(reports) == 0 {
		fmt.Fprintln(io.Stderr, "Nothing to sync: run `bankdesk connect` first.")
	}
	return summarise(io.Stderr, "sync", reports)
}

// syncConnection syncs one connection, with progress lines, and sums up
// as command cmd.
func syncConnection(ctx context.Context, d *desk.Desk, io IO, cmd, id string, attended bool) error {
	rep, err := d.Sync(ctx, id, attended, progressPrinter(io.Stderr))
	if err != nil {
		return err
	}
	return summarise(io.Stderr, cmd, []syncer.Report{rep})
}

// progressPrinter writes one line per window or phase, e.g.
// "Club Lloyds: backfill 2023-01-01..2023-03-31 (5/24) +312 (older history: 3m40s left)".
func progressPrinter(w io.Writer) func(syncer.Progress) {
	return func(p syncer.Progress) {
		var b strings.Builder
		b.WriteString(p.AccountName)
		b.WriteString(": ")
		b.WriteString(strings.ReplaceAll(p.Phase, "_", " "))
		if !p.WindowFrom.IsZero() {
			fmt.Fprintf(&b, " %s..%s", p.WindowFrom.Format(time.DateOnly), p.WindowTo.Format(time.DateOnly))
		}
		if p.Windows > 0 {
			fmt.Fprintf(&b, " (%d/%d)", p.Window, p.Windows)
		}
		if p.Added > 0 || !p.WindowFrom.IsZero() || p.Phase == syncer.PhaseDone {
			fmt.Fprintf(&b, " +%d", p.Added)
		}
		if p.Updated > 0 {
			fmt.Fprintf(&b, " ~%d", p.Updated)
		}
		if p.Removed > 0 {
			fmt.Fprintf(&b, " -%d removed by the bank", p.Removed)
		}
		if p.Phase == syncer.PhaseBackfill && !p.DeepHistoryUntil.IsZero() {
			if left := time.Until(p.DeepHistoryUntil); left > 0 {
				fmt.Fprintf(&b, " (older history: %s left)", left.Round(time.Second))
			}
		}
		if p.Message != "" {
			b.WriteString(": ")
			b.WriteString(firstLine(p.Message))
		}
		fmt.Fprintln(w, clean(b.String()))
	}
}

// summarise prints a line per note and per account that did not sync. It
// fails only when the user must act (reconnect a bank): a bank that did
// not answer this time is a warning, and the next sync tries again.
func summarise(w io.Writer, cmd string, reports []syncer.Report) error {
	var act []string
	for _, r := range reports {
		if r.Err != nil && len(r.Accounts) == 0 {
			tell(w, fmt.Sprintf("bankdesk %s: connection %s", cmd, r.ConnectionID), firstLine(r.Err.Error()), r.Err)
			if syncer.NeedsUser(r.Err) {
				act = append(act, reconnectHint(r.ConnectionID))
			}
		}
		needs := false
		for _, a := range r.Accounts {
			for _, n := range a.Notes {
				say(w, "bankdesk %s: note: %s: %s", cmd, a.Name, firstLine(n))
			}
			if len(a.Skipped) > 0 {
				say(w, "bankdesk %s: note: %s: skipped %s (today's PSD2 limit of unattended calls is spent; an attended sync catches up)",
					cmd, a.Name, strings.Join(a.Skipped, ", "))
			}
			switch {
			case a.Err == nil:
			case syncer.NeedsUser(a.Err):
				needs = true
				tell(w, fmt.Sprintf("bankdesk %s: %s", cmd, a.Name), firstLine(a.Err.Error()), a.Err)
			default:
				tell(w, fmt.Sprintf("bankdesk %s: warning: %s: not fully synced, will try again at the next sync", cmd, a.Name), firstLine(a.Err.Error()), a.Err)
			}
		}
		if needs && (r.Err == nil || len(r.Accounts) > 0) {
			act = append(act, reconnectHint(r.ConnectionID))
		}
	}
	if len(act) > 0 {
		return errors.New(strings.Join(act, "; "))
	}
	return nil
}

// reconnectHint is what to do about a connection whose consent is gone.
func reconnectHint(connectionID string) string {
	return fmt.Sprintf("the bank needs you to log in again: run `bankdesk reconnect --connection %s`", connectionID)
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
