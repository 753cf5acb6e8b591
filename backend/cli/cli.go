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
	"slices"
	"strings"
	"sync"

	"bankdesk/backend/desk"
	"bankdesk/backend/export"
	"bankdesk/backend/problem"
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

// A command is one `bankdesk NAME`: what help says of it, its flags, and
// what it does with them. Main parses the flags, runs check, opens the
// backend when the command wants it (and closes it after), then runs it.
type command struct {
	name    string
	summary string // its line in `bankdesk help`
	usage   string // what -h prints above the flags; "" for the flag package's line
	// args is how many positional arguments it wants, anywhere among the
	// flags (-1: its check counts them); argsUsage, when set, is the usage error for another number.
	args      int
	argsMax   int // more it may take (0: exactly args)
	argsUsage string
	desk      bool // run gets the opened backend; without it, d is nil
	// flags declares the command's flags and returns what it does with
	// them, parsed.
	flags func(fs *flag.FlagSet) runner
}

// runner is a command's work once its flags are declared. check, when set,
// runs after they are parsed, with the positional arguments, and before
// anything is opened: a mistake in the command line is told first. run
// does the work.
type runner struct {
	check func(io IO, args []string) error
	run   func(ctx context.Context, d *desk.Desk, io IO) error
}

// commands is the command line: every command, one entry each.
var commands = []command{
	{name: "sandbox", summary: "run the built-in TrueLayer sandbox standalone", flags: sandboxCommand},
	{name: "auth-link", summary: "print a TrueLayer auth link (developer aid; stores nothing)", flags: authLinkCommand},
	{name: "connect", summary: "start connecting a bank: print (and open) its auth link", flags: connectCommand},
	{name: "callback", summary: "complete a connection from the bank's bankdesk://callback URL (- reads it from stdin), then sync it",
		args: 1, argsUsage: "want exactly one argument: the bankdesk://callback?... URL, or - to read it from stdin", desk: true, flags: callbackCommand},
	{name: "accounts", summary: "list connected accounts and cards", desk: true, flags: accountsCommand},
	{name: "sync", summary: "fetch new transactions, balances, standing orders and direct debits", desk: true, flags: syncCommand},
	{name: "transactions", summary: "list stored transactions (booked and pending)", desk: true, flags: transactionsCommand},
	{name: "export", summary: "export transactions to CSV or OFX", desk: true, flags: exportCommand},
	{name: "annotate", summary: "add your own category, note, tags or payee name to a transaction, hide it, or link it as a transfer",
		args: 1, argsUsage: "want exactly one argument: the transaction's id (see `bankdesk transactions --json`)", desk: true, flags: annotateCommand},
	{name: "rules", summary: "export | import FILE [--append] | list | preview FILE: your rules (\"always categorise PRET A MANGER as Eating out\")",
		usage: rulesUsage, args: 1, argsMax: 2, argsUsage: "want export, import FILE, list or preview FILE", desk: true, flags: rulesCommand},
	{name: "import", summary: "import a bank's OFX, QFX or CSV file into an account (--undo ID takes an import back)",
		usage: "usage: bankdesk import FILE (--account ID | --new-account NAME) [flags]\n       bankdesk import --undo ID",
		args:  -1, desk: true, flags: importCommand},
	{name: "imports", summary: "list the imports (id, date, file, account, added); `imports undo ID` takes one back",
		args: -1, desk: true, flags: importsCommand},
	{name: "disconnect", summary: "revoke a connection at TrueLayer and remove its tokens", desk: true, flags: disconnectCommand},
	{name: "consents", summary: "list each connection's consent: status, days left, deadlines", desk: true, flags: consentsCommand},
	{name: "extend", summary: "renew a connection's 90-day consent (prints `extended` or the link to visit)", usage: extendUsage, flags: extendCommand},
	{name: "reconnect", summary: "log in at a connection's bank again (prints the link); history is kept", flags: reconnectCommand},
	{name: "keepalive", summary: "refresh connections near their idle deadline and show due reminders (the background job; never asks)", flags: keepaliveCommand},
	{name: "change-passphrase", summary: "change the vault's passphrase and its data key (systems without an OS keyring)", flags: noFlags(runChangePassphrase)},
	{name: "reset", summary: "delete this data directory's data and encryption key, to start over", flags: resetCommand},
	{name: "backup", summary: "write an encrypted backup of everything (connections, tokens, settings, transactions) to an age file", desk: true, flags: backupCommand},
	{name: "restore", summary: "put a backup in place of this data directory's data (--force to replace data it holds)",
		args: 1, argsUsage: "want exactly one argument: the backup file", flags: restoreCommand},
	{name: "check", summary: "verify the data file: every page read, every record unsealed", flags: noFlags(runCheck)},
	{name: "repair", summary: "rebuild a damaged data file from what is readable and the newest snapshot", flags: noFlags(runRepair)},
	{name: "agent", summary: "install | uninstall | status: run `bankdesk keepalive` daily and at login while Bankdesk is closed", usage: agentUsage,
		args: 1, argsUsage: "want one of install, uninstall or status", flags: agentCommand},
	{name: "version", summary: "print the version", flags: noFlags(runVersion)},
}

// lookup finds the command called name.
func lookup(name string) (command, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
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
	_, ok := lookup(args[0])
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
	cmd, _ := lookup(args[0])
	io.ctx = ctx
	io.opened = &openedDesks{}
	defer damageNotice(io)
	// A result nobody received is a failure (`> /dev/full`, a closed
	// pipe): out remembers the first write error, whoever wrote.
	out := &checkedWriter{w: io.Stdout}
	io.Stdout = out
	err := cmd.main(ctx, io, args[1:])
	if out.err != nil && (err == nil || errors.Is(err, out.err)) {
		err = outputError{out.err}
	}
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		tell(io.Stderr, "bankdesk "+cmd.name, message(cmd.name, err), err)
	}
	return exitCode(err)
}

// main runs the command with its arguments (those after its name).
func (c command) main(ctx context.Context, io IO, args []string) error {
	fs := flag.NewFlagSet("bankdesk "+c.name, flag.ContinueOnError)
	fs.SetOutput(io.Stderr)
	if c.usage != "" {
		fs.Usage = func() {
			fmt.Fprintln(fs.Output(), c.usage)
			fs.PrintDefaults()
		}
	}
	r := c.flags(fs)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if err := c.checkArgs(pos); err != nil {
		return err
	}
	if r.check != nil {
		if err := r.check(io, pos); err != nil {
			return err
		}
	}
	if !c.desk {
		return r.run(ctx, nil, io)
	}
	d, err := openDesk(io)
	if err != nil {
		return err
	}
	defer func() { _ = d.Close() }()
	return r.run(ctx, d, io)
}

// exitCode is the process status for a command's error: 0 for none (or
// -h), 2 for a mistake in the command line (a usage error, or options the
// domain refused as such), 1 for anything else.
func exitCode(err error) int {
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, new(usageError)), errors.As(err, new(*export.OptionError)):
		return 2
	}
	return 1
}

// message is err's text after "bankdesk NAME: ". A package names itself
// at the start of its errors ("export: no such account"): where that name
// is the command's, the line says it once.
func message(name string, err error) string {
	return strings.TrimPrefix(err.Error(), name+": ")
}

// tell writes a failure for a person after head ("bankdesk sync"): the
// sentence backend/problem words err in, the one the window shows, then
// the technical chain on a line of its own starting "Details: ". An error
// problem has no words for (the command line's own messages, a usage
// mistake) is said as text, err's text as the command puts it: one line.
// Errors carry text from outside (a bank's description, a URL): each line
// is cleaned, one line whatever it holds.
func tell(w io.Writer, head, text string, err error) {
	p, worded := problem.Context{}.Worded(err)
	if !worded {
		say(w, "%s: %s", head, text)
		return
	}
	say(w, "%s: %s", head, p.Message)
	details := p.Details
	if details == "" {
		details = text
	}
	if !sameSentence(details, p.Message) {
		say(w, "Details: %s", details)
	}
}

// sameSentence: a and b say the same but for the capital and the full
// stop a sentence adds.
func sameSentence(a, b string) bool {
	return strings.EqualFold(strings.TrimSuffix(strings.TrimSpace(a), "."), strings.TrimSuffix(strings.TrimSpace(b), "."))
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

// usageError is a mistake in the command line: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: bankdesk [bankdesk://callback?...]     open the app (or hand the URL to the running app)")
	fmt.Fprintln(w, "       bankdesk COMMAND [flags]")
	fmt.Fprintln(w, "\ncommands:")
	sorted := slices.SortedFunc(slices.Values(commands), func(a, b command) int { return strings.Compare(a.name, b.name) })
	for _, c := range sorted {
		fmt.Fprintf(w, "  %-17s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'bankdesk COMMAND -h' for a command's flags. Environment: see README.md.")
}

// parseInterspersed parses flags wherever they are among the arguments
// (`callback URL --no-sync` as well as `callback --no-sync URL`) and
// returns the positional ones.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// checkArgs wants exactly as many positional arguments as the command takes.
func (c command) checkArgs(pos []string) error {
	switch {
	case len(pos) == c.args, c.args < 0, len(pos) > c.args && len(pos) <= c.argsMax: // args < 0: the command's check counts them
		return nil
	case c.argsUsage != "":
		return usageError{c.argsUsage}
	case len(pos) > c.args:
		return usageError{fmt.Sprintf("unexpected argument %q", pos[max(c.args, c.argsMax)])}
	}
	return usageError{"missing argument"}
}

// required refuses a flag left empty or blank.
func required(flagName, value string) error {
	if strings.TrimSpace(value) == "" {
		return usageError{flagName + " is required"}
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

// noFlags is the flag set-up of a command without flags that does run.
func noFlags(run func(ctx context.Context, d *desk.Desk, io IO) error) func(*flag.FlagSet) runner {
	return func(*flag.FlagSet) runner { return runner{run: run} }
}

func runVersion(_ context.Context, _ *desk.Desk, io IO) error {
	fmt.Fprintln(io.Stdout, "bankdesk", Version)
	return nil
}
