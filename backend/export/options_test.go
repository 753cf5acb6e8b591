package export

import (
	"bankdesk/backend/internal/testenv"
	"bytes"
	"context"
	"errors"
	"testing"
)

// Every option a format cannot honour is refused with an *OptionError
// naming the field, so a caller (the command line) can tell a mistake in
// the request from a failure and say which of its inputs is wrong; CSV and
// OFX refuse with the same error before they write anything.
func TestCheckNamesTheOptionAtFault(t *testing.T) {
	st := testenv.Store(t)
	fillTricky(t, st)
	for _, c := range []struct {
		format Format
		opts   Options
		option string
		reason error // nil: a bad value
	}{
		{FormatCSV, Options{Delimiter: '|'}, "Delimiter", nil},
		{FormatCSV, Options{From: bday("2025-02-02"), To: bday("2025-02-01")}, "To", nil},
		{FormatOFX, Options{From: bday("2025-02-02"), To: bday("2025-02-01"), IncludePending: true}, "To", nil},
		{FormatOFX, Options{Delimiter: '|'}, "Delimiter", nil},
		{FormatOFX, Options{Delimiter: ','}, "Delimiter", ErrCSVOnly},
		{FormatOFX, Options{BOM: true}, "BOM", ErrCSVOnly},
		{FormatOFX, Options{Excel: true, IncludePending: true}, "Excel", ErrCSVOnly},
		{FormatOFX, Options{Raw: true}, "Raw", ErrCSVOnly},
		{FormatOFX, Options{FlattenNewlines: true}, "FlattenNewlines", ErrCSVOnly},
		{FormatOFX, Options{IncludePending: true}, "IncludePending", ErrPendingInOFX},
		{Format("xlsx"), Options{}, "Format", nil},
	} {
		var buf bytes.Buffer
		check := c.opts.Check(c.format)
		_, write := c.format.Write(context.Background(), &buf, st, c.opts)
		for _, err := range []error{check, write} {
			var oe *OptionError
			if !errors.As(err, &oe) || oe.Option != c.option || c.reason != nil && !errors.Is(err, c.reason) {
				t.Errorf("%s %+v: %v, want an OptionError for %s", c.format, c.opts, err, c.option)
			}
		}
		if buf.Len() != 0 {
			t.Errorf("%s %+v: a refused export wrote %d bytes", c.format, c.opts, buf.Len())
		}
	}
	for _, f := range []Format{FormatCSV, FormatOFX} {
		if err := (Options{Delimiter: 0}).Check(f); err != nil {
			t.Errorf("%s with the default options: %v", f, err)
		}
	}
	if _, err := ParseFormat("xlsx"); !errors.As(err, new(*OptionError)) {
		t.Errorf("ParseFormat(xlsx): %v, want an OptionError", err)
	}
	if err := (Options{Delimiter: ';', Excel: true, IncludePending: true}).Check(FormatCSV); err != nil {
		t.Errorf("CSV options refused for CSV: %v", err)
	}
}

func TestOptionErrorSaysWhatIsWrong(t *testing.T) {
	for err, want := range map[error]string{
		&OptionError{"Excel", ErrCSVOnly}:               "export: Excel only applies to CSV",
		&OptionError{"IncludePending", ErrPendingInOFX}: ErrPendingInOFX.Error(),
		Options{Delimiter: '|'}.Check(FormatCSV):        `export: delimiter '|': want ',' or ';'`,
		Options{Raw: true, BOM: true}.Check(FormatOFX):  "export: BOM only applies to CSV",
	} {
		if err.Error() != want {
			t.Errorf("%q, want %q", err, want)
		}
	}
}
