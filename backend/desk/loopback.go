package desk

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"bankdesk/backend/callback"
	"bankdesk/backend/connect"
	"bankdesk/backend/loopback"
)

// Loopback reports whether the bank redirects to a local HTTP port instead
// of the bankdesk:// scheme.
func (d *Desk) Loopback() bool { return loopback.IsLoopback(d.cfg.RedirectURI) }

// ServeCallbacks starts receiving the bank's redirects on the loopback
// redirect URI, for as long as the desk is open (the window); each
// completed (or failed) login goes to the Sink, as Complete's do. A callback whose state names no
// attempt is refused and never reaches onDone: any web page can make the
// browser send one to this port, and it must not end the login the window
// waits for.
func (d *Desk) ServeCallbacks() (io.Closer, error) {
	return loopback.Listen(d.cfg.RedirectURI, func(ctx context.Context, cb callback.Result) (string, error) {
		res, err := d.CompleteResult(ctx, cb, false)
		if errors.Is(err, connect.ErrUnknownState) {
			d.log.Warn("loopback: ignored a callback that matches no login in progress")
			return "", fmt.Errorf("%w: %w", loopback.ErrIgnored, err)
		}
		d.finishConnect(res, err)
		if err != nil {
			return "", errors.New(PageError(err))
		}
		return PageMessage(res), nil
	})
}

// PageMessage is what the browser tab says after a loopback login completed.
func PageMessage(res connect.Result) string {
	if res.Unfinished {
		return strings.Join(res.Notes, " ")
	}
	return strings.Join(append([]string{connect.Holdings(res.Accounts, res.Cards) + " connected."}, res.Notes...), " ")
}

// PageError is what the browser tab says after a loopback login failed:
// the failure's own sentence (connect's errors each read as one), without
// the technical detail wrapped after it, which the log keeps.
func PageError(err error) string {
	for _, known := range []error{connect.ErrCancelled, connect.ErrExpired, connect.ErrCodeExpired, connect.ErrRefused, connect.ErrNoAccounts, connect.ErrUnfinished} {
		if errors.Is(err, known) {
			return sentence(known.Error())
		}
	}
	var be *connect.BankError
	if errors.As(err, &be) {
		return sentence(be.Error())
	}
	return "Bankdesk could not finish connecting your bank. Go back to Bankdesk and connect again."
}

// sentence starts s with a capital and ends it with a full stop.
func sentence(s string) string {
	if s == "" {
		return s
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}
