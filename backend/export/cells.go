package export

import (
	"strings"
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

// Unguard undoes cell's spreadsheet safety: a cell of the export as the
// text was stored (for importing the export again, backend/importer).
func Unguard(s string) string {
	if len(s) > 1 && s[0] == '\'' && startsFormula(s[1:]) {
		return s[1:]
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
