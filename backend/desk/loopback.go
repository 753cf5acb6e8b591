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
	"bankdesk/backend/problem"
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
// the window's own sentence for it (package problem), without the
// technical detail, which the log keeps.
func PageError(err error) string { return problem.Of(err).Message }
