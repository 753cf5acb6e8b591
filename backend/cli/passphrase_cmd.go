package cli

import (
	"context"
	"errors"
	"fmt"
	"os"

	"golang.org/x/term"

	"bankdesk/backend/config"
	"bankdesk/backend/desk"
)

// runChangePassphrase gives the passphrase vault a new passphrase and a
// new data key, sealing every record again under it (datadir), so copies
// of vault.key made before stop opening the data. Scripts pass
// BANKDESK_PASSPHRASE (old) and BANKDESK_NEW_PASSPHRASE; at a terminal
// both are asked for.
func runChangePassphrase(ctx context.Context, _ *desk.Desk, io IO) error {
	cfg, err := config.FromEnv(io.Getenv)
	if err != nil {
		return err
	}
	oldPass, newPass := cfg.Passphrase, io.Getenv("BANKDESK_NEW_PASSPHRASE")
	if oldPass == "" || newPass == "" {
		fd := int(os.Stdin.Fd())
		if !term.IsTerminal(fd) {
			return errors.New("set BANKDESK_PASSPHRASE and BANKDESK_NEW_PASSPHRASE, or run at a terminal")
		}
		if oldPass, err = readSecret(io, fd, "Current passphrase: "); err != nil {
			return err
		}
		if newPass, err = askNewPassphrase(io, fd, "New passphrase: "); err != nil {
			return err
		}
	}
	unreadable, err := desk.ChangePassphrase(ctx, desk.Options{Config: cfg}, oldPass, newPass)
	if err != nil {
		return err
	}
	fmt.Fprintln(io.Stderr, "Passphrase changed. A new key now encrypts your data: copies of vault.key from before no longer open it.")
	if unreadable > 0 {
		fmt.Fprintf(io.Stderr, "%d damaged records could not be read under the old key; they were kept as they were.\n", unreadable)
	}
	return nil
}
