package store

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

// The benchmarks use the XChaCha20-Poly1305 sealer (random 24-byte nonce,
// AAD bucket|key), which is what a real vault costs per record.

const benchN = 100_000

// realisticTransactions builds n transactions shaped like TrueLayer's
// (stable id, bank id, per-request id, merchant, classification, running
// balance, meta), one every ~37 minutes going back from 2026.
func realisticTransactions(n int) []Transaction {
	merchants := []string{"TESCO STORES 3297", "PRET A MANGER LONDON", "TFL TRAVEL CH", "AMAZON MKTPLACE PMTS", "SAINSBURYS S/MKTS", "DELIVEROO"}
	start := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	txs := make([]Transaction, n)
	for i := range txs {
		m := merchants[i%len(merchants)]
		txs[i] = Transaction{
			NormalisedProviderID:  fmt.Sprintf("txn-%016x", uint64(i)*0x9e3779b97f4a7c15),
			ProviderTransactionID: fmt.Sprintf("bank-%08d", i),
			TransactionID:         fmt.Sprintf("%032x", uint64(i)*0x2545f4914f6cdd1d),
			BookedAt:              start.Add(time.Duration(i) * 37 * time.Minute),
			Description:           m + " CARD PAYMENT",
			Merchant:              m[:8],
			Category:              "PURCHASE",
			Classification:        []string{"Shopping", "Groceries"},
			Amount:                dec(fmt.Sprintf("-%d.%02d", i%250, i%100)),
			Currency:              "GBP",
			Type:                  TypeDebit,
			RunningBalance:        decp(fmt.Sprintf("%d.%02d", 10000+i%5000, i%100)),
			Meta:                  map[string]string{"provider_transaction_category": "DEB", "provider_reference": "REF" + fmt.Sprint(i)},
		}
	}
	return txs
}

func openBench(b *testing.B, sealer Sealer) *Store {
	b.Helper()
	st, err := Open(filepath.Join(b.TempDir(), "bench.db"), sealer, Options{})
	if err != nil {
		b.Fatal(err)
	}
	if err := st.PutConnection(Connection{ID: "c"}); err != nil {
		b.Fatal(err)
	}
	if err := st.PutAccounts("c", []Account{{ID: "f1234560abf9f57287637624def390871", Kind: KindAccount}}); err != nil {
		b.Fatal(err)
	}
	return st
}

const benchAccount = "f1234560abf9f57287637624def390871"

// BenchmarkPutTransactions100k stores 100,000 transactions into an empty
// account: in 10 calls of 10,000 (as a sync walking history would) and in
// one call (chunked internally).
func BenchmarkPutTransactions100k(b *testing.B) {
	txs := realisticTransactions(benchN)
	sealer := newXChaChaSealer()
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
	txs := realisticTransactions(benchN)
	st := openBench(b, newXChaChaSealer())
	defer st.Close()
	if _, _, err := st.PutTransactions(benchAccount, txs); err != nil {
		b.Fatal(err)
	}
	again := append([]Transaction{}, txs[benchN-10_000:]...)
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
	st := openBench(b, newXChaChaSealer())
	defer st.Close()
	if _, _, err := st.PutTransactions(benchAccount, realisticTransactions(benchN)); err != nil {
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
	txs := realisticTransactions(benchN)
	sealer := newXChaChaSealer()
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
	txs := realisticTransactions(benchN)
	sealer := newXChaChaSealer()
	saved := migrations
	defer func() { migrations, currentSchemaVersion = saved, len(saved) }()
	for range b.N {
		b.StopTimer()
		migrations, currentSchemaVersion = saved[:3], 3
		path := filepath.Join(b.TempDir(), "old.db")
		st, err := Open(path, sealer, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if err := st.PutConnection(Connection{ID: "c", ProviderID: "ob-lloyds"}); err != nil {
			b.Fatal(err)
		}
		if err := st.PutAccounts("c", []Account{{ID: benchAccount, ProviderID: "ob-lloyds", Kind: KindAccount}}); err != nil {
			b.Fatal(err)
		}
		for i := 0; i < len(txs); i += 20_000 {
			writeV1(b, st, benchAccount, txs[i:i+20_000])
		}
		st.Close()
		migrations, currentSchemaVersion = saved, len(saved)
		b.StartTimer()
		st, err = Open(path, sealer, Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		st.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(benchN)*float64(b.N)/b.Elapsed().Seconds(), "tx/s")
}

// BenchmarkSnapshot100k writes the snapshot a sync leaves (store.Snapshot:
// a consistent copy in a read transaction, fsynced, rotated) of a store of
// 100,000 transactions; file-MB is the data file's size.
func BenchmarkSnapshot100k(b *testing.B) {
	st := openBench(b, newXChaChaSealer())
	defer st.Close()
	if _, _, err := st.PutTransactions(benchAccount, realisticTransactions(benchN)); err != nil {
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

// BenchmarkRecordKey is one record key: HMAC-SHA256 of bucket and name
// under the index key (a transaction's cluster is cached; see keys.go).
func BenchmarkRecordKey(b *testing.B) {
	k := newKeyer(make([]byte, 32))
	name := []byte("f1234560abf9f57287637624def390871")
	for b.Loop() {
		k.record(bucketAccounts, name)
	}
}

// BenchmarkSealedBytes100k reports what 100,000 realistic transactions
// take in the file: the padded envelope and the month indexes against the
// records' own encoding.
func BenchmarkSealedBytes100k(b *testing.B) {
	txs := realisticTransactions(benchN)
	for b.Loop() {
		b.StopTimer()
		st := openBench(b, newXChaChaSealer())
		b.StartTimer()
		if _, _, err := st.PutTransactions(benchAccount, txs); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		var records, index, payload int
		mustNoErr(b, st.db.View(func(tx *bbolt.Tx) error {
			return tx.Bucket(bucketTransactions).ForEach(func(k, v []byte) error {
				if id, _ := recordID(k); id == 0 {
					index += len(k) + len(v)
				} else {
					records += len(k) + len(v)
				}
				return nil
			})
		}))
		for _, t := range txs[:1000] {
			p, _ := encodeRecord(t)
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
	txs := realisticTransactions(benchN)
	sealer := newXChaChaSealer()
	saved := migrations
	defer func() { migrations, currentSchemaVersion = saved, len(saved) }()
	for range b.N {
		b.StopTimer()
		migrations, currentSchemaVersion = saved[:4], 4
		path := filepath.Join(b.TempDir(), "old.db")
		st, err := Open(path, sealer, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if err := st.PutConnection(Connection{ID: "c", ProviderID: "ob-lloyds"}); err != nil {
			b.Fatal(err)
		}
		if err := st.PutAccounts("c", []Account{{ID: benchAccount, ProviderID: "ob-lloyds", Kind: KindAccount}}); err != nil {
			b.Fatal(err)
		}
		for i := 0; i < len(txs); i += 20_000 {
			writeV2(b, st, benchAccount, txs[i:i+20_000])
		}
		st.Close()
		migrations, currentSchemaVersion = saved, len(saved)
		b.StartTimer()
		st, err = Open(path, sealer, Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		st.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(benchN)*float64(b.N)/b.Elapsed().Seconds(), "tx/s")
}
