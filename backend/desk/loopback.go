package desk

import (
	"context"
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
// redirect URI; onDone sees each completed (or failed) connection.
func (d *Desk) ServeCallbacks(onDone func(connect.Result, error)) (io.Closer, error) {
	return loopback.Listen(d.cfg.RedirectURI, func(ctx context.Context, cb callback.Result) (string, error) {
		res, err := d.flow.CompleteResult(ctx, cb)
		onDone(res, err)
		if err != nil {
			return "", err
		}
		if res.Unfinished {
			return strings.Join(res.Notes, " "), nil
		}
		return strings.Join(append([]string{fmt.Sprintf("%d account(s) and %d card(s) connected.", res.Accounts, res.Cards)}, res.Notes...), " "), nil
	})
}
