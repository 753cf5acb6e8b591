package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"golang.org/x/term"

	"bankdesk/backend/config"
	"bankdesk/backend/datadir"
	"bankdesk/backend/desk"
	"bankdesk/backend/vault"
)

// resetCommand deletes the data directory's data and its encryption key, after
// saying exactly what goes and asking (--yes for scripts). It is the way
// out when the key or the data is lost for good.
func resetCommand(fs *flag.FlagSet) runner {
	yes := fs.Bool("yes", false, "do not ask for confirmation")
	return runner{run: func(ctx context.Context, _ *desk.Desk, io IO) error { return runReset(ctx, io, *yes) }}
}

func runReset(ctx context.Context, io IO, yes bool) error {
	cfg, err := config.FromEnv(io.Getenv)
	if err != nil {
		return err
	}
	r, err := datadir.BeginReset(datadir.Options{
		Store: cfg.StorePath(),
		Vault: vault.Options{Mode: vault.Mode(cfg.Keyring), Dir: cfg.VaultDir},
	})
	if err != nil {
		return err
	}
	defer func() { _ = r.Close() }() // Close only releases the lock
	items := r.Items()
	if len(items) == 0 {
		fmt.Fprintf(io.Stderr, "Nothing to delete in %s.\n", cfg.DataDir)
		return nil
	}
	fmt.Fprintln(io.Stderr, "This deletes, for good:")
	for _, it := range items {
		fmt.Fprintln(io.Stderr, "  "+it)
	}
	if !yes {
		if !term.IsTerminal(int(os.Stdin.Fd())) {
			return errors.New("nothing deleted: confirm with `bankdesk reset --yes`")
		}
		fmt.Fprint(io.Stderr, "Type \"delete\" to go ahead: ")
		answer, _ := bufio.NewReader(os.Stdin).ReadString('\n')
		if strings.TrimSpace(answer) != "delete" {
			return errors.New("nothing deleted")
		}
	}
	if err := r.Do(ctx); err != nil {
		return fmt.Errorf("not everything could be deleted (run `bankdesk reset` again): %w", err)
	}
	fmt.Fprintln(io.Stderr, "Deleted. The next start sets up a new, empty data directory.")
	return nil
}
