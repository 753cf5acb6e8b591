package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"bankdesk/backend/desk"
	"bankdesk/backend/importer"
	"bankdesk/backend/money"
)

// importFlags are import's flags, parsed.
type importFlags struct {
	account, newAccount, currency, format, mapping, saveMapping, undo string
	dryRun                                                            bool
	m                                                                 importer.Mapping
}

func importCommand(fs *flag.FlagSet) runner {
	var f importFlags
	fs.StringVar(&f.account, "account", "", "import into the account or card `ID` (see bankdesk accounts)")
	fs.StringVar(&f.newAccount, "new-account", "", "import into a new manual account called `NAME`")
	fs.StringVar(&f.currency, "currency", "", "the new account's `CODE` (GBP, EUR...) when the file does not say")
	fs.StringVar(&f.format, "format", "", "`FORMAT`: ofx (OFX or QFX) or csv (default: from the file)")
	fs.StringVar(&f.mapping, "mapping", "", "read the CSV by the mapping saved as `NAME` (built in: bankdesk, for Bankdesk's own export)")
	fs.StringVar(&f.saveMapping, "save-mapping", "", "save --column, --date-format, --decimal, --sign and --delimiter as the mapping `NAME`, for --mapping next time")
	fs.BoolVar(&f.dryRun, "dry-run", false, "only say what would be added, skipped and left for review")
	fs.StringVar(&f.undo, "undo", "", "take back the import `ID` (see bankdesk imports): remove exactly what it added")
	fs.Func("column", "CSV: `KEY=HEADER`, the header of a column, repeated: KEY is "+strings.Join(importer.ColumnKeys, ", ")+
		" (date and description, and amount or debit and credit, are needed)", func(s string) error {
		key, header, ok := strings.Cut(s, "=")
		if !ok || strings.TrimSpace(header) == "" {
			return fmt.Errorf("want KEY=HEADER, as in date=Date")
		}
		return f.m.SetColumn(strings.TrimSpace(key), header)
	})
	fs.StringVar(&f.m.DateFormat, "date-format", "", "CSV: the date's `FORMAT` in YYYY, MM, DD (default YYYY-MM-DD; e.g. DD/MM/YYYY)")
	fs.StringVar(&f.m.Decimal, "decimal", "", "CSV: the decimal `SEPARATOR`, . or , (default .)")
	fs.StringVar(&f.m.Sign, "sign", "", "CSV: `CONVENTION` of the amount column: out-negative (default) or out-positive")
	fs.StringVar(&f.m.Delimiter, "delimiter", "", "CSV: the field `CHAR`, , ; | or tab (default: from the header)")
	var path string
	return runner{
		check: func(_ IO, args []string) error {
			columns := f.m != (importer.Mapping{})
			switch {
			case f.undo != "":
				if len(args) > 0 || f.account != "" || f.newAccount != "" || f.dryRun {
					return usageError{"--undo ID takes no file and no other flag"}
				}
				return nil
			case len(args) != 1:
				return usageError{"want exactly one argument: the file to import"}
			case (f.account == "") == (f.newAccount == ""):
				return usageError{"give one of --account ID and --new-account NAME"}
			case f.format != "" && f.format != importer.FormatOFX && f.format != importer.FormatCSV:
				return usageError{fmt.Sprintf("--format is %q; want ofx or csv", f.format)}
			case f.mapping != "" && columns:
				return usageError{"give --mapping or --column flags, not both"}
			case f.saveMapping != "" && !columns:
				return usageError{"--save-mapping needs the --column flags to save"}
			}
			path = args[0]
			return nil
		},
		run: func(_ context.Context, d *desk.Desk, io IO) error {
			if f.undo != "" {
				return undoImport(d, io, f.undo)
			}
			if f.saveMapping != "" {
				if err := d.SaveImportMapping(f.saveMapping, f.m); err != nil {
					return sayable(err)
				}
				fmt.Fprintf(io.Stderr, "Saved the mapping %q.\n", f.saveMapping)
			}
			res, err := d.Import(desk.ImportRequest{
				Path: path, AccountID: f.account, NewAccount: f.newAccount, Currency: f.currency, Format: strings.ToLower(f.format),
				Mapping: f.m, MappingName: f.mapping, DryRun: f.dryRun,
			})
			if err != nil {
				if errors.As(err, new(*importer.Error)) {
					return err // the file, not the command line: its sentence, exit 1
				}
				return sayable(err)
			}
			if f.dryRun {
				for _, r := range res.Review {
					fmt.Fprintf(io.Stdout, "needs review: %s %s %s (stored: %s %s): %s\n", r.Row.Day(), money.String(r.Row.Amount), clean(r.Row.Description),
						r.Stored.Day(), clean(r.Stored.Description), r.Why)
				}
				fmt.Fprint(io.Stdout, "dry run: ")
			}
			line := fmt.Sprintf("added %d, skipped %d", res.Added, res.Skipped)
			if n := len(res.Review); n > 0 {
				line += fmt.Sprintf(", needs review %d", n)
			}
			fmt.Fprintln(io.Stdout, line)
			if res.ID != "" {
				fmt.Fprintf(io.Stderr, "Import %s into account %s; `bankdesk import --undo %s` takes it back.\n", res.ID, res.AccountID, res.ID)
			}
			if n := len(res.Review); n > 0 && !f.dryRun {
				fmt.Fprintf(io.Stderr, "%d rows look like stored transactions and were left out; `--dry-run` lists them.\n", n)
			}
			return nil
		},
	}
}

func undoImport(d *desk.Desk, io IO, id string) error {
	rec, n, err := d.UndoImport(id)
	if err != nil {
		return sayable(err)
	}
	fmt.Fprintf(io.Stdout, "removed %d (import %s of %s)\n", n, rec.ID, clean(rec.File))
	return nil
}

func importsCommand(fs *flag.FlagSet) runner {
	asJSON := jsonFlag(fs)
	var undo string
	return runner{
		check: func(_ IO, args []string) error {
			switch {
			case len(args) == 0:
				return nil
			case len(args) == 2 && args[0] == "undo":
				undo = args[1]
				return nil
			}
			return usageError{"want no argument (the list), or undo ID"}
		},
		run: func(_ context.Context, d *desk.Desk, io IO) error {
			if undo != "" {
				return undoImport(d, io, undo)
			}
			list, err := d.Imports()
			if err != nil {
				return err
			}
			type item struct {
				ID        string `json:"id"`
				At        string `json:"at"`
				File      string `json:"file"`
				Format    string `json:"format"`
				AccountID string `json:"account_id"`
				Added     int    `json:"added"`
				Skipped   int    `json:"skipped"`
				Review    int    `json:"review"`
			}
			items := make([]item, 0, len(list))
			for _, i := range list {
				items = append(items, item{i.ID, desk.RFC3339(i.At), i.File, i.Format, i.AccountID, i.Added(), i.Skipped, i.Review})
			}
			return printListing(io, *asJSON, items, len(items), "No imports yet: run `bankdesk import FILE`.", func() error {
				for _, i := range items {
					fmt.Fprintf(io.Stdout, "%-16s  %-20s  %-28s  %-32s  added %d\n", i.ID, i.At, clean(i.File), i.AccountID, i.Added)
				}
				return nil
			})
		},
	}
}
