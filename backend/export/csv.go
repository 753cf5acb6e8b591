package export

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"bankdesk/backend/ledger"
	"bankdesk/backend/money"
	"bankdesk/backend/store"
	"bankdesk/backend/txread"
)

// Columns is the CSV header, in order (see the package doc).
var Columns = []string{
	"date", "booked_at", "account_id", "account_name", "provider", "description", "merchant",
	"category", "classification", "amount", "currency", "type", "status", "running_balance",
	"transaction_id",
	// The person's own fields (store.UserFields), appended so that the
	// columns before keep their places.
	"category_name", "note", "tags", "payee", "hidden", "transfer_with", "transfer_with_account_id",
}

// utf8BOM is the UTF-8 byte order mark.
const utf8BOM = "\ufeff"

// ctxEvery is how many rows pass between two looks at the context.
const ctxEvery = 256

// CSV writes the selected transactions to w as CSV (see the package doc),
// streaming in constant memory. On error, w may have received part of the
// file; ToFile keeps that from reaching the user's path.
func CSV(ctx context.Context, w io.Writer, src Source, opts Options) (Summary, error) {
	accts, progress, err := opts.start(FormatCSV, src)
	if err != nil {
		return Summary{}, err
	}
	if opts.bom() {
		if _, err := io.WriteString(w, utf8BOM); err != nil {
			return Summary{}, fmt.Errorf("export: write CSV: %w", err)
		}
	}
	cw := newCSVWriter(w, byte(opts.delimiter()))
	if err := cw.write(Columns); err != nil {
		return Summary{}, fmt.Errorf("export: write CSV header: %w", err)
	}
	rows := newRowFormatter(accts, opts.textRules())
	sum := Summary{Accounts: len(accts)}
	for t, err := range txread.Rows(src, accts, opts.Selection()) {
		if err != nil {
			return sum, err
		}
		if sum.Rows%ctxEvery == 0 {
			if err := ctx.Err(); err != nil {
				return sum, fmt.Errorf("export: %w", err)
			}
		}
		if err := cw.write(rows.format(t)); err != nil {
			return sum, fmt.Errorf("export: write CSV: %w", err)
		}
		sum.Rows++
		if opts.Progress != nil && sum.Rows%ProgressEvery == 0 {
			progress.Rows = sum.Rows
			opts.Progress(progress)
		}
	}
	if err := cw.flush(); err != nil {
		return sum, fmt.Errorf("export: write CSV: %w", err)
	}
	if opts.Progress != nil {
		progress.Rows = sum.Rows
		opts.Progress(progress)
	}
	return sum, nil
}

// csvWriter writes RFC 4180 records: records end in CRLF; a field is
// quoted when it holds the delimiter, a double quote, a CR or an LF, or
// starts with a space (the fields encoding/csv quotes), and a quoted field
// is the cell's bytes with each double quote doubled, nothing else changed.
//
// Not encoding/csv's Writer: with UseCRLF it writes every LF inside a
// quoted field as CRLF and drops every CR, so a cell no longer holds the
// stored text; without it, records end in a bare LF, against RFC 4180 and
// every earlier export. RFC 4180 lets a quoted field hold line breaks as
// they are, and readers such as Python's csv module return them as
// written, so record ends stay CRLF and cells stay the stored bytes.
type csvWriter struct {
	w     *bufio.Writer
	comma byte
}

// newCSVWriter buffers like encoding/csv's Writer: bufio.NewWriter reuses
// w when it is already a large enough *bufio.Writer (ToFile's is).
func newCSVWriter(w io.Writer, comma byte) *csvWriter {
	return &csvWriter{w: bufio.NewWriter(w), comma: comma}
}

// write writes one record. bufio.Writer's errors stick, so the last
// write's error is any write's.
func (cw *csvWriter) write(record []string) error {
	for i, field := range record {
		if i > 0 {
			_ = cw.w.WriteByte(cw.comma)
		}
		if !cw.needsQuotes(field) {
			_, _ = cw.w.WriteString(field)
			continue
		}
		_ = cw.w.WriteByte('"')
		for {
			j := strings.IndexByte(field, '"')
			if j < 0 {
				break
			}
			_, _ = cw.w.WriteString(field[:j+1])
			_ = cw.w.WriteByte('"')
			field = field[j+1:]
		}
		_, _ = cw.w.WriteString(field)
		_ = cw.w.WriteByte('"')
	}
	_, err := cw.w.WriteString("\r\n")
	return err
}

// needsQuotes is encoding/csv's rule (Writer.fieldNeedsQuotes), so cells
// without line breaks are written as they always were: a leading space is
// quoted for readers that trim, `\.` for Postgres's COPY.
func (cw *csvWriter) needsQuotes(field string) bool {
	if field == "" {
		return false
	}
	if field == `\.` {
		return true
	}
	for i := 0; i < len(field); i++ {
		if c := field[i]; c == '\n' || c == '\r' || c == '"' || c == cw.comma {
			return true
		}
	}
	r, _ := utf8.DecodeRuneInString(field)
	return unicode.IsSpace(r)
}

func (cw *csvWriter) flush() error { return cw.w.Flush() }

// rowFormatter turns transactions into CSV records, reusing one record and
// the cells each account repeats.
type rowFormatter struct {
	text     textRules
	accounts map[string]accountCells
	record   []string
	// The last classification and its cell: neighbouring rows often share
	// one, and joining it again is an allocation per row.
	lastClass []string
	classCell string
}

// accountCells are an account's cells, prepared once.
type accountCells struct{ id, name, provider string }

func newRowFormatter(accts []store.Account, text textRules) *rowFormatter {
	f := &rowFormatter{text: text, accounts: make(map[string]accountCells, len(accts)), record: make([]string, len(Columns))}
	for _, a := range accts {
		f.accounts[a.ID] = accountCells{text.cell(a.ID), text.cell(a.DisplayName), text.cell(a.ProviderID)}
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
	r[5] = f.text.cell(t.Description)
	r[6] = f.text.cell(t.Merchant)
	r[7] = f.text.cell(t.Category)
	r[8] = f.classification(t.Classification)
	r[9] = money.String(t.Amount)
	r[10] = f.text.cell(t.Currency)
	r[11] = f.text.cell(t.Type)
	r[12] = f.text.cell(t.Status)
	r[13] = ""
	if t.RunningBalance != nil {
		r[13] = money.String(*t.RunningBalance)
	}
	r[14] = f.text.cell(t.Key)
	u := t.Fields()
	r[15] = f.text.cell(ledger.EffectiveCategory(&t))
	r[16] = f.text.cell(u.Note)
	r[17] = f.text.cell(strings.Join(u.Tags, ", "))
	r[18] = f.text.cell(u.Payee)
	r[19] = strconv.FormatBool(u.Hidden)
	r[20], r[21] = "", ""
	if l := u.TransferWith; l != nil {
		r[20], r[21] = f.text.cell(l.Key), f.text.cell(l.AccountID)
	}
	return r
}

// classification is the classification cell, reused while it repeats.
func (f *rowFormatter) classification(c []string) string {
	if !slices.Equal(c, f.lastClass) {
		f.lastClass = slices.Clone(c)
		f.classCell = f.text.cell(strings.Join(c, " / "))
	}
	return f.classCell
}
