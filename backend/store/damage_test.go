package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

// sealer binds each value to its bucket and key (AES-GCM with them as
// additional data), as the vault's does: repair relies on that.
var sealer = newGCMSealer()

// A store of n transactions of one account, closed, for damaging.
func damageable(t *testing.T, n int) (path string, txs []Transaction) {
	t.Helper()
	st, path, txs := filled(t, n)
	mustNoErr(t, st.Close())
	return path, txs
}

// filled is an open store at path holding n transactions of account "acc"
// of connection "c".
func filled(t *testing.T, n int) (st *Store, path string, txs []Transaction) {
	t.Helper()
	st, path = openTemp(t, sealer)
	withAccount(t, st, "c", "acc")
	txs = realisticTransactions(n)
	put(t, st, "acc", txs...)
	return st, path, txs
}

func count(t *testing.T, st *Store, acc string) int {
	t.Helper()
	n := 0
	mustNoErr(t, st.Transactions(acc, 0, 0, func(Transaction) error { n++; return nil }))
	return n
}

// Opening a damaged file gives ErrDamaged, never a panic or a fault: a
// file cut short (bbolt would fault past its end), a header that is not
// bbolt's, and both meta pages gone.
func TestDamagedFilesOpenWithATypedError(t *testing.T) {
	path, _ := damageable(t, 5000)
	orig, err := os.ReadFile(path)
	mustNoErr(t, err)
	cases := map[string]func([]byte) []byte{
		"cut short": func(b []byte) []byte { return b[:8192] },
		"cut mid-file": func(b []byte) []byte {
			m, _ := readMeta(b)
			return b[:int(m.pgid)*int(m.pageSize)/2] // within the pages in use
		},
		"random header":   func(b []byte) []byte { copy(b, bytes.Repeat([]byte{0x5a}, 4096)); return b },
		"both metas gone": func(b []byte) []byte { clear(b[:8192]); return b },
		"not bbolt":       func([]byte) []byte { return []byte("hello, this is not a database at all, but long enough") },
	}
	for name, damage := range cases {
		t.Run(name, func(t *testing.T) {
			mustNoErr(t, os.WriteFile(path, damage(bytes.Clone(orig)), 0o600))
			st, err := Open(path, sealer, Options{})
			if err == nil {
				st.Close()
				t.Fatal("opened")
			}
			var de *DamageError
			if !errors.Is(err, ErrDamaged) || !errors.As(err, &de) {
				t.Fatalf("%v, want ErrDamaged", err)
			}
		})
	}
}

// A page overwritten with garbage: reads give ErrDamaged or leave the page
// out; nothing panics (bbolt panics on such a page; the store turns that
// into an error).
func TestOverwrittenPagesNeverPanic(t *testing.T) {
	path, _ := damageable(t, 20000)
	orig, err := os.ReadFile(path)
	mustNoErr(t, err)
	for pg := 2; pg < len(orig)/4096; pg += max(1, len(orig)/4096/25) {
		b := bytes.Clone(orig)
		for i := range 4096 {
			b[pg*4096+i] = byte(i*7 + pg)
		}
		mustNoErr(t, os.WriteFile(path, b, 0o600))
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("page %d: panic %v", pg, r)
				}
			}()
			st, err := Open(path, sealer, Options{})
			if err != nil {
				if !errors.Is(err, ErrDamaged) && !errors.Is(err, ErrUnreadable) {
					t.Errorf("page %d: open: %v", pg, err)
				}
				return
			}
			defer st.Close()
			err = st.Transactions("acc", 0, 0, func(Transaction) error { return nil })
			if err != nil && !errors.Is(err, ErrDamaged) {
				t.Errorf("page %d: read: %v", pg, err)
			}
		}()
	}
}

// One unreadable transaction record leaves every other transaction
// readable; it is reported once, and the next write of the same
// transaction (a sync fetching it again) heals it.
func TestAnUnreadableRecordIsSkippedAndHealed(t *testing.T) {
	path, txs := damageable(t, 100)
	var flipped []byte
	editRaw(t, path, func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketTransactions)
		c := b.Cursor()
		k, v := c.First()
		for n := 0; n < 40; k, v = c.Next() {
			if id, _ := recordID(k); id != 0 { // 0: a month index
				n++
			}
		}
		for id, _ := recordID(k); id == 0; id, _ = recordID(k) {
			k, v = c.Next()
		}
		flipped = bytes.Clone(k)
		v = bytes.Clone(v)
		v[len(v)/2] ^= 0x40
		return b.Put(flipped, v)
	})
	st, err := Open(path, sealer, Options{})
	mustNoErr(t, err)
	defer st.Close()
	if n := count(t, st, "acc"); n != 99 {
		t.Fatalf("%d readable, want 99", n)
	}
	if d := st.Damaged(); len(d) != 1 || d[0].Bucket != "transactions" || d[0].Key != printableKey(flipped) || d[0].Healed {
		t.Fatalf("damage %+v", d)
	}
	count(t, st, "acc") // reported once, not per read
	if d := st.Damaged(); len(d) != 1 {
		t.Fatalf("damage %+v", d)
	}
	a, u := put(t, st, "acc", txs...)
	if a != 1 || u != 0 {
		t.Errorf("the sync again: +%d ~%d, want the damaged one added back", a, u)
	}
	if n := count(t, st, "acc"); n != 100 {
		t.Fatalf("%d after the sync, want 100", n)
	}
	if d := st.Damaged(); len(d) != 1 || !d[0].Healed {
		t.Fatalf("damage after the sync %+v", d)
	}
}

// Unreadable per-account records are as if absent (the next sync writes
// them again), and a bad connection record leaves the others listed.
func TestUnreadableAuxiliaryRecordsAreAbsent(t *testing.T) {
	st, path := openTemp(t, sealer)
	withAccount(t, st, "c", "acc")
	mustNoErr(t, st.PutConnection(sampleConnection("c2")))
	mustNoErr(t, st.PutCheckpoint("acc", []byte("cp")))
	mustNoErr(t, st.PutSetting("credentials/sandbox", []byte("secret")))
	mustNoErr(t, st.ReplacePending("acc", []Transaction{{BookedAt: day("2026-01-01"), Description: "P", Amount: dec("-1")}}))
	records := []struct{ bucket, key []byte }{
		{bucketConnections, st.key(bucketConnections, []byte("c2"))}, {bucketCheckpoints, st.key(bucketCheckpoints, []byte("acc"))},
		{bucketSettings, st.key(bucketSettings, []byte("credentials/sandbox"))}, {bucketPending, st.key(bucketPending, []byte("acc"))},
	}
	mustNoErr(t, st.Close())
	editRaw(t, path, func(tx *bbolt.Tx) error {
		for _, r := range records {
			b := tx.Bucket(r.bucket)
			v := bytes.Clone(b.Get(r.key))
			v[len(v)-1] ^= 1
			if err := b.Put(r.key, v); err != nil {
				return err
			}
		}
		return nil
	})
	st, err := Open(path, sealer, Options{})
	mustNoErr(t, err)
	defer st.Close()
	if conns, err := st.Connections(); err != nil || len(conns) != 1 || conns[0].ID != "c" {
		t.Errorf("connections %v %v", conns, err)
	}
	if _, err := st.Checkpoint("acc"); !errors.Is(err, ErrNotFound) || !errors.Is(err, ErrUnreadable) {
		t.Errorf("checkpoint: %v", err)
	}
	if _, err := st.Setting("credentials/sandbox"); !errors.Is(err, ErrNotFound) {
		t.Errorf("setting: %v", err)
	}
	if p, err := st.Pending("acc"); err != nil || p != nil {
		t.Errorf("pending %v %v", p, err)
	}
	if n := len(st.Damaged()); n != 4 {
		t.Errorf("%d damaged, want 4: %+v", n, st.Damaged())
	}
}

// Deleted buckets come back, empty and reported; a file with data whose
// schema version, meta bucket or canary is gone is damage, not a new store
// (a new canary would be written under whatever key was given).
func TestDeletedBucketsAndMeta(t *testing.T) {
	path, _ := damageable(t, 10)
	editRaw(t, path, func(tx *bbolt.Tx) error { return tx.DeleteBucket(bucketCheckpoints) })
	st, err := Open(path, sealer, Options{})
	mustNoErr(t, err)
	wantLogged := func(st *Store) {
		t.Helper()
		if d := st.Damaged(); len(d) != 1 || d[0].Bucket != "file" || !strings.Contains(d[0].Err.Error(), "checkpoints bucket was missing") || !errors.Is(d[0].Err, ErrDamaged) {
			t.Errorf("damage %+v", d)
		}
	}
	wantLogged(st)
	mustNoErr(t, st.PutCheckpoint("acc", []byte("x")))
	mustNoErr(t, st.Close())
	// Still reported at the next start (the evidence is gone from the
	// file), and no snapshot pushes out those that hold what was lost.
	st, err = Open(path, sealer, Options{})
	mustNoErr(t, err)
	wantLogged(st)
	if _, err := st.Snapshot(t.TempDir(), 3, time.Now()); err == nil {
		t.Error("a snapshot of a damaged store")
	}
	mustNoErr(t, st.Close())

	for name, edit := range map[string]func(*bbolt.Tx) error{
		"meta bucket":    func(tx *bbolt.Tx) error { return tx.DeleteBucket(bucketMeta) },
		"schema version": func(tx *bbolt.Tx) error { return tx.Bucket(bucketMeta).Delete(metaSchemaVersion) },
		"canary":         func(tx *bbolt.Tx) error { return tx.Bucket(bucketMeta).Delete(metaCanary) },
	} {
		t.Run(name, func(t *testing.T) {
			path, _ := damageable(t, 10)
			editRaw(t, path, edit)
			st, err := Open(path, sealer, Options{})
			if err == nil {
				st.Close()
			}
			if !errors.Is(err, ErrDamaged) {
				t.Fatalf("%v, want ErrDamaged", err)
			}
		})
	}
}

// Check finds an unreadable record and names it; a good file checks OK.
func TestCheckNamesWhatIsWrong(t *testing.T) {
	path, _ := damageable(t, 300)
	rep, err := Check(path, sealer)
	mustNoErr(t, err)
	if !rep.OK() {
		t.Fatalf("a good file: %+v", rep)
	}
	var key []byte
	editRaw(t, path, func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketTransactions)
		c := b.Cursor()
		k, v := c.Last()
		for id, _ := recordID(k); id == 0; id, _ = recordID(k) {
			k, v = c.Prev() // a month index
		}
		key = bytes.Clone(k)
		v = bytes.Clone(v)
		v[3] ^= 1
		return b.Put(key, v)
	})
	rep, err = Check(path, sealer)
	mustNoErr(t, err)
	if rep.OK() || len(rep.Unreadable) != 1 || rep.Unreadable[0].Key != printableKey(key) {
		t.Fatalf("%+v", rep)
	}
	for _, b := range rep.Buckets {
		if b.Name == "transactions" && (b.Records <= 300 || b.Unreadable != 1) { // and month indexes
			t.Errorf("transactions %+v", b)
		}
	}
	mustNoErr(t, os.Truncate(path, 8192))
	rep, err = Check(path, sealer)
	if err != nil || !errors.Is(rep.OpenErr, ErrDamaged) {
		t.Fatalf("cut short: %v %+v", err, rep)
	}
}

// Snapshots keep the newest few, refuse while the store is damaged, and
// open as the store does.
func TestSnapshotsRotate(t *testing.T) {
	st, path, _ := filled(t, 50)
	dir := SnapshotDir(path)
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for i := range 5 {
		if _, err := st.Snapshot(dir, 3, at.Add(time.Duration(i)*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	snaps, err := Snapshots(dir)
	mustNoErr(t, err)
	if len(snaps) != 3 || !snaps[0].Taken.Equal(at.Add(4*time.Hour)) || !snaps[2].Taken.Equal(at.Add(2*time.Hour)) {
		t.Fatalf("snapshots %+v", snaps)
	}
	if info, _ := os.Stat(dir); info.Mode().Perm() != 0o700 {
		t.Errorf("snapshot dir mode %v", info.Mode().Perm())
	}
	snap, err := Open(snaps[0].Path, sealer, Options{ReadOnly: true})
	mustNoErr(t, err)
	if n := count(t, snap, "acc"); n != 50 {
		t.Errorf("the snapshot holds %d", n)
	}
	snap.Close()
	st.damage.note(bucketTransactions, []byte("k"), ErrUnreadable)
	if _, err := st.Snapshot(dir, 3, at.Add(9*time.Hour)); err == nil {
		t.Error("a snapshot of a damaged store")
	}
}

// Repair rebuilds a damaged file: what its tree still reads, what its
// pages hold where the tree is broken, and from the newest snapshot what
// is lost otherwise; the damaged file is kept beside it. Each way of
// damage ends with every transaction back.
func TestRepairRestoresEverything(t *testing.T) {
	cases := map[string]func(t *testing.T, path string){
		"a flipped record": func(t *testing.T, path string) {
			editRaw(t, path, func(tx *bbolt.Tx) error {
				b := tx.Bucket(bucketTransactions)
				k, v := b.Cursor().First()
				v = bytes.Clone(v)
				v[5] ^= 0xff
				return b.Put(bytes.Clone(k), v)
			})
		},
		"an overwritten page": func(t *testing.T, path string) {
			b, _ := os.ReadFile(path)
			for pg := len(b)/4096 - 4; pg > 2; pg-- { // a transaction leaf near the end
				if b[pg*4096+8]&leafPageFlag != 0 {
					for i := range 4096 {
						b[pg*4096+i] = byte(i)
					}
					break
				}
			}
			if err := os.WriteFile(path, b, 0o600); err != nil {
				t.Fatal(err)
			}
		},
		"cut short": func(t *testing.T, path string) {
			info, _ := os.Stat(path)
			if err := os.Truncate(path, info.Size()*2/3/4096*4096); err != nil {
				t.Fatal(err)
			}
		},
		"the bucket deleted": func(t *testing.T, path string) {
			editRaw(t, path, func(tx *bbolt.Tx) error { return tx.DeleteBucket(bucketTransactions) })
		},
	}
	for name, damage := range cases {
		t.Run(name, func(t *testing.T) {
			st, path, txs := filled(t, 3000)
			_, err := st.Snapshot(SnapshotDir(path), 0, time.Now())
			mustNoErr(t, err)
			mustNoErr(t, st.Close())
			damage(t, path)

			rep, err := Repair(path, sealer, time.Now())
			mustNoErr(t, err)
			if _, err := os.Stat(rep.Damaged); err != nil {
				t.Errorf("the damaged file was not kept: %v", err)
			}
			st, err = Open(path, sealer, Options{})
			mustNoErr(t, err)
			defer st.Close()
			if n := count(t, st, "acc"); n != len(txs) {
				t.Errorf("%d transactions after the repair, want %d (report %+v)", n, len(txs), rep.Buckets)
			}
			if len(st.Damaged()) != 0 {
				t.Errorf("still damaged: %+v", st.Damaged())
			}
			if a, _ := put(t, st, "acc", txs...); a != 0 {
				t.Errorf("%d added by syncing again: duplicates or losses after the repair", a)
			}
			st.Close()
			if c, err := Check(path, sealer); err != nil || !c.OK() {
				t.Errorf("the repaired file does not check: %v %+v", err, c)
			}
		})
	}
}

// Without a snapshot, a repair keeps what can be read and names what was
// lost. (A record's bytes damaged in the file itself, every copy of them:
// a record rewritten through bbolt would leave its old copy in a freed
// page, which the repair finds.)
func TestRepairWithoutSnapshotListsTheLost(t *testing.T) {
	path, _ := damageable(t, 200)
	var key, value []byte
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true})
	mustNoErr(t, err)
	mustNoErr(t, db.View(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bucketTransactions).Cursor()
		k, v := c.First()
		for id, _ := recordID(k); id == 0; id, _ = recordID(k) {
			k, v = c.Next() // a month index
		}
		key, value = bytes.Clone(k), bytes.Clone(v)
		return nil
	}))
	db.Close()
	b, err := os.ReadFile(path)
	mustNoErr(t, err)
	copies := 0
	for i := bytes.Index(b, value); i >= 0; i = bytes.Index(b, value) {
		b[i+len(value)/2] ^= 0xff
		copies++
	}
	if copies == 0 {
		t.Fatal("the record's bytes are not in the file")
	}
	mustNoErr(t, os.WriteFile(path, b, 0o600))
	rep, err := Repair(path, sealer, time.Now())
	mustNoErr(t, err)
	if len(rep.Lost) != 1 || rep.Lost[0].Key != printableKey(key) || rep.Snapshot != "" {
		t.Fatalf("report %+v", rep)
	}
	st, err := Open(path, sealer, Options{})
	mustNoErr(t, err)
	defer st.Close()
	if n := count(t, st, "acc"); n != 199 {
		t.Fatalf("%d kept, want 199", n)
	}
	if got, _ := filepath.Glob(path + ".damaged-*"); len(got) != 1 {
		t.Errorf("damaged copies %v", got)
	}
}

// A snapshot taken before anyone read a damaged record copies it damaged;
// a repair then takes that record from an older snapshot. (The app's
// background sync at start can snapshot before the screens read.)
func TestRepairTakesWhatTheNewestSnapshotCopiedDamagedFromAnOlderOne(t *testing.T) {
	st, path, _ := filled(t, 200)
	dir := SnapshotDir(path)
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	_, err := st.Snapshot(dir, 3, at)
	mustNoErr(t, err)
	mustNoErr(t, st.Close())
	editRaw(t, path, func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketTransactions)
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if id, _ := recordID(k); id != 0 {
				v = bytes.Clone(v)
				v[len(v)/2] ^= 1
				return b.Put(bytes.Clone(k), v)
			}
		}
		return errors.New("no transaction")
	})
	st, err = Open(path, sealer, Options{})
	mustNoErr(t, err)
	_, err = st.Snapshot(dir, 3, at.Add(time.Hour)) // nothing read yet: nothing known
	mustNoErr(t, err)
	mustNoErr(t, st.Close())
	used := usedBytes(t, path)
	mustNoErr(t, os.Truncate(path, used/3/4096*4096))

	rep, err := Repair(path, sealer, at.Add(2*time.Hour))
	mustNoErr(t, err)
	if len(rep.Lost) != 0 || !rep.SnapshotTaken.Equal(at.Add(time.Hour)) {
		t.Fatalf("report %+v", rep)
	}
	st, err = Open(path, sealer, Options{})
	mustNoErr(t, err)
	defer st.Close()
	if n := count(t, st, "acc"); n != 200 || len(st.Damaged()) != 0 {
		t.Fatalf("%d after the repair, damage %+v", n, st.Damaged())
	}
}

// usedBytes is what bbolt's meta page says the file uses (page size at
// byte 24, the high-water mark at byte 56).
func usedBytes(t *testing.T, path string) int64 {
	t.Helper()
	head := make([]byte, 64)
	f, err := os.Open(path)
	mustNoErr(t, err)
	defer f.Close()
	_, err = f.ReadAt(head, 0)
	mustNoErr(t, err)
	return int64(binary.LittleEndian.Uint32(head[24:])) * int64(binary.LittleEndian.Uint64(head[56:]))
}
