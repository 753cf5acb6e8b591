package export

import (
	"bankdesk/backend/bankday"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"bankdesk/backend/internal/testenv"
	"bankdesk/backend/internal/testhost"
	"bankdesk/backend/store"
)

var errDiskOnFire = errors.New("injected: the store failed mid-walk")

// failingSource is the store with a walk that fails after some rows, as a
// damaged record or an I/O error would.
type failingSource struct {
	*store.Store
	after int
}

func (f failingSource) Transactions(accountID string, from, to bankday.Day, fn func(store.Transaction) error) error {
	n := 0
	return f.Store.Transactions(accountID, from, to, func(t store.Transaction) error {
		if n == f.after {
			return errDiskOnFire
		}
		n++
		return fn(t)
	})
}

// many makes n plain transactions, an hour apart.
func many(n int) []store.Transaction {
	txs := make([]store.Transaction, n)
	for i := range txs {
		txs[i] = store.Transaction{ProviderTransactionID: fmt.Sprintf("bank-%06d", i), BookedAt: at("2024-01-01T00:00:00Z").Add(time.Duration(i) * time.Hour),
			Description: "SAINSBURYS S/MKTS CARD PAYMENT", Merchant: "Sainsburys", Category: "PURCHASE",
			Classification: []string{"Shopping", "Groceries"}, Amount: dec(fmt.Sprintf("-%d.%02d", i%250, i%100)), Currency: "GBP",
			Type: store.TypeDebit, RunningBalance: decp(fmt.Sprintf("%d.%02d", 10000+i%5000, i%100))}
	}
	return txs
}

// An export that fails midway leaves no file and no temporary file behind,
// whatever the format; one that succeeds writes a private file.
func TestFailedExportLeavesNoFile(t *testing.T) {
	st := testenv.Store(t)
	addAccounts(t, st, current)
	addBooked(t, st, current.ID, many(2000)...)
	for _, f := range []Format{FormatCSV, FormatOFX} {
		dir := t.TempDir()
		path := filepath.Join(dir, "bankdesk"+f.Extension())
		// 1500 rows (≈ 200 KB of CSV) go through before the failure: past
		// the buffers, so the temporary file already holds part of them.
		_, err := f.WriteFile(context.Background(), path, failingSource{st, 1500}, Options{})
		if !errors.Is(err, errDiskOnFire) {
			t.Fatalf("%s: %v", f, err)
		}
		if names := testhost.DirNames(t, dir); len(names) != 0 {
			t.Fatalf("%s: a failed export left %q", f, names)
		}
		sum, err := f.WriteFile(context.Background(), path, st, Options{})
		if err != nil || sum.Rows == 0 {
			t.Fatalf("%s: %+v %v", f, sum, err)
		}
		info, err := os.Stat(path)
		if err != nil || info.Mode().Perm() != 0o600 {
			t.Fatalf("%s: %v %v", f, info.Mode(), err)
		}
		if names := testhost.DirNames(t, dir); !slices.Equal(names, []string{filepath.Base(path)}) {
			t.Fatalf("%s: directory holds %q", f, names)
		}
	}
}

// An existing file is replaced only by a complete export.
func TestExistingFileIsReplacedOnlyOnSuccess(t *testing.T) {
	st := testenv.Store(t)
	stored := fillTricky(t, st)
	dir := t.TempDir()
	path := filepath.Join(dir, "export.csv")
	if err := os.WriteFile(path, []byte("last month's export"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := FormatCSV.WriteFile(context.Background(), path, failingSource{st, 5}, Options{}); !errors.Is(err, errDiskOnFire) {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := FormatCSV.WriteFile(ctx, path, st, Options{}); !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "last month's export" {
		t.Fatalf("a failed export changed the file: %.80q", got)
	}
	sum, err := FormatCSV.WriteFile(context.Background(), path, st, Options{IncludePending: true})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	if records := readCSV(t, got, ',', false); len(records) != len(stored) || sum.Rows != len(stored) {
		t.Fatalf("%d rows written, %d reported, %d stored", len(records), sum.Rows, len(stored))
	}
	if names := testhost.DirNames(t, dir); !slices.Equal(names, []string{"export.csv"}) {
		t.Fatalf("directory holds %q", names)
	}
}

// ToFile itself: a writer's error after it wrote bytes removes the
// temporary file; a missing directory fails before anything is written.
func TestToFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	boom := errors.New("boom")
	err := ToFile(path, func(w io.Writer) error {
		_, _ = w.Write(make([]byte, 3*fileBuffer)) // past the buffer: on disk already
		return boom
	})
	if !errors.Is(err, boom) || len(testhost.DirNames(t, dir)) != 0 {
		t.Fatalf("%v, left %q", err, testhost.DirNames(t, dir))
	}
	if err := ToFile(filepath.Join(dir, "missing", "out.csv"), func(io.Writer) error { return nil }); err == nil {
		t.Fatal("no error for a missing directory")
	}
	if err := ToFile(path, func(w io.Writer) error { _, err := io.WriteString(w, "ok"); return err }); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "ok" {
		t.Fatalf("wrote %q", got)
	}
	// A directory in the way is not replaced.
	if err := os.Mkdir(filepath.Join(dir, "taken.csv"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := ToFile(filepath.Join(dir, "taken.csv"), func(io.Writer) error { return nil }); err == nil {
		t.Fatal("renamed over a directory")
	}
	if names := testhost.DirNames(t, dir); !slices.Equal(names, []string{"out.csv", "taken.csv"}) {
		t.Fatalf("directory holds %q", names)
	}
}

func TestParseFormat(t *testing.T) {
	for in, want := range map[string]Format{"csv": FormatCSV, "OFX": FormatOFX, " csv ": FormatCSV} {
		if got, err := ParseFormat(in); err != nil || got != want {
			t.Errorf("%q: %q %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "qif", "xlsx"} {
		if _, err := ParseFormat(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
