package export

import (
	"context"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"bankdesk/backend/internal/fixture"
	"bankdesk/backend/internal/testenv"
	"bankdesk/backend/store"
)

// The benchmarks export the store benchmarks' transactions
// (fixture.Transactions).
const benchN = fixture.N

// benchStore is an encrypted store (real XChaCha20-Poly1305 vault) holding
// n transactions in one current account.
func benchStore(b *testing.B, n int) *store.Store {
	st := testenv.Store(b)
	addAccounts(b, st, store.Account{ID: fixture.Account, Kind: store.KindAccount, Type: "TRANSACTION",
		ProviderID: "ob-lloyds", DisplayName: "Club Lloyds", Currency: "GBP", SortCode: "30-94-57", Number: "12345678"})
	addBooked(b, st, fixture.Account, fixture.Transactions(n)...)
	return st
}

// BenchmarkExportCSV100k exports 100,000 transactions to a CSV file on disk:
//
//   - bankdesk: the whole pipeline from the encrypted store (read pages,
//     unseal, decode, format, write through the temporary file, fsync,
//     rename);
//   - sqlite3: Debian's sqlite3 CLI writing the same rows (same columns,
//     same cells, stored as TEXT) from a plain SQLite table: `sqlite3 -csv
//     -header db 'SELECT ... ORDER BY rowid' > file`, process start
//     included, no fsync;
//   - paired: one of each per iteration, reporting the ratio of their
//     times (bankdesk/sqlite3), so both meet the same machine state.
//
// The sqlite3 halves are skipped when sqlite3 is not installed.
func BenchmarkExportCSV100k(b *testing.B) {
	st := benchStore(b, benchN)
	dir := b.TempDir()
	ours := filepath.Join(dir, "export.csv")
	b.Run("bankdesk", func(b *testing.B) {
		for range b.N {
			exportWithBankdesk(b, st, ours)
		}
		b.ReportMetric(benchN*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})
	sqlite, err := exec.LookPath("sqlite3")
	if err != nil {
		b.Log("sqlite3 is not installed (apt-get install sqlite3): skipping the comparison")
		return
	}
	db := filepath.Join(dir, "export.sqlite")
	fillSQLite(b, st, sqlite, db, filepath.Join(dir, "import.csv"))
	theirs := filepath.Join(dir, "sqlite.csv")
	b.Run("sqlite3", func(b *testing.B) {
		for range b.N {
			exportWithSQLite(b, sqlite, db, theirs)
		}
		b.ReportMetric(benchN*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})
	b.Run("paired", func(b *testing.B) {
		var ourTime, theirTime time.Duration
		for range b.N {
			start := time.Now()
			exportWithBankdesk(b, st, ours)
			mid := time.Now()
			exportWithSQLite(b, sqlite, db, theirs)
			ourTime, theirTime = ourTime+mid.Sub(start), theirTime+time.Since(mid)
		}
		b.ReportMetric(float64(ourTime.Milliseconds())/float64(b.N), "bankdesk-ms")
		b.ReportMetric(float64(theirTime.Milliseconds())/float64(b.N), "sqlite3-ms")
		b.ReportMetric(ourTime.Seconds()/theirTime.Seconds(), "bankdesk/sqlite3")
	})
	checkSameRows(b, ours, theirs)
}

// BenchmarkExportCSV100kThreeAccounts exports the same 100,000 rows spread
// over a current account, a savings account and a card (interleaved in
// time): the k-way merge, with each account read on its own goroutine.
func BenchmarkExportCSV100kThreeAccounts(b *testing.B) {
	st := testenv.Store(b)
	ids := []string{"acc-current", "acc-savings", "card"}
	addAccounts(b, st,
		store.Account{ID: ids[0], Kind: store.KindAccount, DisplayName: "Club Lloyds", Currency: "GBP"},
		store.Account{ID: ids[1], Kind: store.KindAccount, DisplayName: "Saver", Currency: "GBP"},
		store.Account{ID: ids[2], Kind: store.KindCard, DisplayName: "Visa", Currency: "GBP"})
	txs := fixture.Transactions(benchN)
	for i, id := range ids {
		var mine []store.Transaction
		for j := i; j < len(txs); j += len(ids) {
			mine = append(mine, txs[j])
		}
		addBooked(b, st, id, mine...)
	}
	path := filepath.Join(b.TempDir(), "export.csv")
	b.ResetTimer()
	for range b.N {
		exportWithBankdesk(b, st, path)
	}
	b.ReportMetric(benchN*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkExportOFX100k exports the 100,000 transactions of one account
// as an OFX file on disk: store, ofxgo's structures, its marshalling (in
// memory), the atomic write.
func BenchmarkExportOFX100k(b *testing.B) {
	st := benchStore(b, benchN)
	path := filepath.Join(b.TempDir(), "export.ofx")
	b.ResetTimer()
	for range b.N {
		sum, err := FormatOFX.WriteFile(context.Background(), path, st, Options{})
		if err != nil || sum.Rows != benchN {
			b.Fatalf("%+v %v", sum, err)
		}
	}
	b.ReportMetric(benchN*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

func exportWithBankdesk(b *testing.B, st *store.Store, path string) {
	sum, err := FormatCSV.WriteFile(context.Background(), path, st, Options{})
	if err != nil || sum.Rows != benchN {
		b.Fatalf("%+v %v", sum, err)
	}
}

func exportWithSQLite(b *testing.B, sqlite, db, path string) {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var stderr strings.Builder
	cmd := exec.Command(sqlite, "-csv", "-header", db, "SELECT "+strings.Join(Columns, ", ")+" FROM transactions ORDER BY rowid")
	cmd.Stdout, cmd.Stderr = f, &stderr
	if err := cmd.Run(); err != nil {
		b.Fatalf("sqlite3: %v %s", err, stderr.String())
	}
}

// fillSQLite creates the table with the export's columns (TEXT, so amounts
// keep their exact strings) and imports the rows Bankdesk exported, with
// the sqlite3 CLI.
func fillSQLite(b *testing.B, st *store.Store, sqlite, db, csvPath string) {
	b.Helper()
	if _, err := FormatCSV.WriteFile(context.Background(), csvPath, st, Options{}); err != nil {
		b.Fatal(err)
	}
	cols := make([]string, len(Columns))
	for i, c := range Columns {
		cols[i] = c + " TEXT"
	}
	script := "CREATE TABLE transactions (" + strings.Join(cols, ", ") + ");\n.import --csv --skip 1 " + csvPath + " transactions\n"
	cmd := exec.Command(sqlite, db)
	cmd.Stdin = strings.NewReader(script)
	if msg, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("sqlite3 import: %v %s", err, msg)
	}
}

// checkSameRows makes sure both halves wrote the same cells (sqlite3
// quotes more and ends lines with LF).
func checkSameRows(b *testing.B, ours, theirs string) {
	b.Helper()
	for _, p := range []string{ours, theirs} {
		if _, err := os.Stat(p); err != nil {
			return // a -bench pattern left a half out
		}
	}
	read := func(p string) [][]string {
		f, err := os.Open(p)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		records, err := csv.NewReader(f).ReadAll()
		if err != nil {
			b.Fatal(err)
		}
		return records
	}
	a, c := read(ours), read(theirs)
	if len(a) != benchN+1 || !slices.EqualFunc(a, c, slices.Equal) {
		b.Fatalf("sqlite3 wrote other rows (%d and %d records)", len(a), len(c))
	}
}
