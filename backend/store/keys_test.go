package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

// fillRevealing writes records whose keys would, in clear, say whose and
// when: two accounts (one a card), connection and setting names, and
// transactions with id and content keys.
func fillRevealing(t *testing.T, st *Store) []Transaction {
	t.Helper()
	mustNoErr(t, st.PutConnection(sampleConnection("conn-REVEALING")))
	mustNoErr(t, st.PutAccounts("conn-REVEALING", []Account{
		{ID: "acct-CURRENT-4711", Kind: KindAccount, Currency: "GBP"},
		{ID: "card-VISA-0815", Kind: KindCard, Currency: "GBP"},
	}))
	var txs []Transaction
	for i := range 120 {
		txs = append(txs, Transaction{
			NormalisedProviderID: fmt.Sprintf("txn-REVEALING-%03d", i),
			BookedAt:             time.Date(2026, 1, 1, 9, 30, 0, 0, time.UTC).AddDate(0, 0, i),
			Description:          strings.Repeat("x", i%40),
			Amount:               dec("-3.50"),
			Type:                 TypeDebit,
		})
	}
	txs = append(txs, Transaction{BookedAt: day("2026-02-02"), Description: "NO ID", Amount: dec("-1"), Type: TypeDebit})
	_, _, err := st.PutTransactions("acct-CURRENT-4711", txs)
	mustNoErr(t, err)
	_, _, err = st.PutTransactions("card-VISA-0815", txs[:7])
	mustNoErr(t, err)
	mustNoErr(t, st.PutSetting("REVEALING-setting-name", []byte("v")))
	mustNoErr(t, st.PutCheckpoint("acct-CURRENT-4711", []byte("cp")))
	return txs
}

// No record key says whose or when: every key is a 16-byte keyed hash
// (meta's clear schema version and store id aside), no identifier or
// booking time appears in any key, and every sealed plaintext is padded
// to a size class.
func TestKeysRevealNothing(t *testing.T) {
	st, path := openTemp(t, xorSealer{}) // xor: plaintexts readable back
	txs := fillRevealing(t, st)
	mustNoErr(t, st.Close())

	var times, dedupe [][]byte
	for _, x := range txs {
		times = append(times, appendTime(nil, x.BookedAt))
		k := DedupeKey(x)
		dedupe = append(dedupe, []byte(k[:min(len(k), 8)])) // "n:txn-RE", "h:3f9a…": 8 bytes, never by chance
	}
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true})
	mustNoErr(t, err)
	defer db.Close()
	records := 0
	mustNoErr(t, db.View(func(tx *bbolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bbolt.Bucket) error {
			return b.ForEach(func(k, v []byte) error {
				if bytes.Equal(name, bucketMeta) {
					return nil
				}
				records++
				if len(k) != keyLen {
					t.Errorf("%s: key %s is not a %d-byte hash", name, printableKey(k), keyLen)
				}
				for _, id := range []string{"conn-REVEALING", "acct-CURRENT", "card-VISA", "txn-REVEALING", "REVEALING-setting"} {
					if bytes.Contains(k, []byte(id)) {
						t.Errorf("%s: key %s holds %q", name, printableKey(k), id)
					}
				}
				for _, at := range times {
					if bytes.Contains(k, at[:6]) {
						t.Errorf("%s: key %s holds a booking time", name, printableKey(k))
					}
				}
				for _, dk := range dedupe {
					if bytes.Contains(k, dk) {
						t.Errorf("%s: key %s holds a dedupe key %q", name, printableKey(k), dk)
					}
				}
				plain, _ := xorSealer{}.Unseal(nil, nil, v)
				if len(plain) != padme(len(plain)) {
					t.Errorf("%s: a %d-byte plaintext is not padded", name, len(plain))
				}
				return nil
			})
		})
	}))
	if records < len(txs)+7 {
		t.Fatalf("only %d records", records)
	}
}

// Padding: sizes fall into few classes, each at most ~12 % larger.
func TestPadme(t *testing.T) {
	classes := map[int]bool{}
	for n := 1; n <= 4096; n++ {
		p := padme(n)
		if p < n || float64(p) > float64(n)*1.125+1 {
			t.Fatalf("padme(%d) = %d", n, p)
		}
		classes[p] = true
	}
	if len(classes) > 400 {
		t.Errorf("%d size classes for 1..4096 bytes", len(classes))
	}
}

// A record copied from another store sealed under the same key does not
// open: the store's id is in every record's additional data (two data
// dirs that once shared a key cannot swap records).
func TestRecordsDoNotMoveBetweenStores(t *testing.T) {
	sealer := newGCMSealer()
	a, pathA := openTemp(t, sealer)
	b, pathB := openTemp(t, sealer)
	for _, st := range []*Store{a, b} {
		mustNoErr(t, st.PutConnection(sampleConnection("c")))
		mustNoErr(t, st.PutSetting("s", []byte("mine")))
	}
	keyA, keyB := a.key(bucketSettings, []byte("s")), b.key(bucketSettings, []byte("s"))
	mustNoErr(t, a.Close())
	mustNoErr(t, b.Close())
	var fromA []byte
	db, err := bbolt.Open(pathA, 0o600, &bbolt.Options{ReadOnly: true})
	mustNoErr(t, err)
	mustNoErr(t, db.View(func(tx *bbolt.Tx) error {
		fromA = bytes.Clone(tx.Bucket(bucketSettings).Get(keyA))
		return nil
	}))
	db.Close()
	editRaw(t, pathB, func(tx *bbolt.Tx) error { return tx.Bucket(bucketSettings).Put(keyB, fromA) })
	b, err = Open(pathB, sealer, Options{})
	mustNoErr(t, err)
	defer b.Close()
	if _, err := b.Setting("s"); !errors.Is(err, ErrUnreadable) {
		t.Errorf("a record moved in from another store: %v, want ErrUnreadable", err)
	}
}

// A schema 4 file (keys in clear) is migrated in place: every record is
// there after, under hashed keys, and the next sync finds what is stored.
func TestSchemaFourMigratesToKeyedHashes(t *testing.T) {
	saved := migrations
	migrations, currentSchemaVersion = saved[:4], 4
	sealer := newGCMSealer()
	st, path := openTemp(t, sealer)
	withAccount(t, st, "conn-OLD", "acct-OLD")
	var txs []Transaction
	for i := range 300 {
		txs = append(txs, Transaction{NormalisedProviderID: fmt.Sprint("txn-OLD-", i), BookedAt: day("2025-01-01").Add(time.Duration(i) * 29 * time.Hour), Amount: dec("-1"), Type: TypeDebit})
	}
	txs = append(txs, Transaction{BookedAt: day("2025-03-03"), Description: "CONTENT", Amount: dec("-2"), Type: TypeDebit})
	writeV2(t, st, "acct-OLD", txs)
	mustNoErr(t, st.PutSetting("setting-OLD", []byte("kept")))
	mustNoErr(t, st.ReplacePending("acct-OLD", []Transaction{{BookedAt: day("2026-01-01"), Description: "PENDING", Amount: dec("-5")}}))
	mustNoErr(t, st.Close())
	migrations, currentSchemaVersion = saved, len(saved)

	st, err := Open(path, sealer, Options{})
	mustNoErr(t, err)
	if n := count(t, st, "acct-OLD"); n != len(txs) {
		t.Fatalf("%d transactions after the migration, want %d", n, len(txs))
	}
	if v, err := st.Setting("setting-OLD"); err != nil || string(v) != "kept" {
		t.Errorf("setting %q %v", v, err)
	}
	if p, err := st.Pending("acct-OLD"); err != nil || len(p) != 1 {
		t.Errorf("pending %v %v", p, err)
	}
	if got, err := st.NewestTransactions("acct-OLD", 1); err != nil || len(got) != 1 || got[0].Key != "n:txn-OLD-299" {
		t.Errorf("newest %+v %v", got, err)
	}
	putWant(t, st, "acct-OLD", "the same transactions after the migration", 0, 0, txs...)
	mustNoErr(t, st.Close())
	raw, err := os.ReadFile(path)
	mustNoErr(t, err)
	for _, s := range []string{"conn-OLD", "acct-OLD", "txn-OLD", "setting-OLD"} {
		if bytes.Contains(raw, []byte(s)) {
			t.Errorf("%q still in the file after the migration", s)
		}
	}
}

// Opening an old file with the wrong key changes nothing: the key is
// checked before any migration reads or rewrites a record.
func TestWrongKeyNeverMigrates(t *testing.T) {
	saved := migrations
	migrations, currentSchemaVersion = saved[:4], 4
	st, path := openTemp(t, newGCMSealer())
	withAccount(t, st, "c", "acc")
	writeV2(t, st, "acc", []Transaction{googlePlay()})
	mustNoErr(t, st.Close())
	migrations, currentSchemaVersion = saved, len(saved)
	before, err := os.ReadFile(path)
	mustNoErr(t, err)

	if _, err := Open(path, newGCMSealer(), Options{}); !errors.Is(err, ErrUnreadable) {
		t.Fatalf("wrong key: %v, want ErrUnreadable", err)
	}
	after, err := os.ReadFile(path)
	mustNoErr(t, err)
	if !bytes.Equal(before, after) {
		t.Error("opening with the wrong key changed the file")
	}
}

// A month index or directory that cannot be read is worked around (reads
// fall back to the records) and rebuilt by the next write.
func TestUnreadableIndexIsRebuilt(t *testing.T) {
	st, path := openTemp(t, sealer)
	withAccount(t, st, "c", "acc")
	var txs []Transaction
	for i := range 90 {
		txs = append(txs, Transaction{NormalisedProviderID: fmt.Sprint("t", i), BookedAt: day("2026-01-01").AddDate(0, 0, i), Amount: dec("-1"), Type: TypeDebit})
	}
	put(t, st, "acc", txs...)
	dirKey := st.key(bucketTxDir, []byte("acc"))
	monthKey := st.indexKey("acc", monthOf(day("2026-02-10").UnixNano()))
	mustNoErr(t, st.Close())
	for _, target := range []struct {
		bucket []byte
		key    []byte
	}{{bucketTransactions, monthKey}, {bucketTxDir, dirKey}} {
		editRaw(t, path, func(tx *bbolt.Tx) error {
			b := tx.Bucket(target.bucket)
			v := bytes.Clone(b.Get(target.key))
			v[len(v)/2] ^= 0x10
			return b.Put(target.key, v)
		})
		st, err := Open(path, sealer, Options{})
		mustNoErr(t, err)
		if n := count(t, st, "acc"); n != len(txs) {
			t.Errorf("%s damaged: %d readable, want %d", target.bucket, n, len(txs))
		}
		if got, err := st.NewestTransactions("acc", 3); err != nil || len(got) != 3 || got[0].Key != "n:t89" {
			t.Errorf("%s damaged: newest %v %v", target.bucket, got, err)
		}
		putWant(t, st, "acc", "a write after", 0, 0, txs[:1]...)
		if len(st.Damaged()) == 0 {
			t.Errorf("%s damaged: not reported", target.bucket)
		}
		for _, d := range st.Damaged() {
			if !d.Healed {
				t.Errorf("%s damaged: %+v not healed by the write", target.bucket, d)
			}
		}
		mustNoErr(t, st.Close())
		st, err = Open(path, sealer, Options{})
		mustNoErr(t, err)
		if n := count(t, st, "acc"); n != len(txs) || len(st.Damaged()) != 0 {
			t.Errorf("%s after the rebuild: %d, damage %+v", target.bucket, n, st.Damaged())
		}
		mustNoErr(t, st.Close())
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
