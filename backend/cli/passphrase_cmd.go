package cli

import (
	"context"
	"errors"
	"fmt"
	"os"

	"golang.org/x/term"

	"bankdesk/backend/config"
	"bankdesk/backend/vault"
)

// runChangePassphrase re-protects the passphrase vault's key under a new
// passphrase. Scripts pass BANKDESK_PASSPHRASE (old) and
// BANKDESK_NEW_PASSPHRASE; at a terminal both are asked for.
func runChangePassphrase(_ context.Context, io IO, args []string) error {
	if err := parse(newFlags("change-passphrase", io), args); err != nil {
		return err
	}
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
		ask := func(prompt string) (string, error) {
			fmt.Fprint(io.Stderr, prompt)
			b, err := term.ReadPassword(fd)
			fmt.Fprintln(io.Stderr)
			return string(b), err
		}
		if oldPass, err = ask("Current passphrase: "); err != nil {
			return err
		}
		if newPass, err = ask("New passphrase: "); err != nil {
			return err
		}
		again, err := ask("New passphrase again: ")
		if err != nil {
			return err
		}
		if again != newPass {
			return errors.New("the new passphrases differ; nothing changed")
		}
	}
	if err := vault.ChangePassphrase(cfg.VaultDir, oldPass, newPass); err != nil {
		return err
	}
	fmt.Fprintln(io.Stderr, "Passphrase changed.")
	return nil
}
