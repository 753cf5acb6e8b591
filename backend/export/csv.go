package export

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"bankdesk/backend/store"
)

// Columns is the CSV header, in order (see the package doc).
var Columns = []string{
	"date", "booked_at", "account_id", "account_name", "provider", "description", "merchant",
	"category", "classification", "amount", "currency", "type", "status", "running_balance",
	"transaction_id",
}

// utf8BOM is the UTF-8 byte order mark.
const utf8BOM = "\ufeff"

// ctxEvery is how many rows pass between two looks at the context.
const ctxEvery = 256

// CSV writes the selected transactions to w as CSV (see the package doc),
// streaming in constant memory. On error, w may have received part of the
// file; ToFile keeps that from reaching the user's path.
func CSV(ctx context.Context, w io.Writer, src Source, opts Options) (Summary, error) {
	if err := opts.checkCSV(); err != nil {
		return Summary{}, err
	}
	accts, err := accounts(src, opts.Accounts)
	if err != nil {
		return Summary{}, err
	}
	progress := Progress{}
	if opts.Progress != nil {
		if progress.Total, err = total(src, accts, opts); err != nil {
			return Summary{}, err
		}
	}
	if opts.bom() {
		if _, err := io.WriteString(w, utf8BOM); err != nil {
			return Summary{}, fmt.Errorf("export: write CSV: %w", err)
		}
	}
	cw := csv.NewWriter(w)
	cw.Comma = opts.delimiter()
	cw.UseCRLF = true // RFC 4180
	if err := cw.Write(Columns); err != nil {
		return Summary{}, fmt.Errorf("export: write CSV header: %w", err)
	}
	rows := newRowFormatter(accts, opts.Raw)
	sum := Summary{Accounts: len(accts)}
	for t, err := range merged(src, accts, opts) {
		if err != nil {
			return sum, err
		}
		if sum.Rows%ctxEvery == 0 {
			if err := ctx.Err(); err != nil {
				return sum, fmt.Errorf("export: %w", err)
			}
		}
		if err := cw.Write(rows.format(t)); err != nil {
			return sum, fmt.Errorf("export: write CSV: %w", err)
		}
		sum.Rows++
		if opts.Progress != nil && sum.Rows%ProgressEvery == 0 {
			progress.Rows = sum.Rows
			opts.Progress(progress)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return sum, fmt.Errorf("export: write CSV: %w", err)
	}
	if opts.Progress != nil {
		progress.Rows = sum.Rows
		opts.Progress(progress)
	}
	return sum, nil
}

// rowFormatter turns transactions into CSV records, reusing one record and
// the cells each account repeats.
type rowFormatter struct {
	raw      bool
	accounts map[string]accountCells
	record   []string
	// The last classification and its cell: neighbouring rows often share
	// one, and joining it again is an allocation per row.
	lastClass []string
	classCell string
}

// accountCells are an account's cells, prepared once.
type accountCells struct{ id, name, provider string }

func newRowFormatter(accts []store.Account, raw bool) *rowFormatter {
	f := &rowFormatter{raw: raw, accounts: make(map[string]accountCells, len(accts)), record: make([]string, len(Columns))}
	for _, a := range accts {
		f.accounts[a.ID] = accountCells{textCell(a.ID, raw), textCell(a.DisplayName, raw), textCell(a.ProviderID, raw)}
	}
	return f
}

// format fills the record for t; it is valid until the next call.
func (f *rowFormatter) format(t store.Transaction) []string {
	a := f.accounts[t.AccountID]
	r := f.record
	// booked_at keeps the bank's offset, so its date part is the bank's
	// day too: date, without formatting it twice.
	r[1] = t.BookedAt.Format(time.RFC3339Nano)
	r[0] = r[1][:len(time.DateOnly)]
	r[2] = a.id
	r[3] = a.name
	r[4] = a.provider
	r[5] = textCell(t.Description, f.raw)
	r[6] = textCell(t.Merchant, f.raw)
	r[7] = textCell(t.Category, f.raw)
	r[8] = f.classification(t.Classification)
	r[9] = money(t.Amount)
	r[10] = textCell(t.Currency, f.raw)
	r[11] = textCell(t.Type, f.raw)
	r[12] = textCell(t.Status, f.raw)
	r[13] = ""
	if t.RunningBalance != nil {
		r[13] = money(*t.RunningBalance)
	}
	r[14] = textCell(t.Key, f.raw)
	return r
}

// classification is the classification cell, reused while it repeats.
func (f *rowFormatter) classification(c []string) string {
	if !slices.Equal(c, f.lastClass) {
		f.lastClass = slices.Clone(c)
		f.classCell = textCell(strings.Join(c, " / "), f.raw)
	}
	return f.classCell
}
