package importer

import (
	"bufio"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"bankdesk/backend/bankday"
	"bankdesk/backend/export"
	"bankdesk/backend/store"
)

// Sign conventions of a CSV amount column.
const (
	SignOutNegative = "out-negative" // money out is negative (most banks)
	SignOutPositive = "out-positive" // money out is positive (many card statements)
)

// Mapping says which CSV columns (named by the header row) hold what. A
// bank's is saved by name (desk) and used again with --mapping.
type Mapping struct {
	Date string `json:"date"` // required
	// DateFormat is the date's layout in YYYY, YY, MM, M, DD, D and any
	// separators ("DD/MM/YYYY"); default YYYY-MM-DD. A time after the
	// date ("2026-07-01T10:00:00Z", "01/07/2026 10:00") is ignored.
	DateFormat string `json:"date_format,omitempty"`
	// Amount is one signed column; or Debit and Credit, two columns of
	// magnitudes (a row fills one).
	Amount string `json:"amount,omitempty"`
	Debit  string `json:"debit,omitempty"`
	Credit string `json:"credit,omitempty"`
	// Type, when set, is a column that states the direction (DEBIT or
	// CREDIT, D or C, DR or CR, OUT or IN); it wins over the sign.
	Type        string `json:"type,omitempty"`
	Description string `json:"description"` // required
	Merchant    string `json:"merchant,omitempty"`
	ID          string `json:"id,omitempty"` // the bank's reference, when it has a stable one
	Currency    string `json:"currency,omitempty"`
	// Decimal is the decimal separator, "." (default) or ","; the other
	// one, spaces and apostrophes may group thousands.
	Decimal string `json:"decimal,omitempty"`
	// Sign is SignOutNegative (default) or SignOutPositive.
	Sign string `json:"sign,omitempty"`
	// Unguard reads text cells as Bankdesk's export wrote them: a "'" it
	// put before text a spreadsheet could take for a formula is dropped
	// (export.Unguard).
	Unguard bool `json:"unguard,omitempty"`
	// Delimiter is the field separator: ",", ";", "\t" or "|"; default:
	// whichever the header row uses most.
	Delimiter string `json:"delimiter,omitempty"`
}

// MappingBankdesk is the built-in mapping of Bankdesk's own CSV export
// (backend/export's Columns). Its transaction_id is TrueLayer's
// per-request id, which identifies nothing, so no id column: its rows
// deduplicate by day, amount and description.
const MappingBankdesk = "bankdesk"

// Builtin returns a built-in mapping by name.
func Builtin(name string) (Mapping, bool) {
	if name == MappingBankdesk {
		return Mapping{Date: "date", Amount: "amount", Type: "type", Description: "description", Merchant: "merchant", Currency: "currency", Unguard: true}, true
	}
	return Mapping{}, false
}

// ColumnKeys are the names of Mapping's columns, for SetColumn.
var ColumnKeys = []string{"date", "amount", "debit", "credit", "type", "description", "merchant", "id", "currency"}

// SetColumn names the header of one of m's columns (key: one of
// ColumnKeys).
func (m *Mapping) SetColumn(key, header string) error {
	fields := map[string]*string{"date": &m.Date, "amount": &m.Amount, "debit": &m.Debit, "credit": &m.Credit, "type": &m.Type,
		"description": &m.Description, "merchant": &m.Merchant, "id": &m.ID, "currency": &m.Currency}
	p, ok := fields[key]
	if !ok {
		return fmt.Errorf("%q is not a column of a mapping; the columns are %s", key, strings.Join(ColumnKeys, ", "))
	}
	*p = header
	return nil
}

// Check reports what is wrong with m as a sentence's end (an *Error).
func (m Mapping) Check() error {
	switch {
	case m.Date == "":
		return fail(0, "the mapping names no date column")
	case m.Description == "":
		return fail(0, "the mapping names no description column")
	case m.Amount == "" && (m.Debit == "" || m.Credit == ""):
		return fail(0, "the mapping needs an amount column, or both a debit and a credit column")
	case m.Amount != "" && (m.Debit != "" || m.Credit != ""):
		return fail(0, "the mapping names an amount column and debit or credit columns; give one or the other")
	case m.Decimal != "" && m.Decimal != "." && m.Decimal != ",":
		return fail(0, "the decimal separator is %q; it can be \".\" or \",\"", m.Decimal)
	case m.Sign != "" && m.Sign != SignOutNegative && m.Sign != SignOutPositive:
		return fail(0, "the sign convention is %q; it can be %s or %s", m.Sign, SignOutNegative, SignOutPositive)
	case m.Delimiter != "" && !slices.Contains([]string{",", ";", "\t", "|"}, m.Delimiter):
		return fail(0, "the delimiter is %q; it can be \",\", \";\", a tab or \"|\"", m.Delimiter)
	}
	_, err := dateLayout(m.DateFormat)
	return err
}

// ParseCSV reads a CSV file by m: a header row, then one transaction a
// row. A UTF-8 byte order mark and CRLF line ends are fine; blank lines
// are skipped. Any row that does not read stops the import with its line.
func ParseCSV(r io.Reader, m Mapping) (File, error) {
	if err := m.Check(); err != nil {
		return File{}, err
	}
	layout, _ := dateLayout(m.DateFormat)
	br := bufio.NewReader(r)
	if b, _ := br.Peek(len(utf8BOM)); string(b) == utf8BOM {
		_, _ = br.Discard(len(utf8BOM))
	}
	delim := m.Delimiter
	if delim == "" {
		head, _ := br.Peek(4096)
		delim = guessDelimiter(head)
	}
	cr := csv.NewReader(br)
	cr.Comma = rune(delim[0])
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return File{}, fail(0, "it is empty")
	}
	if err != nil {
		return File{}, csvError(err)
	}
	cols := map[string]int{}
	for i, h := range header {
		cols[strings.ToLower(strings.TrimSpace(h))] = i
	}
	col := func(name string) (int, error) {
		if name == "" {
			return -1, nil
		}
		i, ok := cols[strings.ToLower(strings.TrimSpace(name))]
		if !ok {
			return 0, fail(1, "there is no column %q (the columns are %s)", name, quoteAll(header))
		}
		return i, nil
	}
	var ix [9]int
	for i, name := range []string{m.Date, m.Amount, m.Debit, m.Credit, m.Type, m.Description, m.Merchant, m.ID, m.Currency} {
		if ix[i], err = col(name); err != nil {
			return File{}, err
		}
	}
	dateCol, amountCol, debitCol, creditCol, typeCol, descCol, merchantCol, idCol, curCol := ix[0], ix[1], ix[2], ix[3], ix[4], ix[5], ix[6], ix[7], ix[8]
	dec := cmp.Or(m.Decimal, ".")
	f := File{Format: FormatCSV}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return File{}, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		cell := func(i int) string {
			if i < 0 || i >= len(rec) {
				return ""
			}
			return strings.TrimSpace(rec[i])
		}
		for _, i := range []int{dateCol, descCol} {
			if i >= len(rec) {
				return File{}, fail(line, "the row has %d fields, fewer than the header's %d", len(rec), len(header))
			}
		}
		text := func(i int) string {
			if m.Unguard {
				return export.Unguard(cell(i))
			}
			return cell(i)
		}
		row := Row{Line: line, Description: text(descCol), Merchant: text(merchantCol), ID: cell(idCol), Currency: strings.ToUpper(cell(curCol))}
		if row.Day, err = parseDay(cell(dateCol), layout); err != nil {
			return File{}, fail(line, "the date %q does not read as %s", cell(dateCol), cmp.Or(m.DateFormat, "YYYY-MM-DD"))
		}
		stated := ""
		if typeCol >= 0 && cell(typeCol) != "" {
			if stated = csvDirection(cell(typeCol)); stated == "" {
				return File{}, fail(line, "the type %q is neither a debit nor a credit", cell(typeCol))
			}
		}
		var amount decimal.Decimal
		if amountCol >= 0 {
			if amount, err = parseAmount(cell(amountCol), dec); err != nil {
				return File{}, fail(line, "the amount %q is not a number (decimal separator %q)", cell(amountCol), dec)
			}
			if m.Sign == SignOutPositive {
				amount = amount.Neg()
			}
		} else {
			debit, credit := cell(debitCol), cell(creditCol)
			if (debit == "") == (credit == "") {
				return File{}, fail(line, "the row needs an amount in exactly one of %q and %q", m.Debit, m.Credit)
			}
			text, word := debit, store.TypeDebit
			if credit != "" {
				text, word = credit, store.TypeCredit
			}
			if amount, err = parseAmount(text, dec); err != nil {
				return File{}, fail(line, "the amount %q is not a number (decimal separator %q)", text, dec)
			}
			if stated == "" {
				stated = word
			}
		}
		row.Type, row.Amount = direction(stated, amount)
		if row.Description == "" {
			return File{}, fail(line, "the description is empty")
		}
		f.Rows = append(f.Rows, row)
	}
	return f, nil
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fail(pe.StartLine, "the CSV does not parse (%v)", pe.Err)
	}
	return fail(0, "it could not be read (%v)", err)
}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

// guessDelimiter is the separator the first line uses most.
func guessDelimiter(head []byte) string {
	line, _, _ := strings.Cut(string(head), "\n")
	best, n := ",", 0
	for _, d := range []string{",", ";", "\t", "|"} {
		if c := strings.Count(line, d); c > n {
			best, n = d, c
		}
	}
	return best
}

// csvDirection reads a type column's word.
func csvDirection(s string) string {
	switch strings.ToUpper(s) {
	case "DEBIT", "D", "DR", "OUT", "DBIT":
		return store.TypeDebit
	case "CREDIT", "C", "CR", "IN", "CRDT":
		return store.TypeCredit
	}
	return ""
}

// dateLayout turns a YYYY-MM-DD style format into a Go layout. With
// separators, days and months may have one digit or two ("2.7.2026").
func dateLayout(format string) (string, error) {
	if format == "" {
		return time.DateOnly, nil
	}
	f := strings.ToUpper(format)
	if !strings.Contains(f, "YY") || !strings.Contains(f, "M") || !strings.Contains(f, "D") {
		return "", fail(0, "the date format %q needs a year (YYYY), a month (MM) and a day (DD)", format)
	}
	month, day := "01", "02"
	if strings.ContainsFunc(f, func(r rune) bool { return r < 'A' || r > 'Z' }) {
		month, day = "1", "2"
	}
	return strings.NewReplacer("YYYY", "2006", "YY", "06", "MM", month, "DD", day, "M", "1", "D", "2").Replace(f), nil
}

// parseDay reads the date at the start of s by layout (a time after it is
// ignored).
func parseDay(s, layout string) (bankday.Day, error) {
	if len(s) > len(layout) {
		// "2026-07-01T10:00:00Z", "01/07/2026 10:00": the date is first.
		if i := strings.IndexAny(s, "T "); i >= len(layout)-2 && i <= len(layout) {
			s = s[:i]
		}
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return 0, err
	}
	return bankday.Date(t.Year(), t.Month(), t.Day()), nil
}

// thousands is a whole part grouped in threes by a separator.
var thousands = regexp.MustCompile(`^\d{1,3}([,. \x{a0}']\d{3})+$`)

// parseAmount reads an amount exactly: a leading or trailing sign, or
// parentheses for a negative; thousands grouped by the other separator,
// spaces or apostrophes; a currency symbol before or after is dropped.
func parseAmount(s, dec string) (decimal.Decimal, error) {
	s = strings.TrimSpace(s)
	neg := false
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		neg, s = true, strings.TrimSpace(s[1:len(s)-1])
	}
	s = strings.TrimFunc(s, func(r rune) bool { return strings.ContainsRune("£€$¥", r) || r == ' ' || r == '\u00a0' })
	switch {
	case strings.HasPrefix(s, "-"):
		neg, s = !neg, s[1:]
	case strings.HasSuffix(s, "-"):
		neg, s = !neg, s[:len(s)-1]
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	s = strings.TrimFunc(s, func(r rune) bool { return strings.ContainsRune("£€$¥", r) || r == ' ' })
	group := ","
	if dec == "," {
		group = "."
	}
	whole, frac, hasFrac := strings.Cut(s, dec)
	if strings.ContainsAny(whole, group+" \u00a0'") && !thousands.MatchString(whole) {
		return decimal.Decimal{}, errors.New("not grouped in thousands")
	}
	s = strings.NewReplacer(group, "", " ", "", "\u00a0", "", "'", "").Replace(whole)
	if hasFrac {
		s += "." + frac
	}
	if s == "" || strings.ContainsAny(s, "+-eE") {
		return decimal.Decimal{}, errors.New("not a number")
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, err
	}
	if neg {
		d = d.Neg()
	}
	return d, nil
}
