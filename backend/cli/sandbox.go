package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"

	"bankdesk/backend/desk"
	"bankdesk/backend/internal/atomicfile"
	"bankdesk/backend/sandbox"
)

// sandboxCommand serves the built-in sandbox until ctx ends (Ctrl+C). Its first
// lines on stdout are KEY=value pairs that other tools can eval or parse.
func sandboxCommand(fs *flag.FlagSet) runner {
	addr := fs.String("addr", "127.0.0.1:0", "auth server address (port 0 picks a free one)")
	apiAddr := fs.String("api-addr", "127.0.0.1:0", "Data API address (port 0 picks a free one)")
	stateFile := fs.String("state", "", "keep the sandbox's connections in this file across restarts (tokens only as hashes)")
	return runner{run: func(ctx context.Context, _ *desk.Desk, io IO) error {
		opts := sandbox.Options{Logger: logger(io)}
		if *stateFile != "" {
			if err := keepState(&opts, *stateFile, io); err != nil {
				return err
			}
		}
		srv, err := sandbox.Listen(*addr, *apiAddr, opts)
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

// keepState has the sandbox start from path's state (when the file exists)
// and write its state there, atomically and private, as it changes.
func keepState(opts *sandbox.Options, path string, io IO) error {
	raw, err := os.ReadFile(path)
	switch {
	case err == nil:
		opts.State = raw
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("read sandbox state: %w", err)
	}
	opts.Persist = func(state []byte) {
		if err := atomicfile.WriteFile(path, state); err != nil {
			say(io.Stderr, "bankdesk sandbox: state not saved: %v", err)
		}
	}
	return nil
}
