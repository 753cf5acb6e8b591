package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"golang.org/x/term"

	"bankdesk/backend/backup"
	"bankdesk/backend/config"
	"bankdesk/backend/datadir"
	"bankdesk/backend/desk"
)

// backupPassphraseEnv gives scripts the backup passphrase; a person at the
// terminal is asked instead.
const backupPassphraseEnv = "BANKDESK_BACKUP_PASSPHRASE"

// backupPassphrase is how the command gets the backup passphrase: the
// environment, else the terminal (fresh asks for a new one, twice), else
// an error said before anything is opened.
func backupPassphrase(io IO, fresh bool) (func() (string, error), error) {
	if p := io.Getenv(backupPassphraseEnv); p != "" {
		return func() (string, error) { return p, nil }, nil
	}
	fd := int(os.Stdin.Fd())
	if !term.IsTerminal(fd) {
		return nil, usageError{"set " + backupPassphraseEnv + ", or run at a terminal to type the backup passphrase"}
	}
	if fresh {
		return func() (string, error) {
			fmt.Fprintln(io.Stderr, "The backup gets a passphrase of its own: it is what opens the backup on another computer, so keep it safe.")
			return askNewPassphrase(io, fd, "Backup passphrase: ")
		}, nil
	}
	return func() (string, error) { return readSecret(io, fd, "Backup passphrase: ") }, nil
}

// backupCommand writes an encrypted backup of everything: connections and
// their tokens, accounts, transactions, settings.
func backupCommand(fs *flag.FlagSet) runner {
	output := fs.String("o", "", "write the backup to `FILE` (an age file), atomically (required)")
	var pass func() (string, error)
	return runner{
		check: func(io IO, _ []string) error {
			if err := required("-o", *output); err != nil {
				return err
			}
			if err := backup.CheckTarget(*output); err != nil {
				return err
			}
			var err error
			pass, err = backupPassphrase(io, true)
			return err
		},
		run: func(ctx context.Context, d *desk.Desk, io IO) error {
			p, err := pass()
			if err != nil {
				return err
			}
			m, err := d.Backup(ctx, *output, p)
			if err != nil {
				return err
			}
			fmt.Fprintf(io.Stderr, "Backed up %s to %s.\n", counts(m), *output)
			if m.Unreadable > 0 {
				fmt.Fprintf(io.Stderr, "%d damaged record(s) could not be read and are in the backup as they were.\n", m.Unreadable)
			}
			return nil
		},
	}
}

// restoreCommand puts a backup in place of the data directory's data.
func restoreCommand(fs *flag.FlagSet) runner {
	force := fs.Bool("force", false, "replace the data this data directory holds (all of it: a restore never merges)")
	var (
		pass func() (string, error)
		path string
	)
	return runner{
		check: func(io IO, args []string) error {
			path = args[0]
			var err error
			pass, err = backupPassphrase(io, false)
			return err
		},
		run: func(_ context.Context, _ *desk.Desk, io IO) error {
			return runRestore(io, path, pass, *force)
		},
	}
}

func runRestore(io IO, path string, pass func() (string, error), force bool) error {
	cfg, err := config.FromEnv(io.Getenv)
	if err != nil {
		return err
	}
	opts := desk.Options{Config: cfg, Log: logger(io), Passphrase: passphraseSource(io, cfg), Context: io.context()}
	m, err := desk.Restore(opts, path, pass, force)
	if errors.Is(err, datadir.ErrNotEmpty) {
		return fmt.Errorf("%w; to replace it with the backup, run again with --force", err)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Stderr, "Restored the backup of %s: %s. `bankdesk sync` goes on from there.\n", m.Created.Local().Format("2 Jan 2006 15:04"), counts(m))
	fmt.Fprintln(io.Stderr, "Use one computer at a time: the bank renews a connection's tokens as it syncs, so the other computer's copy of them stops working.")
	return nil
}

// counts says what a backup holds.
func counts(m backup.Manifest) string {
	return fmt.Sprintf("%s, %s and %s", plural(m.Connections, "connection"), plural(m.Accounts, "account"), plural(m.Transactions, "transaction"))
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
