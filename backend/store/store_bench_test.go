package store_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"bankdesk/backend/internal/fixture"
	"bankdesk/backend/store"
)

// The benchmarks use the XChaCha20-Poly1305 sealer (NewBenchSealer),
// which is what a real vault costs per record, and the transactions the
// export's benchmarks use too (fixture.Transactions).

const (
	benchN       = fixture.N
	benchAccount = fixture.Account
)

func init() { store.UseTransactions(fixture.Transactions) }

func openBench(b *testing.B, sealer store.Sealer) *store.Store {
	b.Helper()
	st, err := store.Open(filepath.Join(b.TempDir(), "bench.db"), sealer, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	if err := st.PutConnection(store.Connection{ID: "c"}); err != nil {
		b.Fatal(err)
	}
	if err := st.PutAccounts("c", []store.Account{{ID: benchAccount, Kind: store.KindAccount}}); err != nil {
		b.Fatal(err)
	}
	return st
}

// BenchmarkPutTransactions100k stores 100,000 transactions into an empty
// account: in 10 calls of 10,000 (as a sync walking history would) and in
// one call (chunked internally).
func BenchmarkPutTransactions100k(b *testing.B) {
	txs := fixture.Transactions(benchN)
	sealer := store.NewBenchSealer()
	for _, batches := range []int{10, 1} {
		b.Run(fmt.Sprintf("%dx%dk", batches, benchN/batches/1000), func(b *testing.B) {
			size := benchN / batches
			for range b.N {
				b.StopTimer()
				st := openBench(b, sealer)
				b.StartTimer()
				for i := range batches {
					added, _, err := st.PutTransactions(benchAccount, txs[i*size:(i+1)*size])
					if err != nil || added != size {
						b.Fatalf("added %d, %v", added, err)
					}
				}
				b.StopTimer()
				st.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(benchN)*float64(b.N)/b.Elapsed().Seconds(), "tx/s")
		})
	}
}

// BenchmarkResync10kOf100k re-puts the newest 10,000 of 100,000 stored,
// unchanged but for the volatile transaction_id: the cost of a routine
// overlapping sync.
func BenchmarkResync10kOf100k(b *testing.B) {
	txs := fixture.Transactions(benchN)
	st := openBench(b, store.NewBenchSealer())
	defer st.Close()
	if _, _, err := st.PutTransactions(benchAccount, txs); err != nil {
		b.Fatal(err)
	}
	again := append([]store.Transaction{}, txs[benchN-10_000:]...)
	for i := range again {
		again[i].TransactionID = "changed"
	}
	b.ResetTimer()
	for range b.N {
		added, updated, err := st.PutTransactions(benchAccount, again)
		if err != nil || added != 0 || updated != 0 {
			b.Fatalf("added %d updated %d, %v", added, updated, err)
		}
	}
	b.ReportMetric(10_000*float64(b.N)/b.Elapsed().Seconds(), "tx/s")
}

// BenchmarkNewest200Of100k reads the newest 200 of 100,000 stored.
func BenchmarkNewest200Of100k(b *testing.B) {
	st := openBench(b, store.NewBenchSealer())
	defer st.Close()
	if _, _, err := st.PutTransactions(benchAccount, fixture.Transactions(benchN)); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		got, err := st.NewestTransactions(benchAccount, 200)
		if err != nil || len(got) != 200 {
			b.Fatalf("got %d, %v", len(got), err)
		}
	}
	b.ReportMetric(200*float64(b.N)/b.Elapsed().Seconds(), "tx/s")
}

// BenchmarkDeleteConnection100k deletes a connection together with an
// account of 100,000 transactions (and their dedupe entries).
func BenchmarkDeleteConnection100k(b *testing.B) {
	txs := fixture.Transactions(benchN)
	sealer := store.NewBenchSealer()
	for range b.N {
		b.StopTimer()
		st := openBench(b, sealer)
		if _, _, err := st.PutTransactions(benchAccount, txs); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := st.DeleteConnection("c", false); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if n, _ := st.CountTransactions(benchAccount); n != 0 {
			b.Fatalf("%d left", n)
		}
		st.Close()
		b.StartTimer()
	}
}

// BenchmarkMigrateBankDays100k opens a schema 3 file of 100,000
// transactions (format 1 records, UTC times): schema 4's one-time
// rewrite into the provider's zone (migrateBankDays), in place.
// (Since schema 5 this includes the migration to keyed hashes and the
// compaction after it: BenchmarkMigrateKeyedHashes100k alone.)
func BenchmarkMigrateBankDays100k(b *testing.B) {
	benchMigrate(b, 3, store.WriteV1)
}

// BenchmarkSnapshot100k writes the snapshot a sync leaves (store.Snapshot:
// a consistent copy in a read transaction, fsynced, rotated) of a store of
// 100,000 transactions; file-MB is the data file's size.
func BenchmarkSnapshot100k(b *testing.B) {
	st := openBench(b, store.NewBenchSealer())
	defer st.Close()
	if _, _, err := st.PutTransactions(benchAccount, fixture.Transactions(benchN)); err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	now := time.Now()
	b.ResetTimer()
	for i := range b.N {
		if _, err := st.Snapshot(dir, 3, now.Add(time.Duration(i)*time.Second)); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if info, err := os.Stat(st.Path()); err == nil {
		b.ReportMetric(float64(info.Size())/1e6, "file-MB")
	}
}

// BenchmarkSealedBytes100k reports what 100,000 realistic transactions
// take in the file: the padded envelope and the month indexes against the
// records' own encoding.
func BenchmarkSealedBytes100k(b *testing.B) {
	txs := fixture.Transactions(benchN)
	for b.Loop() {
		b.StopTimer()
		st := openBench(b, store.NewBenchSealer())
		b.StartTimer()
		if _, _, err := st.PutTransactions(benchAccount, txs); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		records, index, err := store.TransactionBytes(st)
		if err != nil {
			b.Fatal(err)
		}
		var payload int
		for _, t := range txs[:1000] {
			p, _ := store.EncodeRecord(t)
			payload += len(p)
		}
		info, _ := os.Stat(st.Path())
		b.ReportMetric(float64(records)/benchN, "record-B/tx")
		b.ReportMetric(float64(index)/benchN, "index-B/tx")
		b.ReportMetric(float64(payload)/1000, "v2-body-B/tx")
		b.ReportMetric(float64(info.Size())/1e6, "file-MB")
		st.Close()
		b.StartTimer()
	}
}

// BenchmarkMigrateKeyedHashes100k opens a schema 4 file of 100,000
// transactions: every record rewritten under keyed-hash keys in padded
// envelopes, month indexes built, then the file compacted (once).
func BenchmarkMigrateKeyedHashes100k(b *testing.B) {
	benchMigrate(b, 4, store.WriteV2)
}

// benchMigrate times Open migrating a file of schema version from holding
// 100,000 transactions, which write stored as that schema did.
func benchMigrate(b *testing.B, from int, write func(testing.TB, *store.Store, string, []store.Transaction)) {
	txs := fixture.Transactions(benchN)
	sealer := store.NewBenchSealer()
	for range b.N {
		b.StopTimer()
		path := filepath.Join(b.TempDir(), "old.db")
		oldFile(b, path, sealer, from, func(st *store.Store) {
			for i := 0; i < len(txs); i += 20_000 {
				write(b, st, benchAccount, txs[i:i+20_000])
			}
		})
		b.StartTimer()
		st, err := store.Open(path, sealer, store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		st.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(benchN)*float64(b.N)/b.Elapsed().Seconds(), "tx/s")
}

// oldFile creates a store of schema version v at path, with one connection
// and account at Lloyds, and fills it.
func oldFile(b *testing.B, path string, sealer store.Sealer, v int, fill func(*store.Store)) {
	defer store.UseSchema(v)()
	st, err := store.Open(path, sealer, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if err := st.PutConnection(store.Connection{ID: "c", ProviderID: "ob-lloyds"}); err != nil {
		b.Fatal(err)
	}
	if err := st.PutAccounts("c", []store.Account{{ID: benchAccount, ProviderID: "ob-lloyds", Kind: store.KindAccount}}); err != nil {
		b.Fatal(err)
	}
	fill(st)
}
