package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/pkg/browser"

	"bankdesk/backend/connect"
	"bankdesk/backend/desk"
	"bankdesk/backend/syncer"
)

// pendingLogin is a bank login a command has started. In loopback mode the
// command receives the bank's redirect itself and waits for it; otherwise
// the redirect goes to bankdesk:// and `bankdesk callback` completes it.
type pendingLogin struct {
	done     chan loginOutcome // nil unless loopback
	listener io.Closer
}

type loginOutcome struct {
	res connect.Result
	err error
}

// startLogin listens for the redirect when d uses a loopback redirect URI.
// Call it before the link exists, so no redirect can beat the listener.
func startLogin(d *desk.Desk) (*pendingLogin, error) {
	p := &pendingLogin{}
	if !d.Loopback() {
		return p, nil
	}
	p.done = make(chan loginOutcome, 1)
	l, err := d.ServeCallbacks(func(res connect.Result, err error) { p.done <- loginOutcome{res, err} })
	if err != nil {
		return nil, err
	}
	p.listener = l
	return p, nil
}

// runLogin is the shape of `connect` and `reconnect`: open the backend,
// listen first in loopback mode, begin the login, print (and open) its link,
// say what to do (hint, with the link's expiry), and in loopback mode wait
// for the bank's answer, reported as done.
func runLogin(ctx context.Context, io IO, cmd string, noBrowser bool, begin func(*desk.Desk) (connect.Link, error), hint, done string) error {
	d, err := openDesk(io)
	if err != nil {
		return err
	}
	defer d.Close()
	login, err := startLogin(d)
	if err != nil {
		return err
	}
	defer login.Close()
	link, err := begin(d)
	if err != nil {
		return err
	}
	if err := login.open(io, cmd, link.URL, noBrowser); err != nil {
		return err
	}
	fmt.Fprintf(io.Stderr, hint+"\n", link.ExpiresAt.Local().Format("15:04"))
	return login.wait(ctx, io, d, cmd, done, link.ExpiresAt)
}

// Close stops listening.
func (p *pendingLogin) Close() {
	if p.listener != nil {
		p.listener.Close()
	}
}

// open prints link alone on stdout and, unless noBrowser, opens it. A link
// that cannot be printed fails the command before a browser opens it.
func (p *pendingLogin) open(io IO, cmd, link string, noBrowser bool) error {
	if _, err := fmt.Fprintln(io.Stdout, link); err != nil {
		return outputError{err}
	}
	if noBrowser {
		return nil
	}
	// Stdout carries the link alone; the browser helper may chatter.
	browser.Stdout, browser.Stderr = io.Stderr, io.Stderr
	if err := openURL(link); err != nil {
		fmt.Fprintf(io.Stderr, "bankdesk %s: could not open a browser (%v); open the link above yourself\n", cmd, err)
	}
	return nil
}

// wait, in loopback mode, waits for the redirect until expires, reports
// the connection it completed as done ("Connected", "Renewed") and fetches
// its history at once, as `bankdesk callback` does: banks give history
// older than 90 days only in the minutes after the login. In deep-link
// mode it returns at once: `bankdesk callback` takes over.
func (p *pendingLogin) wait(ctx context.Context, io IO, d *desk.Desk, cmd, done string, expires time.Time) error {
	if p.done == nil {
		return nil
	}
	select {
	case o := <-p.done:
		if o.err != nil {
			return o.err
		}
		for _, w := range o.res.Warnings {
			say(io.Stderr, "bankdesk %s: warning: %s", cmd, w)
		}
		reportNotes(io.Stderr, cmd, o.res)
		fmt.Fprintf(io.Stderr, "%s: %s\n", done, o.res.ConnectionID)
		rep, err := d.Sync(ctx, o.res.ConnectionID, true, progressPrinter(io.Stderr))
		if err != nil {
			return err
		}
		return summarise(io.Stderr, cmd, []syncer.Report{rep})
	case <-time.After(time.Until(expires)):
		return connect.ErrExpired
	case <-ctx.Done():
		return ctx.Err()
	}
}

// reportNotes tells, on stderr, what a completed login did beyond
// connecting: a setup left to finish at the next sync, a bank that was
// already connected, accounts renamed, new, kept elsewhere or no longer
// shared (connect.Result.Notes words them).
func reportNotes(w io.Writer, cmd string, res connect.Result) {
	for _, n := range res.Notes {
		say(w, "bankdesk %s: %s", cmd, n)
	}
}
