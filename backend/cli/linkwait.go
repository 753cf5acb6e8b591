package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/pkg/browser"

	"bankdesk/backend/callback"
	"bankdesk/backend/config"
	"bankdesk/backend/connect"
	"bankdesk/backend/desk"
	"bankdesk/backend/loopback"
	"bankdesk/backend/store"
)

// lockWait is how long a loopback login, back from the bank, waits for
// another command to release the data file before it completes: the code
// the bank sent is only valid for minutes.
const lockWait = time.Minute

// pendingLogin is a bank login a command has started. In loopback mode the
// command receives the bank's redirect itself and waits for it; otherwise
// the redirect goes to bankdesk:// and `bankdesk callback` completes it.
//
// While it waits the data file is closed, so other commands keep working:
// the listener knows the bank's answer by the login's state alone, and the
// command opens the file again only to complete it. Any web page can make
// the browser send this port a request, so every other request is refused
// and the login goes on.
type pendingLogin struct {
	listener io.Closer    // nil unless loopback
	held     *desk.Desk   // the backend kept open while waiting (built-in sandbox), or nil
	arrived  chan arrival // the answer that carries this login's state
	notes    chan error   // error answers that name no login: told, not final
	stop     chan struct{}
	stopOnce sync.Once

	mu    sync.Mutex
	state string // this login's, once its link exists
	taken bool   // its answer arrived
}

// arrival is the bank's answer, with where to send the browser's page.
type arrival struct {
	cb    callback.Result
	reply chan pageReply
}

type pageReply struct {
	msg string
	err error
}

// startLogin listens for the redirect when d uses a loopback redirect URI.
// Call it before the link exists, so no redirect can beat the listener.
func startLogin(d *desk.Desk) (*pendingLogin, error) {
	p := &pendingLogin{}
	if !d.Loopback() {
		return p, nil
	}
	p.arrived = make(chan arrival)
	p.notes = make(chan error, 4)
	p.stop = make(chan struct{})
	l, err := loopback.Listen(d.Config().RedirectURI, p.handle)
	if err != nil {
		return nil, err
	}
	p.listener = l
	return p, nil
}

// loopback reports whether the command waits for the bank's answer itself.
func (p *pendingLogin) loopback() bool { return p.listener != nil }

// expect names the state of the login the link starts.
func (p *pendingLogin) expect(state string) {
	p.mu.Lock()
	p.state = state
	p.mu.Unlock()
}

// handle is the listener's handler. It runs on the listener's goroutines,
// so it only passes answers to wait, which prints and completes.
func (p *pendingLogin) handle(_ context.Context, cb callback.Result) (string, error) {
	if cb.Stateless() {
		// The dialog's error without a state (the user cancelled where it
		// no longer knew the login): anyone could send it, so it is told,
		// and the user decides.
		err := connect.CallbackError(cb)
		select {
		case p.notes <- err:
		default:
		}
		return "", err
	}
	p.mu.Lock()
	ours := p.state != "" && cb.State == p.state && !p.taken
	p.taken = p.taken || ours
	p.mu.Unlock()
	if !ours {
		return "", loopback.ErrIgnored
	}
	a := arrival{cb, make(chan pageReply, 1)}
	select {
	case p.arrived <- a:
	case <-p.stop:
		return "", errors.New("Bankdesk stopped waiting for this login; please start again")
	}
	select {
	case r := <-a.reply:
		return r.msg, r.err
	case <-p.stop:
		return "", errors.New("Bankdesk stopped waiting for this login; please start again")
	}
}

// runLogin is the shape of `connect` and `reconnect`: open the backend,
// listen first in loopback mode, begin the login, print (and open) its link,
// say what to do (hint, with the link's expiry), and in loopback mode wait
// for the bank's answer, reported as done.
func runLogin(ctx context.Context, io IO, cmd string, noBrowser bool, begin func(*desk.Desk) (connect.Link, error), hint, done string) error {
	var o opener
	var link connect.Link
	login, err := prepareLogin(io, &o, func(d *desk.Desk) (state string, err error) {
		link, err = begin(d)
		return link.State, err
	})
	if err != nil {
		return err
	}
	defer login.Close()
	if err := login.open(io, cmd, link.URL, noBrowser); err != nil {
		return err
	}
	fmt.Fprintf(io.Stderr, hint+"\n", link.ExpiresAt.Local().Format("15:04"))
	return login.wait(ctx, io, &o, cmd, done, link.ExpiresAt)
}

// prepareLogin opens the backend, listens first in loopback mode, and runs
// start, which begins the login and returns its state (or "" when no login
// follows). The data file is closed again when it returns: whatever the
// login still needs from it, wait opens it for.
//
// The built-in sandbox is the exception: it is the bank, and it lives in
// this process, so the backend stays open (and the sandbox serving) until
// the login ends. Its redirect then comes back to a loopback port of this
// command, since a bankdesk:// link would start the window instead.
func prepareLogin(io IO, o *opener, start func(*desk.Desk) (state string, err error)) (_ *pendingLogin, err error) {
	cfg, err := config.FromEnv(io.Getenv)
	if err != nil {
		return nil, err
	}
	if cfg.Builtin() && !loopback.IsLoopback(cfg.RedirectURI) {
		if o.redirect, err = loopback.FreeRedirectURI(); err != nil {
			return nil, err
		}
	}
	d, err := o.open(io, 0)
	if err != nil {
		return nil, err
	}
	hold := d.Sandbox() != nil
	defer func() {
		if !hold || err != nil {
			_ = d.Close() // every write is committed already
		}
	}()
	login, err := startLogin(d)
	if err != nil {
		return nil, err
	}
	state, err := start(d)
	if err != nil {
		login.Close()
		return nil, err
	}
	login.expect(state)
	if hold {
		login.held = d
	}
	return login, nil
}

// Close stops listening, and closes the backend a built-in login held.
func (p *pendingLogin) Close() {
	if p.listener != nil {
		p.stopOnce.Do(func() { close(p.stop) })
		_ = p.listener.Close() // stopping; a listener that will not close has nothing left to serve
	}
	if p.held != nil {
		_ = p.held.Close() // every write is committed already
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

// wait, in loopback mode, waits for the redirect until expires, completes
// the connection (opening the data file again), reports it as done
// ("Connected", "Renewed") and fetches its history at once, as `bankdesk
// callback` does: banks give history older than 90 days only in the
// minutes after the login. In deep-link mode it returns at once: `bankdesk
// callback` takes over.
func (p *pendingLogin) wait(ctx context.Context, io IO, o *opener, cmd, done string, expires time.Time) error {
	if !p.loopback() {
		return nil
	}
	timer := time.NewTimer(time.Until(expires))
	defer timer.Stop()
	for {
		select {
		case err := <-p.notes:
			say(io.Stderr, "bankdesk %s: the bank's page says: %s. If you stopped there, press Ctrl+C; otherwise Bankdesk keeps waiting for the bank until %s.",
				cmd, err, expires.Local().Format("15:04"))
		case a := <-p.arrived:
			return p.complete(ctx, io, o, cmd, done, a)
		case <-timer.C:
			return connect.ErrExpired
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// complete finishes the login from the bank's answer and syncs it.
func (p *pendingLogin) complete(ctx context.Context, io IO, o *opener, cmd, done string, a arrival) error {
	d, err := p.reopen(io, o, cmd)
	if err != nil {
		a.reply <- pageReply{err: err}
		return err
	}
	if d != p.held {
		defer func() { _ = d.Close() }() // every write is committed already
	}
	res, err := d.CompleteResult(ctx, a.cb, false)
	if err != nil {
		a.reply <- pageReply{err: err}
		return err
	}
	a.reply <- pageReply{msg: desk.PageMessage(res)}
	for _, w := range res.Warnings {
		say(io.Stderr, "bankdesk %s: warning: %s", cmd, w)
	}
	reportNotes(io.Stderr, cmd, res)
	fmt.Fprintf(io.Stderr, "%s: %s\n", done, res.ConnectionID)
	return syncConnection(ctx, d, io, cmd, res.ConnectionID, true)
}

// reopen is the backend to complete the login with: the one held open, or
// the data file opened again, waiting a while for another command.
func (p *pendingLogin) reopen(io IO, o *opener, cmd string) (*desk.Desk, error) {
	if p.held != nil {
		return p.held, nil
	}
	d, err := o.open(io, 0)
	if errors.Is(err, store.ErrAlreadyRunning) {
		fmt.Fprintf(io.Stderr, "bankdesk %s: the bank answered; waiting for another Bankdesk to release the data file…\n", cmd)
		d, err = o.open(io, lockWait)
	}
	return d, err
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
