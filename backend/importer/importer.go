// Package importer reads the person's bank files (OFX/QFX, CSV with a
// column mapping) into rows Bankdesk can store, and decides which of them
// a stored account already holds (Plan). It stores nothing: desk does.
//
// Money is exact (shopspring/decimal) and each row's direction is the
// file's word where it has one (OFX's TRNTYPE DEBIT or CREDIT, a CSV type
// column, separate debit and credit columns), the sign otherwise.
//
// CAMT.053 is not read: no maintained Go library for it exists (the one
// ISO 20022 module on the Go module proxy, github.com/moov-io/iso20022,
// last released in January 2022, and holds message types, not a
// statement reader).
package importer

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/shopspring/decimal"

	"bankdesk/backend/bankday"
)

// Formats a file can be in.
const (
	FormatOFX = "ofx"
	FormatCSV = "csv"
)

// Row is one transaction of a file.
type Row struct {
	Line        int // where it starts in the file (CSV: the record's line; OFX: its order, from 1)
	Day         bankday.Day
	Amount      decimal.Decimal // signed: money out is negative, as Type says
	Type        string          // store.TypeDebit or store.TypeCredit
	Description string
	Merchant    string
	// ID is the file's own id of the row (OFX's FITID, a CSV id column),
	// "" when it has none.
	ID       string
	Currency string // "" when the file does not say
}

// File is what a file holds.
type File struct {
	Format   string
	Currency string // the statement's currency (OFX's CURDEF), or ""
	Rows     []Row
}

// Error is a file Bankdesk cannot read, in words: which line, and why.
type Error struct {
	Line   int // 0 when the whole file is concerned
	Reason string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("import: line %d: %s", e.Line, e.Reason)
	}
	return "import: " + e.Reason
}

// Say is the sentence for a person (problem.Sayer).
func (e *Error) Say() string {
	if e.Line > 0 {
		return fmt.Sprintf("The file cannot be imported: on line %d, %s.", e.Line, e.Reason)
	}
	return "The file cannot be imported: " + e.Reason + "."
}

func fail(line int, format string, args ...any) *Error {
	return &Error{Line: line, Reason: fmt.Sprintf(format, args...)}
}

// Detect names the format of a file from its name and first bytes: OFX
// when it has an OFX header or root element (QFX is OFX), else CSV.
func Detect(name string, head []byte) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".ofx", ".qfx":
		return FormatOFX
	case ".csv", ".tsv", ".txt":
		return FormatCSV
	}
	h := bytes.ToUpper(bytes.TrimPrefix(head, []byte(utf8BOM)))
	if bytes.Contains(h, []byte("OFXHEADER")) || bytes.Contains(h, []byte("<OFX>")) {
		return FormatOFX
	}
	return FormatCSV
}

const utf8BOM = "\ufeff"
