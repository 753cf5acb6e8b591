package cli

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/term"

	"bankdesk/backend/config"
)

// passphraseSource gives the file vault its passphrase: BANKDESK_PASSPHRASE
// for scripts, else a prompt when a person is at the terminal, else none
// (the vault then says a passphrase is needed).
func passphraseSource(io IO, cfg config.Config) func() (string, error) {
	if cfg.Passphrase != "" {
		return func() (string, error) { return cfg.Passphrase, nil }
	}
	fd := int(os.Stdin.Fd())
	if !term.IsTerminal(fd) {
		return nil
	}
	return func() (string, error) {
		fmt.Fprint(io.Stderr, "No OS keyring is available. Bankdesk passphrase: ")
		b, err := term.ReadPassword(fd)
		fmt.Fprintln(io.Stderr)
		if err != nil {
			return "", fmt.Errorf("read passphrase: %w", err)
		}
		if len(b) == 0 {
			return "", errors.New("no passphrase given")
		}
		return string(b), nil
	}
}
