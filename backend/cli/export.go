package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"unicode/utf8"

	"bankdesk/backend/desk"
	"bankdesk/backend/export"
	"bankdesk/backend/ledger"
)

// largeExport is how many rows make an export to a file worth progress
// lines on stderr; progressStep is how often they come.
const (
	largeExport  = 10_000
	progressStep = 10_000
)

// exportFlags are the command's flags, parsed.
type exportFlags struct {
	format, from, to, delimiter, output string
	accounts                            []string
	pending, removed, bom, excel, raw   bool
	flatten                             bool
	delimiterGiven                      bool // on the command line, even as ','
	query                               *string
}

func exportCommand(fs *flag.FlagSet) runner {
	var f exportFlags
	fs.StringVar(&f.format, "format", "", "`FORMAT`: csv or ofx (required)")
	fs.Func("account", "only the account or card `ID`; repeat for several (ids: bankdesk accounts)", func(id string) error {
		f.accounts = append(f.accounts, id)
		return nil
	})
	fs.StringVar(&f.from, "from", "", "first booking day, `YYYY-MM-DD` (the bank's day)")
	fs.StringVar(&f.to, "to", "", "last booking day, `YYYY-MM-DD` (the bank's day)")
	fs.BoolVar(&f.pending, "include-pending", false, "add pending transactions (CSV only)")
	fs.BoolVar(&f.removed, "include-removed", false, "add bookings the bank no longer lists (status \"removed\"), left out by default")
	fs.StringVar(&f.delimiter, "delimiter", ",", "CSV delimiter `CHAR`: ',' or ';'")
	fs.BoolVar(&f.bom, "bom", false, "start the CSV with a UTF-8 byte order mark")
	fs.BoolVar(&f.excel, "excel", false, "CSV for Microsoft Excel: UTF-8 BOM, ',' unless --delimiter says otherwise")
	fs.BoolVar(&f.raw, "raw", false, "no spreadsheet safety: text cells exactly as stored, even when they look like formulas")
	fs.BoolVar(&f.flatten, "flatten-newlines", false, "write each line break in a CSV cell as a space, one line per row (for spreadsheets that split rows at any line break)")
	f.query = queryFlag(fs)
	fs.StringVar(&f.output, "o", "", "write to `FILE`, atomically; a device or FIFO is written in place (default: stdout)")
	var (
		format export.Format
		opts   export.Options
	)
	toFile := func() bool { return f.output != "" && f.output != "-" }
	return runner{
		check: func(IO, []string) error {
			var err error
			fs.Visit(func(fl *flag.Flag) { f.delimiterGiven = f.delimiterGiven || fl.Name == "delimiter" })
			if format, opts, err = f.options(); err != nil {
				return err
			}
			// A folder or a missing one fails here, before the passphrase
			// prompt and the store: not after the whole export was written.
			if toFile() {
				return export.CheckTarget(f.output)
			}
			return nil
		},
		run: func(ctx context.Context, d *desk.Desk, io IO) error {
			if *f.query != "" {
				var err error
				if opts.Keep, err = d.Keep(ledger.Filter{Search: *f.query}); err != nil {
					return err
				}
			}
			if !toFile() {
				_, err := d.Export(ctx, io.Stdout, format, opts)
				return err
			}
			opts.Progress = progressLines(io.Stderr)
			sum, err := d.ExportFile(ctx, f.output, format, opts)
			if err != nil {
				return err
			}
			fmt.Fprintf(io.Stderr, "Exported %d transactions from %d accounts to %s\n", sum.Rows, sum.Accounts, f.output)
			return nil
		},
	}
}

// options turns the flags into export options, checked as the export
// will check them: a mistake is a usage error (exit 2) that names the flag.
func (f exportFlags) options() (export.Format, export.Options, error) {
	if f.format == "" {
		return "", export.Options{}, usageError{"--format csv|ofx is required"}
	}
	format, err := export.ParseFormat(f.format)
	if err != nil {
		return "", export.Options{}, f.usage(err)
	}
	opts := export.Options{Accounts: f.accounts, IncludePending: f.pending, IncludeRemoved: f.removed, BOM: f.bom, Excel: f.excel, Raw: f.raw, FlattenNewlines: f.flatten}
	if opts.From, opts.To, err = parseDays(f.from, f.to); err != nil {
		return "", export.Options{}, err
	}
	// Given at all, the delimiter is the export's to judge (OFX takes
	// none). What is not one character stands in as RuneError, which it
	// refuses like any other.
	if f.delimiterGiven {
		r, size := utf8.DecodeRuneInString(f.delimiter)
		if size == 0 || size != len(f.delimiter) {
			r = utf8.RuneError
		}
		opts.Delimiter = r
	}
	if err := opts.Check(format); err != nil {
		return "", export.Options{}, f.usage(err)
	}
	if err := checkQuery(*f.query); err != nil {
		return "", export.Options{}, err
	}
	return format, opts, nil
}

// optionFlags name the flag that sets each export option.
var optionFlags = map[string]string{
	"Delimiter": "delimiter", "IncludePending": "include-pending",
	"BOM": "bom", "Excel": "excel", "Raw": "raw", "FlattenNewlines": "flatten-newlines",
}

// usage says an option the export refuses in terms of the flags.
func (f exportFlags) usage(err error) error {
	var oe *export.OptionError
	if !errors.As(err, &oe) {
		return err
	}
	name := "--" + optionFlags[oe.Option]
	switch {
	case errors.Is(oe, export.ErrPendingInOFX):
		return usageError{name + " only applies to --format csv: OFX statements carry booked transactions only (pending ones have no stable FITID)"}
	case errors.Is(oe, export.ErrCSVOnly):
		return usageError{name + " only applies to --format csv"}
	case oe.Option == "Format":
		return usageError{fmt.Sprintf("--format wants csv or ofx, got %q", f.format)}
	case oe.Option == "Delimiter":
		return usageError{fmt.Sprintf("--delimiter wants ',' or ';', got %q", f.delimiter)}
	case oe.Option == "To":
		return usageError{"--to is before --from"}
	}
	return err // exit 2 all the same (exitCode)
}

// progressLines prints "exported 10000 of 120000 transactions" every
// progressStep rows of a large export; small ones finish before anyone
// would read a line.
func progressLines(w io.Writer) func(export.Progress) {
	printed := 0
	return func(p export.Progress) {
		large := p.Total >= largeExport || p.Total == 0 && p.Rows >= largeExport
		if !large || p.Rows < printed+progressStep || p.Rows == p.Total {
			return
		}
		printed = p.Rows - p.Rows%progressStep
		if p.Total > 0 {
			fmt.Fprintf(w, "exported %d of %d transactions\n", printed, p.Total)
		} else {
			fmt.Fprintf(w, "exported %d transactions\n", printed)
		}
	}
}
