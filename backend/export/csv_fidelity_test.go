package export

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"bankdesk/backend/internal/testenv"
	"bankdesk/backend/store"
)

// fidelityTexts are descriptions a CSV file must carry byte for byte: the
// tricky texts, and line breaks of every kind in every position, lone
// quotes and delimiters, and formulas across lines.
var fidelityTexts = append([]string{
	"mixed\r\nbreaks\nand\rall",
	"blank\n\nline",
	"crlf\r\n\r\ntwice",
	"cr then lf\r\rx\n\n",
	"\nleading LF",
	"\r\nleading CRLF",
	"trailing LF\n",
	"trailing CRLF\r\n",
	"trailing CR\r",
	"\n",
	"\r\n",
	"\r",
	`"`,
	`""`,
	"\"quoted\r\nacross\"\nlines\"",
	",",
	";",
	"a,b;c\"d\r\ne",
	"👨‍👩‍👧 family\r\n🇬🇧 flag",
	"=1+1\r\n=2+2",
	`\.`,
}, trickyTexts...)

// fillFidelity stores one transaction per fidelity text, as its
// description (and another as its merchant), in one account, and returns
// them in export order.
func fillFidelity(t *testing.T, st *store.Store) []store.Transaction {
	t.Helper()
	addAccounts(t, st, current)
	var txs []store.Transaction
	for i, text := range fidelityTexts {
		txs = append(txs, store.Transaction{ProviderTransactionID: fmt.Sprintf("fid-%02d", i),
			BookedAt: at("2025-04-01T08:00:00Z").Add(time.Duration(i) * time.Hour), Description: text,
			Merchant: fidelityTexts[len(fidelityTexts)-1-i],
			Amount:   dec("-1.50"), Currency: "GBP", Type: store.TypeDebit})
	}
	addBooked(t, st, current.ID, txs...)
	stored := storedRows(t, st, false)
	if len(stored) != len(fidelityTexts) {
		t.Fatalf("stored %d of %d", len(stored), len(fidelityTexts))
	}
	for i, tx := range stored {
		if tx.Description != fidelityTexts[i] || tx.Merchant != fidelityTexts[len(fidelityTexts)-1-i] {
			t.Fatalf("the store changed %q into %q", fidelityTexts[i], tx.Description)
		}
	}
	return stored
}

// goReads is what encoding/csv's Reader returns for a cell holding s: it
// turns every CRLF into LF, inside quoted fields too ("The Reader converts
// all \r\n sequences in its input to plain \n, including in multiline field
// values", encoding/csv's doc). No writer can get a CRLF through it;
// Python's csv module, below, returns cells byte for byte.
func goReads(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

// neutralised is the documented spreadsheet safety, written independently
// of the code under test: a leading =, +, -, @, tab or CR gets a '.
func neutralised(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// pythonReads parses the CSV file at path with Python's csv module, opened
// with newline="" as its docs require, and returns every record (the header
// included, its BOM too when there is one). python3 missing skips the test,
// or fails it when CI=true: CI installs python3 (Makefile's APT_TEST).
func pythonReads(t *testing.T, path string, comma rune) [][]string {
	t.Helper()
	python, err := exec.LookPath("python3")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("python3 is not installed, and CI must check the CSV round trip with Python's csv module: install it (Makefile's APT_TEST lists it)")
		}
		t.Skip("python3 is not installed: skipping the round trip through Python's csv module")
	}
	// ensure_ascii: CR, LF and emoji cross as JSON escapes, whatever
	// Python's stdout encoding.
	const script = `import csv, json, sys
with open(sys.argv[1], newline='', encoding='utf-8') as f:
    rows = list(csv.reader(f, delimiter=sys.argv[2], strict=True))
json.dump(rows, sys.stdout, ensure_ascii=True)
`
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(python, "-c", script, path, string(comma))
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("Python's csv module cannot read the export: %v\n%s", err, stderr.String())
	}
	var records [][]string
	if err := json.Unmarshal(stdout.Bytes(), &records); err != nil {
		t.Fatalf("python3's output: %v\n%s", err, stdout.String())
	}
	return records
}

// checkRecordEnds checks that the file's line breaks outside quoted fields
// are exactly the record ends, one CRLF per record (RFC 4180), and that
// the file ends with one.
func checkRecordEnds(t *testing.T, data []byte, records int) {
	t.Helper()
	quoted, ends := false, 0
	for i, c := range data {
		switch {
		case c == '"':
			quoted = !quoted // a doubled quote toggles twice
		case quoted:
		case c == '\r' && i+1 < len(data) && data[i+1] == '\n':
		case c == '\n' && i > 0 && data[i-1] == '\r':
			ends++
		case c == '\r' || c == '\n':
			t.Fatalf("a bare %q outside quotes at byte %d: records must end in CRLF", c, i)
		}
	}
	if quoted || ends != records || !bytes.HasSuffix(data, []byte("\r\n")) {
		t.Fatalf("%d CRLF record ends (quote open at the end: %v), want %d, the last at the end", ends, quoted, records)
	}
}

// quotedCell is how RFC 4180 writes s in a quoted field: its bytes, each
// double quote doubled, nothing else changed.
func quotedCell(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// checkReadsBack checks an export of the fidelity transactions three
// ways: the file's bytes (records end in CRLF, every quoted cell is its
// text with quotes doubled), encoding/csv, and Python's csv module. cell is
// the text cell the options should write for a stored text.
func checkReadsBack(t *testing.T, data []byte, opts Options, stored []store.Transaction, cell func(string) string) {
	t.Helper()
	comma, bom := opts.delimiter(), opts.bom()
	checkRecordEnds(t, data, len(stored)+1)
	for _, tx := range stored {
		for _, c := range []string{cell(tx.Description), cell(tx.Merchant)} {
			if strings.ContainsAny(c, "\r\n\""+string(comma)) && !bytes.Contains(data, []byte(quotedCell(c))) {
				t.Errorf("the file does not hold %q as %q", c, quotedCell(c))
			}
		}
	}

	goRecords := readCSV(t, data, comma, bom)
	if len(goRecords) != len(stored) {
		t.Fatalf("encoding/csv read %d rows, want %d", len(goRecords), len(stored))
	}
	for i, tx := range stored {
		if got, want := goRecords[i][5], goReads(cell(tx.Description)); got != want {
			t.Errorf("encoding/csv reads description %q, want %q", got, want)
		}
		if got, want := goRecords[i][6], goReads(cell(tx.Merchant)); got != want {
			t.Errorf("encoding/csv reads merchant %q, want %q", got, want)
		}
	}

	// Last, as python3 missing skips the rest.
	path := filepath.Join(t.TempDir(), "export.csv")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	py := pythonReads(t, path, comma)
	header := slices.Clone(Columns)
	if bom {
		header[0] = "\ufeff" + header[0]
	}
	if len(py) != len(stored)+1 || !slices.Equal(py[0], header) {
		t.Fatalf("Python read %d records, header %q; want %d, %q", len(py), py[0], len(stored)+1, header)
	}
	for i, tx := range stored {
		row := py[i+1]
		if got, want := row[5], cell(tx.Description); got != want {
			t.Errorf("Python reads description %q, want %q", got, want)
		}
		if got, want := row[6], cell(tx.Merchant); got != want {
			t.Errorf("Python reads merchant %q, want %q", got, want)
		}
		// Every cell reads the same through both readers, but for the
		// CRLF encoding/csv turns into LF.
		row = slices.Clone(row)
		for j := range row {
			row[j] = goReads(row[j])
		}
		if !slices.Equal(row, goRecords[i]) {
			t.Errorf("row %d: Python %q, encoding/csv %q", i, py[i+1], goRecords[i])
		}
	}
}

// The export keeps every text cell byte for byte: the file holds the
// stored bytes, Python's csv module reads them back exactly, encoding/csv
// exactly but for the CRLF it documents turning into LF, whatever the
// delimiter, BOM or Excel preset. With spreadsheet safety on, only the
// documented ' is added. FlattenNewlines puts every record on one line:
// each line break in a text cell is one space, nothing else changes, and
// spreadsheet safety judges the flattened cell.
func TestCSVKeepsTextByteForByte(t *testing.T) {
	st := testenv.Store(t)
	stored := fillFidelity(t, st)
	for _, c := range []struct {
		name string
		opts Options
	}{
		{"default raw", Options{Raw: true}},
		{"default", Options{}},
		{"excel raw", Options{Excel: true, Raw: true}},
		{"excel semicolon raw", Options{Excel: true, Delimiter: ';', Raw: true}},
		{"bom semicolon raw", Options{BOM: true, Delimiter: ';', Raw: true}},
		{"excel semicolon", Options{Excel: true, Delimiter: ';'}},
		{"flatten", Options{FlattenNewlines: true}},
		{"flatten raw", Options{FlattenNewlines: true, Raw: true}},
		{"flatten excel semicolon", Options{FlattenNewlines: true, Excel: true, Delimiter: ';'}},
	} {
		t.Run(c.name, func(t *testing.T) {
			data := exportCSV(t, st, c.opts)
			if rows := len(stored) + 1; c.opts.FlattenNewlines && (bytes.Count(data, []byte("\n")) != rows || bytes.Count(data, []byte("\r")) != rows) {
				t.Fatalf("%d LF and %d CR for %d records: a line break is left in a cell", bytes.Count(data, []byte("\n")), bytes.Count(data, []byte("\r")), rows)
			}
			checkReadsBack(t, data, c.opts, stored, documentedCell(c.opts))
		})
	}
}

// documentedCell is the cell the export documents for a stored text under
// opts: flattened with FlattenNewlines, then neutralised unless Raw.
func documentedCell(opts Options) func(string) string {
	return func(s string) string {
		if opts.FlattenNewlines {
			s = flattened(s)
		}
		if !opts.Raw {
			s = neutralised(s)
		}
		return s
	}
}

// flattened is the documented FlattenNewlines cell, written independently
// of the code under test: each CRLF, then each remaining CR or LF, becomes
// one space.
func flattened(s string) string {
	s = strings.ReplaceAll(s, "\r\n", " ")
	return strings.NewReplacer("\r", " ", "\n", " ").Replace(s)
}

// FlattenNewlines, spelled out: one space per line break, CRLF included;
// a leading CR flattened is a leading space, which safety leaves alone.
func TestCSVFlattensNewlinesWhenAsked(t *testing.T) {
	st := testenv.Store(t)
	fillFidelity(t, st)
	records := readCSV(t, exportCSV(t, st, Options{FlattenNewlines: true}), ',', false)
	got := map[string]bool{}
	for _, r := range records {
		got[r[5]] = true
	}
	for _, want := range []string{"mixed breaks and all", "crlf  twice", "cr then lf  x  ", " CR LEADING", "'=1+1 =2+2", " ", `"quoted across" lines"`} {
		if !got[want] {
			t.Errorf("no flattened description %q", want)
		}
	}
}

// errAfter fails every write once n bytes went through.
type errAfter struct{ n int }

var errDiskFull = errors.New("disk full")

func (w *errAfter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		n := w.n
		w.n = 0
		return n, errDiskFull
	}
	w.n -= len(p)
	return len(p), nil
}

// A failing writer stops the export with its error, mid-stream or at the
// final flush.
func TestCSVReportsWriteErrors(t *testing.T) {
	st := testenv.Store(t)
	addAccounts(t, st, current)
	var txs []store.Transaction
	for i := range 2000 {
		txs = append(txs, store.Transaction{ProviderTransactionID: fmt.Sprint(i), BookedAt: at("2024-01-01T00:00:00Z").Add(time.Duration(i) * time.Minute),
			Description: "line\none", Amount: dec("-1"), Currency: "GBP", Type: store.TypeDebit})
	}
	addBooked(t, st, current.ID, txs...)
	for _, n := range []int{0, 10, 5000, 150_000} {
		sum, err := CSV(context.Background(), &errAfter{n}, st, Options{})
		if !errors.Is(err, errDiskFull) {
			t.Errorf("failing after %d bytes: %v", n, err)
		}
		if n < 10_000 && sum.Rows == len(txs) {
			t.Errorf("failing after %d bytes: went on to write all %d rows", n, sum.Rows)
		}
	}
}
