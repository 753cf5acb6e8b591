package export

import (
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// textCell prepares a text cell: neutralised for spreadsheets unless raw
// (see the package doc), line breaks made uniform.
func textCell(s string, raw bool) string {
	if !raw && startsFormula(s) {
		s = "'" + s
	}
	return lineBreaksAsLF(s)
}

// startsFormula reports whether a spreadsheet could take s for a formula:
// OWASP's list of leading characters.
func startsFormula(s string) bool {
	if s == "" {
		return false
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}

// lineBreaksAsLF turns CRLF and lone CR into LF. encoding/csv (with
// UseCRLF) then writes every one as CRLF, and reads each back as LF; left
// alone, a lone CR would be dropped on write.
func lineBreaksAsLF(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// money is an exact decimal with at least two decimals ("-12.50",
// "0.125"), the form the app and `bankdesk transactions --json` show. It
// is d.StringFixed(max(2, -d.Exponent())); amounts that fit an int64 (all
// real ones) skip its big.Int arithmetic, the export's costliest cell.
func money(d decimal.Decimal) string {
	exp := d.Exponent()
	if exp > 0 || exp < -18 || d.NumDigits() > 18 {
		return d.StringFixed(max(2, -exp))
	}
	c := d.CoefficientInt64()
	var buf [48]byte
	b := buf[:0]
	if c < 0 {
		b = append(b, '-')
	}
	var digits [20]byte
	ds := strconv.AppendUint(digits[:0], absInt(c), 10)
	scale := int(-exp)
	if len(ds) > scale {
		b = append(b, ds[:len(ds)-scale]...)
		b = append(b, '.')
		b = append(b, ds[len(ds)-scale:]...)
	} else {
		b = append(b, '0', '.')
		for range scale - len(ds) {
			b = append(b, '0')
		}
		b = append(b, ds...)
	}
	for range 2 - scale {
		b = append(b, '0')
	}
	return string(b)
}

func absInt(c int64) uint64 {
	if c < 0 {
		return uint64(-c) // also right for math.MinInt64
	}
	return uint64(c)
}
