package export

import (
	"errors"
	"fmt"
	"time"

	"bankdesk/backend/bankday"
	"bankdesk/backend/store"
	"bankdesk/backend/txread"
)

// Options select and shape an export.
type Options struct {
	// Accounts limits the export to these account ids, in any order; empty
	// exports every account and card.
	Accounts []string
	// From and To are booking days (the bank's, see bankday), both
	// included; zero leaves that end open.
	From, To bankday.Day
	// IncludePending adds pending transactions (CSV only: see ErrPendingInOFX).
	IncludePending bool
	// IncludeRemoved adds bookings the bank has since removed (status
	// "removed"); they are left out by default, as they no longer count.
	IncludeRemoved bool
	// Keep, when set, is a further test each transaction must pass (see
	// txread.Selection.Keep): the list's category and search.
	Keep func(store.Transaction) bool

	// CSV only.

	// Delimiter is ',' (the default when zero) or ';'.
	Delimiter rune
	// BOM starts the file with a UTF-8 byte order mark.
	BOM bool
	// Excel is the preset for opening the file in Microsoft Excel by
	// double-click: it turns BOM on, since without one Excel reads the file
	// in the ANSI code page and mangles '£', accents and emoji. It keeps ','
	// (unless Delimiter says otherwise): Bankdesk's banks are British, and
	// Excel in UK (and US) locales splits on ','. Users whose list separator
	// is ';' set Delimiter too.
	Excel bool
	// Raw turns spreadsheet safety off: text cells are written exactly as
	// stored, even when a spreadsheet would read them as formulas.
	Raw bool
	// FlattenNewlines writes each line break in a text cell (CRLF, CR or
	// LF) as one space, for spreadsheets and importers that split a row at
	// a line break even inside quotes. Off, text cells keep their line
	// breaks exactly as stored.
	FlattenNewlines bool

	// Progress, when set, is called every ProgressEvery rows and once at the
	// end, from the exporting goroutine.
	Progress func(Progress)
	// Now is the export's clock (OFX's server date, fallback balance
	// dates); nil means time.Now.
	Now func() time.Time
}

// ProgressEvery is how many rows pass between two Progress calls.
const ProgressEvery = 1000

// Progress reports how far an export got.
type Progress struct {
	Rows int // transactions written so far
	// Total is how many rows the export will write (at most: removed
	// bookings are counted but not written), or 0 when unknown: it
	// is counted (from store keys, nothing unsealed) only when no date
	// range is given.
	Total int
}

// Summary is what an export wrote.
type Summary struct {
	Rows     int // transactions written
	Accounts int // accounts (and cards) exported
}

// ErrPendingInOFX refuses pending transactions in an OFX export. OFX
// statements list posted transactions under a FITID that importers
// deduplicate on; a pending item has no stable id and changes when it
// settles, so importing it would double count. (OFX 2.2's BANKTRANLISTP
// would carry them without a FITID, but ofxgo has it for bank accounts
// only, not for cards.)
var ErrPendingInOFX = errors.New("export: pending transactions cannot go in an OFX statement (they have no stable FITID); export them as CSV")

// ErrCSVOnly is why an OFX export refuses an option that shapes CSV
// (Delimiter, BOM, Excel, Raw, FlattenNewlines): it is refused rather than
// silently ignored.
var ErrCSVOnly = errors.New("only applies to CSV")

// OptionError is an export refused for its options, before anything is
// read or written: the request asks for what the format cannot do. Option
// names the field of Options at fault ("Format" for the format itself), so
// that a caller can say it in its own terms (the command line names the
// flag); Err is why (ErrPendingInOFX, ErrCSVOnly, or a bad value).
type OptionError struct {
	Option string
	Err    error
}

func (e *OptionError) Error() string {
	if errors.Is(e.Err, ErrCSVOnly) {
		return "export: " + e.Option + " " + e.Err.Error()
	}
	return e.Err.Error()
}

func (e *OptionError) Unwrap() error { return e.Err }

// delimiter is the effective CSV delimiter.
func (o Options) delimiter() rune {
	if o.Delimiter == 0 {
		return ','
	}
	return o.Delimiter
}

// bom reports whether the CSV starts with a byte order mark.
func (o Options) bom() bool { return o.BOM || o.Excel }

// textRules are the options that shape a CSV text cell.
func (o Options) textRules() textRules { return textRules{raw: o.Raw, flatten: o.FlattenNewlines} }

func (o Options) now() time.Time {
	if o.Now == nil {
		return time.Now()
	}
	return o.Now()
}

// Check refuses, with an *OptionError, options an export in format f
// cannot honour: CSV and OFX check with it before they read anything, and
// a caller can check before it opens a store or a file. The order is the
// order a person fixes them in: the range, a bad value, then what the
// format cannot do.
func (o Options) Check(f Format) error {
	if !o.From.IsZero() && !o.To.IsZero() && o.To < o.From {
		return &OptionError{"To", fmt.Errorf("export: the range ends (%s) before it starts (%s)", o.To, o.From)}
	}
	if d := o.delimiter(); d != ',' && d != ';' {
		return &OptionError{"Delimiter", fmt.Errorf("export: delimiter %q: want ',' or ';'", d)}
	}
	switch f {
	case FormatCSV:
		return nil
	case FormatOFX:
		switch {
		case o.Delimiter != 0:
			return &OptionError{"Delimiter", ErrCSVOnly}
		case o.BOM:
			return &OptionError{"BOM", ErrCSVOnly}
		case o.Excel:
			return &OptionError{"Excel", ErrCSVOnly}
		case o.Raw:
			return &OptionError{"Raw", ErrCSVOnly}
		case o.FlattenNewlines:
			return &OptionError{"FlattenNewlines", ErrCSVOnly}
		case o.IncludePending:
			return &OptionError{"IncludePending", ErrPendingInOFX}
		}
		return nil
	}
	return unknownFormat(string(f))
}

// unknownFormat refuses a format name that is neither csv nor ofx.
func unknownFormat(name string) error {
	return &OptionError{"Format", fmt.Errorf("export: unknown format %q: want csv or ofx", name)}
}

// start is how both formats begin: it checks the options for format,
// reads the accounts to export and, when a progress callback is set,
// counts the rows ahead.
func (o Options) start(format Format, src Source) ([]store.Account, Progress, error) {
	if err := o.Check(format); err != nil {
		return nil, Progress{}, err
	}
	accts, err := txread.Accounts(src, o.Accounts)
	if err != nil {
		return nil, Progress{}, err
	}
	var p Progress
	if o.Progress != nil {
		if p.Total, err = txread.Total(src, accts, o.Selection()); err != nil {
			return nil, Progress{}, err
		}
	}
	return accts, p, nil
}

// Source is what an export reads (txread.Source).
type Source = txread.Source

// ErrNoAccount is returned for an account id the store does not have.
var ErrNoAccount = txread.ErrNoAccount

// Selection is the transactions the options select, in the one read
// model's terms.
func (o Options) Selection() txread.Selection {
	return txread.Selection{Accounts: o.Accounts, From: o.From, To: o.To, IncludePending: o.IncludePending, IncludeRemoved: o.IncludeRemoved, Keep: o.Keep}
}
