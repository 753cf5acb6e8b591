package export

import (
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// textRules are how text cells are written (see the package doc).
type textRules struct {
	raw     bool // no spreadsheet safety
	flatten bool // line breaks become spaces
}

// cell prepares a text cell: its line breaks flattened when asked, then
// neutralised for spreadsheets unless raw, so safety judges the cell as
// written. Otherwise the text is left exactly as stored; csvWriter keeps
// the line breaks in it as they are.
func (r textRules) cell(s string) string {
	if r.flatten {
		s = flattenLineBreaks(s)
	}
	if !r.raw && startsFormula(s) {
		s = "'" + s
	}
	return s
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

// flattener turns each line break (CRLF, lone CR or LF) into one space.
// CRLF comes first: a Replacer tries its pairs in argument order.
var flattener = strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ")

// flattenLineBreaks puts s on one line, for spreadsheets that take a line
// break in a quoted cell for the end of a row.
func flattenLineBreaks(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return flattener.Replace(s)
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
