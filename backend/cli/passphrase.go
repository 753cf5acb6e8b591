package cli

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/term"

	"bankdesk/backend/config"
	"bankdesk/backend/vault"
)

// passphraseSource gives the file vault its passphrase: BANKDESK_PASSPHRASE
// for scripts, else a prompt when a person is at the terminal, else none
// (the vault then says a passphrase is needed). The vault asks only to
// unlock its key file or to create one; with no key file yet the prompt is
// for a new passphrase: the rule, a strength hint, and a second entry.
func passphraseSource(io IO, cfg config.Config) func() (string, error) {
	if cfg.Passphrase != "" {
		return func() (string, error) { return cfg.Passphrase, nil }
	}
	fd := int(os.Stdin.Fd())
	if !term.IsTerminal(fd) {
		return nil
	}
	return func() (string, error) {
		if km, err := vault.FindKeyMaterial(cfg.VaultDir); err == nil && !km.KeyFile {
			fmt.Fprintln(io.Stderr, "No OS keyring is available, so Bankdesk protects your data with a passphrase.")
			return askNewPassphrase(io, fd, "Choose a passphrase: ")
		}
		p, err := readSecret(io, fd, "No OS keyring is available. Bankdesk passphrase: ")
		if err != nil {
			return "", err
		}
		if p == "" {
			return "", errors.New("no passphrase given")
		}
		return p, nil
	}
}

// newPassphraseTries is how often a new passphrase may be refused (too
// short, the two entries differ) before the command gives up.
const newPassphraseTries = 3

// askNewPassphrase asks for a new passphrase at the terminal until one
// meets the rule, shows how strong it is, and asks for it again.
func askNewPassphrase(io IO, fd int, prompt string) (string, error) {
	fmt.Fprintf(io.Stderr, "Use at least %d characters; a few unrelated words are easy to remember and hard to guess.\n", vault.MinPassphraseLen)
	for range newPassphraseTries {
		p, err := readSecret(io, fd, prompt)
		if err != nil {
			return "", err
		}
		if err := vault.CheckNewPassphrase(p); err != nil {
			fmt.Fprintln(io.Stderr, passphraseProblem(err))
			continue
		}
		fmt.Fprintln(io.Stderr, vault.PassphraseStrength(p).Hint())
		again, err := readSecret(io, fd, "Repeat it: ")
		if err != nil {
			return "", err
		}
		if again != p {
			fmt.Fprintln(io.Stderr, "The two passphrases differ.")
			continue
		}
		return p, nil
	}
	return "", errors.New("no new passphrase chosen; nothing changed")
}

// passphraseProblem is CheckNewPassphrase's refusal in the words of the
// app's form (frontend/src/lib/passphrase.ts).
func passphraseProblem(err error) string {
	switch {
	case errors.Is(err, vault.ErrPassphraseBlank):
		return "A passphrase of only spaces is not allowed."
	case errors.Is(err, vault.ErrPassphraseTooShort):
		return fmt.Sprintf("Use at least %d characters.", vault.MinPassphraseLen)
	}
	return err.Error()
}

// readSecret prompts on stderr and reads a line without echo.
func readSecret(io IO, fd int, prompt string) (string, error) {
	fmt.Fprint(io.Stderr, prompt)
	b, err := term.ReadPassword(fd)
	fmt.Fprintln(io.Stderr)
	if err != nil {
		return "", fmt.Errorf("read passphrase: %w", err)
	}
	return string(b), nil
}
