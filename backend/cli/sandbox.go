package cli

import (
	"context"
	"flag"
	"fmt"

	"bankdesk/backend/desk"
	"bankdesk/backend/sandbox"
)

// sandboxCommand serves the built-in sandbox until ctx ends (Ctrl+C). Its first
// lines on stdout are KEY=value pairs that other tools can eval or parse.
func sandboxCommand(fs *flag.FlagSet) runner {
	addr := fs.String("addr", "127.0.0.1:0", "auth server address (port 0 picks a free one)")
	apiAddr := fs.String("api-addr", "127.0.0.1:0", "Data API address (port 0 picks a free one)")
	return runner{run: func(ctx context.Context, _ *desk.Desk, io IO) error {
		srv, err := sandbox.Listen(*addr, *apiAddr, sandbox.Options{Logger: logger(io)})
		if err != nil {
			return fmt.Errorf("listen: %w", err)
		}
		defer func() { _ = srv.Close() }()
		fmt.Fprintf(io.Stdout, "BANKDESK_AUTH_URL=%s\nBANKDESK_API_URL=%s\nBANKDESK_CLIENT_ID=%s\nBANKDESK_CLIENT_SECRET=%s\n",
			srv.AuthURL(), srv.APIURL(), sandbox.ClientID, sandbox.ClientSecret)
		fmt.Fprintln(io.Stderr, "bankdesk sandbox: serving the Mock bank; users john/doe, john/eternal, error.*/error. Ctrl+C stops.")
		<-ctx.Done()
		return nil
	}}
}
