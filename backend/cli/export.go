package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"bankdesk/backend/export"
)

// Registered here rather than in cli.go's table, so the export command is
// one file.
func init() { commands["export"] = command{"export transactions to CSV or OFX", runExport} }

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
	set                                 map[string]bool // flags given on the command line
}

func runExport(ctx context.Context, io IO, args []string) error {
	fs := newFlags("export", io)
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
	fs.StringVar(&f.output, "o", "", "write to `FILE`, atomically; a device or FIFO is written in place (default: stdout)")
	if err := parse(fs, args); err != nil {
		return err
	}
	f.set = map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { f.set[fl.Name] = true })
	format, opts, err := f.options()
	if err != nil {
		return err
	}
	toFile := f.output != "" && f.output != "-"
	// A folder or a missing one fails here, before the passphrase prompt
	// and the store: not after the whole export was written.
	if toFile {
		if err := export.CheckTarget(f.output); err != nil {
			return plain(err)
		}
	}
	d, err := openDesk(io)
	if err != nil {
		return err
	}
	defer func() { _ = d.Close() }() // the export file is closed by then; the data file was read
	if !toFile {
		_, err := d.Export(ctx, io.Stdout, format, opts)
		return plain(err)
	}
	opts.Progress = progressLines(io.Stderr)
	sum, err := d.ExportFile(ctx, f.output, format, opts)
	if err != nil {
		return plain(err)
	}
	fmt.Fprintf(io.Stderr, "Exported %d transactions from %d accounts to %s\n", sum.Rows, sum.Accounts, f.output)
	return nil
}

// options checks the flags and turns them into export options; every
// mistake is a usage error (exit 2).
func (f exportFlags) options() (export.Format, export.Options, error) {
	if f.format == "" {
		return "", export.Options{}, usageError{"--format csv|ofx is required"}
	}
	format, err := export.ParseFormat(f.format)
	if err != nil {
		return "", export.Options{}, usageError{fmt.Sprintf("--format wants csv or ofx, got %q", f.format)}
	}
	opts := export.Options{Accounts: f.accounts, IncludePending: f.pending, IncludeRemoved: f.removed, BOM: f.bom, Excel: f.excel, Raw: f.raw, FlattenNewlines: f.flatten}
	if opts.From, err = parseDay("--from", f.from); err != nil {
		return "", export.Options{}, err
	}
	if opts.To, err = parseDay("--to", f.to); err != nil {
		return "", export.Options{}, err
	}
	if !opts.From.IsZero() && !opts.To.IsZero() && opts.To < opts.From {
		return "", export.Options{}, usageError{"--to is before --from"}
	}
	switch f.delimiter {
	case ",":
	case ";":
		opts.Delimiter = ';'
	default:
		return "", export.Options{}, usageError{fmt.Sprintf("--delimiter wants ',' or ';', got %q", f.delimiter)}
	}
	if format == export.FormatOFX {
		for _, name := range []string{"delimiter", "bom", "excel", "raw", "flatten-newlines"} {
			if f.set[name] {
				return "", export.Options{}, usageError{"--" + name + " only applies to --format csv"}
			}
		}
		if f.pending {
			return "", export.Options{}, usageError{"--include-pending only applies to --format csv: OFX statements carry booked transactions only (pending ones have no stable FITID)"}
		}
	}
	return format, opts, nil
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

// plain drops the export package's "export: " prefix: Main already says
// "bankdesk export: ".
func plain(err error) error {
	if err == nil {
		return nil
	}
	return exportError{err}
}

type exportError struct{ err error }

func (e exportError) Error() string { return strings.TrimPrefix(e.err.Error(), "export: ") }
func (e exportError) Unwrap() error { return e.err }
