// Package cli is Bankdesk's command line: the same binary as the desktop app,
// so scripts and tests drive exactly the code the window uses.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"sort"
	"strings"
	"sync"

	"bankdesk/backend/desk"
)

// Version is set at build time with -ldflags "-X bankdesk/backend/cli.Version=...".
var Version = "0.1.0-dev"

// IO is where a command reads its environment and input and writes its
// output. A nil Stdin reads as empty.
type IO struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string

	ctx    context.Context // Main's; ends on Ctrl+C
	opened *openedDesks    // what the command opened, for Main's damage notice
}

// openedDesks lists the desks a command opened.
type openedDesks struct {
	mu   sync.Mutex
	list []*desk.Desk
}

func (o *openedDesks) add(d *desk.Desk) {
	if o == nil {
		return
	}
	o.mu.Lock()
	o.list = append(o.list, d)
	o.mu.Unlock()
}

// damaged counts the unreadable records the desks met, and whether the
// file itself is damaged (a bucket lost, a header page).
func (o *openedDesks) damaged() (records int, file bool) {
	if o == nil {
		return 0, false
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, d := range o.list {
		for _, x := range d.Damaged() {
			if x.Bucket == "file" {
				file = true
			} else {
				records++
			}
		}
	}
	return records, file
}

// context is the command's context, for what Main's ctx cannot reach as an
// argument (the keyring probe inside openDesk).
func (io IO) context() context.Context {
	if io.ctx == nil {
		return context.Background()
	}
	return io.ctx
}

type command struct {
	summary string
	run     func(ctx context.Context, io IO, args []string) error
}

var commands = map[string]command{
	"sandbox":           {"run the built-in TrueLayer sandbox standalone", runSandbox},
	"auth-link":         {"print a TrueLayer auth link (developer aid; stores nothing)", runAuthLink},
	"connect":           {"start connecting a bank: print (and open) its auth link", runConnect},
	"callback":          {"complete a connection from the bank's bankdesk://callback URL (- reads it from stdin), then sync it", runCallback},
	"accounts":          {"list connected accounts and cards", runAccounts},
	"sync":              {"fetch new transactions, balances, standing orders and direct debits", runSync},
	"transactions":      {"list stored transactions (booked and pending)", runTransactions},
	"disconnect":        {"revoke a connection at TrueLayer and remove its tokens", runDisconnect},
	"consents":          {"list each connection's consent: status, days left, deadlines", runConsents},
	"extend":            {"renew a connection's 90-day consent (prints `extended` or the link to visit)", runExtend},
	"reconnect":         {"log in at a connection's bank again (prints the link); history is kept", runReconnect},
	"change-passphrase": {"change the vault's passphrase and its data key (systems without an OS keyring)", runChangePassphrase},
	"reset":             {"delete this data directory's data and encryption key, to start over", runReset},
	"version":           {"print the version", runVersion},
}

// IsCommand reports whether args (os.Args[1:]) ask for the command line rather
// than the window. A bare bankdesk:// URL is for the window (the OS invokes the
// scheme handler that way).
func IsCommand(args []string) bool {
	if len(args) == 0 {
		return false
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		return true
	}
	_, ok := commands[args[0]]
	return ok
}

// Main runs the command in args and returns the process exit code. A
// panic is a bug, reported as one with exit status 1: the runtime's own 2
// would read as a usage error.
func Main(ctx context.Context, io IO, args []string) (code int) {
	defer func() {
		if r := recover(); r != nil {
			name := "bankdesk"
			if len(args) > 0 {
				name += " " + clean(args[0])
			}
			fmt.Fprintf(io.Stderr, "%s: internal error: %s (this is a bug; please report it)\n", name, clean(fmt.Sprint(r)))
			code = 1
		}
	}()
	if io.Getenv == nil {
		io.Getenv = os.Getenv
	}
	if len(args) == 0 || !IsCommand(args) || args[0] == "help" || strings.HasPrefix(args[0], "-") {
		usage(io.Stderr)
		if len(args) == 0 || !IsCommand(args) {
			return 2
		}
		return 0
	}
	cmd := commands[args[0]]
	io.ctx = ctx
	io.opened = &openedDesks{}
	defer damageNotice(io)
	// A result nobody received is a failure (`> /dev/full`, a closed
	// pipe): out remembers the first write error, whoever wrote.
	out := &checkedWriter{w: io.Stdout}
	io.Stdout = out
	err := cmd.run(ctx, io, args[1:])
	if out.err != nil && (err == nil || errors.Is(err, out.err)) {
		err = outputError{out.err}
	}
	if err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		// Errors carry text from outside (a bank's description, a URL):
		// one cleaned line, whatever it holds.
		if ue, ok := err.(usageError); ok {
			fmt.Fprintf(io.Stderr, "bankdesk %s: %s\n", args[0], clean(ue.msg))
			return 2
		}
		fmt.Fprintf(io.Stderr, "bankdesk %s: %s\n", args[0], clean(err.Error()))
		return 1
	}
	return 0
}

// damageNotice tells, after a command, about damage its desks met: the
// command itself went on without the unreadable records.
func damageNotice(io IO) {
	records, file := io.opened.damaged()
	switch {
	case file:
		fmt.Fprintln(io.Stderr, "bankdesk: the data file is damaged. `bankdesk repair` rebuilds it from what is readable and the last snapshot (the damaged file is kept).")
	case records > 0:
		fmt.Fprintf(io.Stderr, "bankdesk: %d saved record(s) could not be read and were left out. `bankdesk check` lists them; `bankdesk repair` rebuilds the data file (the damaged file is kept).\n", records)
	}
}

// checkedWriter remembers the first error of the writer it wraps and
// writes nothing after it.
type checkedWriter struct {
	w   io.Writer
	err error
}

func (c *checkedWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	if err != nil {
		c.err = err
	}
	return n, err
}

// outputError is a result that could not be written to stdout.
type outputError struct{ err error }

func (e outputError) Error() string {
	cause := e.err
	var pe *fs.PathError
	if errors.As(cause, &pe) {
		cause = pe.Err // "no space left on device", not the device's path
	}
	return fmt.Sprintf("could not write the output (%v)", cause)
}

func (e outputError) Unwrap() error { return e.err }

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: bankdesk [bankdesk://callback?...]     open the app (or hand the URL to the running app)")
	fmt.Fprintln(w, "       bankdesk COMMAND [flags]")
	fmt.Fprintln(w, "\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-17s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'bankdesk COMMAND -h' for a command's flags. Environment: see README.md.")
}

// newFlags makes a flag set that reports errors as usage errors instead of exiting.
func newFlags(name string, io IO) *flag.FlagSet {
	fs := flag.NewFlagSet("bankdesk "+name, flag.ContinueOnError)
	fs.SetOutput(io.Stderr)
	return fs
}

func parse(fs *flag.FlagSet, args []string) error { return parseArgs(fs, args, 0) }

// parseArgs parses flags and wants exactly n positional arguments.
func parseArgs(fs *flag.FlagSet, args []string, n int) error {
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > n {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(n))}
	}
	if fs.NArg() < n {
		return usageError{"missing argument"}
	}
	return nil
}

// logger writes structured logs to stderr; commands keep stdout for results.
func logger(io IO) *slog.Logger {
	level := slog.LevelWarn
	if io.Getenv("BANKDESK_DEBUG") != "" {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(io.Stderr, &slog.HandlerOptions{Level: level}))
}

func runVersion(_ context.Context, io IO, args []string) error {
	if err := parse(newFlags("version", io), args); err != nil {
		return err
	}
	fmt.Fprintln(io.Stdout, "bankdesk", Version)
	return nil
}
