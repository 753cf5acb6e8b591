package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"

	"bankdesk/backend/desk"
	"bankdesk/backend/view"
)

// annotateFlags are annotate's flags: only those given change a field.
type annotateFlags struct {
	account, category, note, payee string
	transferWith, transferAccount  string
	tags, untags                   []string
	hidden, clear, notTransfer     bool
	given                          map[string]bool
}

func annotateCommand(fs *flag.FlagSet) runner {
	var f annotateFlags
	asJSON := fs.Bool("json", false, "print the transaction as `bankdesk transactions --json` lists it")
	fs.StringVar(&f.account, "account", "", "the transaction's account or card `ID` (needed only when two hold the id)")
	fs.StringVar(&f.category, "category", "", "your own category `NAME` (\"\" gives back the bank's)")
	fs.StringVar(&f.note, "note", "", "a note, `TEXT` (\"\" clears it)")
	fs.StringVar(&f.payee, "payee", "", "the `NAME` to show for the other party (\"\" clears it)")
	fs.Func("tag", "add the `TAG`; repeat for several", func(s string) error { f.tags = append(f.tags, s); return nil })
	fs.Func("untag", "remove the `TAG`; repeat for several", func(s string) error { f.untags = append(f.untags, s); return nil })
	fs.BoolVar(&f.hidden, "hidden", false, "hide it from the list (--hidden=false shows it again); it still counts and is exported")
	fs.StringVar(&f.transferWith, "transfer-with", "", "link it, as a transfer, with the transaction `ID` (both halves; \"\" unlinks)")
	fs.StringVar(&f.transferAccount, "transfer-account", "", "the account `ID` of --transfer-with's transaction (needed only when two hold the id)")
	fs.BoolVar(&f.notTransfer, "not-transfer", false, "count it as income or spending although the bank calls it a transfer (--not-transfer=false: the bank's word again); a --transfer-with link wins over it")
	fs.BoolVar(&f.clear, "clear", false, "clear everything you added first (then the other flags apply)")
	var id string
	return runner{
		check: func(_ IO, args []string) error {
			id = args[0]
			f.given = map[string]bool{}
			fs.Visit(func(fl *flag.Flag) { f.given[fl.Name] = true })
			if f.given["transfer-account"] && !f.given["transfer-with"] {
				return usageError{"--transfer-account needs --transfer-with"}
			}
			changes := 0
			for name := range f.given {
				if name != "json" && name != "account" && name != "transfer-account" {
					changes++
				}
			}
			if changes == 0 {
				return usageError{"nothing to change: give --category, --note, --tag, --untag, --payee, --hidden, --transfer-with, --not-transfer or --clear"}
			}
			return nil
		},
		run: func(_ context.Context, d *desk.Desk, io IO) error {
			accountID, err := transactionAccount(d, id, f.account, "")
			if err != nil {
				return err
			}
			fields, err := d.UserFields(accountID, id)
			if err != nil {
				return err
			}
			if fields, err = f.apply(d, fields); err != nil {
				return err
			}
			row, err := d.SetUserFields(accountID, id, fields)
			if err != nil {
				return sayable(err)
			}
			if *asJSON {
				return printJSON(io.Stdout, row)
			}
			fmt.Fprintln(io.Stdout, describeUserFields(row))
			return nil
		},
	}
}

// apply changes fields as the flags given say.
func (f *annotateFlags) apply(d *desk.Desk, fields view.UserFields) (view.UserFields, error) {
	if f.clear {
		fields = view.UserFields{}
	}
	if f.given["category"] {
		fields.Category = f.category
	}
	if f.given["note"] {
		fields.Note = f.note
	}
	if f.given["payee"] {
		fields.Payee = f.payee
	}
	if f.given["hidden"] {
		fields.Hidden = f.hidden
	}
	if f.given["not-transfer"] {
		fields.NotTransfer = f.notTransfer
	}
	fields.Tags = append(fields.Tags, f.tags...)
	fields.Tags = slices.DeleteFunc(fields.Tags, func(t string) bool {
		return slices.ContainsFunc(f.untags, func(u string) bool { return strings.EqualFold(strings.TrimSpace(u), strings.TrimSpace(t)) })
	})
	if f.given["transfer-with"] {
		fields.TransferWith = nil
		if f.transferWith != "" {
			acct, err := transactionAccount(d, f.transferWith, f.transferAccount, "--transfer-with ")
			if err != nil {
				return fields, err
			}
			fields.TransferWith = &view.TxRef{AccountID: acct, ID: f.transferWith}
		}
	}
	return fields, nil
}

// transactionAccount is the account holding the transaction id: the one
// given (which must hold it), else the only one that does. what names the
// flag in the errors.
func transactionAccount(d *desk.Desk, id, given, what string) (string, error) {
	accts, err := d.TransactionAccounts(id)
	if err != nil {
		return "", err
	}
	switch {
	case given != "" && slices.Contains(accts, given):
		return given, nil
	case given != "":
		return "", usageError{fmt.Sprintf("account %s holds no transaction %s (see `bankdesk transactions --json`)", given, what+clean(id))}
	case len(accts) == 1:
		return accts[0], nil
	case len(accts) == 0:
		return "", usageError{fmt.Sprintf("no stored transaction has the id %s%s (see `bankdesk transactions --json`)", what, clean(id))}
	}
	flagName := "--account"
	if what != "" {
		flagName = "--transfer-account"
	}
	return "", usageError{fmt.Sprintf("accounts %s hold a transaction %s%s: say which with %s", strings.Join(accts, " and "), what, clean(id), flagName)}
}

// sayable is err with the sentence it carries for the person, when it
// carries one (a field the store refused), as the command line's line.
func sayable(err error) error {
	var say interface{ Say() string }
	if errors.As(err, &say) {
		return usageError{say.Say()}
	}
	return err
}

// describeUserFields is annotate's line: the transaction and what the
// person added to it.
func describeUserFields(r view.TxRow) string {
	var parts []string
	add := func(name, v string) {
		if v != "" {
			parts = append(parts, name+" "+clean(v))
		}
	}
	add("category", r.Category)
	add("note", strings.ReplaceAll(r.Note, "\n", " "))
	add("tags", strings.Join(r.Tags, ", "))
	add("payee", r.Payee)
	if r.Hidden {
		parts = append(parts, "hidden")
	}
	if r.TransferWith != nil {
		add("transfer with", *r.TransferWith)
	}
	return fmt.Sprintf("%s  %s %s  %s: %s", r.BookingDate, r.Amount, clean(r.Currency), clip(r.Description, 40), strings.Join(parts, "; "))
}
