package store

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	"go.etcd.io/bbolt"

	"bankdesk/backend/internal/atomicfile"
)

// Check and Repair work on a closed data file (the caller holds the data
// directory's lock): Check reads every page and unseals every record and
// says what it found; Repair builds a new file from every record that can
// still be read, from the file's tree, from its pages directly where the
// tree is broken, and from the newest snapshot where the file has nothing
// readable, and keeps the damaged file beside it.

// allBuckets are the buckets a check or repair looks at, meta first.
var allBuckets = append([][]byte{bucketMeta}, dataBuckets...)

// CheckReport is what Check found.
type CheckReport struct {
	// OpenErr is set when the file could not be opened at all (a bad
	// header, cut short); nothing else was checked then.
	OpenErr error
	// PageErrors are bbolt's own consistency findings (pages unreachable,
	// referenced twice, out of order...), and any panic met walking.
	PageErrors []string
	Buckets    []BucketCheck
	// Unreadable lists every record that does not unseal or decode.
	Unreadable []Damage
}

// BucketCheck counts one bucket's records.
type BucketCheck struct {
	Name       string
	Records    int
	Unreadable int
	Missing    bool // the bucket itself is gone
}

// OK reports a file with nothing wrong.
func (r CheckReport) OK() bool {
	if r.OpenErr != nil || len(r.PageErrors) > 0 || len(r.Unreadable) > 0 {
		return false
	}
	for _, b := range r.Buckets {
		if b.Missing {
			return false
		}
	}
	return true
}

// Check verifies the data file at path: bbolt's page check, then every
// record unsealed with s (and decoded). It never writes.
func Check(path string, s Sealer) (CheckReport, error) {
	var rep CheckReport
	if _, err := os.Stat(path); err != nil {
		return rep, fmt.Errorf("store: check: %w", err)
	}
	unlock, err := lockFile(path, DefaultTimeout)
	if err != nil {
		return rep, err
	}
	defer unlock()
	// bbolt's own lock would wait for ours: work on a copy.
	work, err := workingCopy(path)
	if err != nil {
		return rep, fmt.Errorf("store: check: %w", err)
	}
	defer func() { _ = os.Remove(work) }() // best effort: the copy is rewritten on the next check
	if info, err := os.Stat(work); err == nil && info.Size() == 0 {
		rep.OpenErr = &DamageError{Path: path, Detail: "the file is empty"}
		return rep, nil
	}
	if err := preflight(work); err != nil {
		rep.OpenErr = err
		return rep, nil
	}
	db, err := openBolt(work, &bbolt.Options{ReadOnly: true, Timeout: DefaultTimeout})
	if errors.Is(err, ErrDamaged) {
		rep.OpenErr = err
		return rep, nil
	}
	if err != nil {
		return rep, fmt.Errorf("store: check: %w", err)
	}
	defer func() { _ = db.Close() }() // read only
	st := &Store{db: db, path: path, sealer: s}
	var pr probe
	err = st.view(func(tx *bbolt.Tx) error {
		pr = probeOf(s, tx.Bucket(bucketMeta))
		for err := range tx.Check() {
			rep.PageErrors = append(rep.PageErrors, err.Error())
		}
		return nil
	})
	if err != nil {
		rep.PageErrors = append(rep.PageErrors, err.Error())
	}
	for _, name := range allBuckets {
		bc := BucketCheck{Name: string(name)}
		err := st.view(func(tx *bbolt.Tx) error {
			b := tx.Bucket(name)
			if b == nil {
				bc.Missing = true
				return nil
			}
			return b.ForEach(func(k, v []byte) error {
				bc.Records++
				if _, err := pr.read(name, k, v); err != nil {
					bc.Unreadable++
					rep.Unreadable = append(rep.Unreadable, Damage{Bucket: string(name), Key: printableKey(k), Err: err})
				}
				return nil
			})
		})
		if err != nil {
			rep.PageErrors = append(rep.PageErrors, fmt.Sprintf("bucket %s: %v", name, err))
		}
		rep.Buckets = append(rep.Buckets, bc)
	}
	return rep, nil
}

// probe reads one file's records without opening it as a Store: what
// they are sealed for (the store id, since schema 5) comes from its meta,
// in clear.
type probe struct {
	st *Store // sealer and id only
}

func probeOf(s Sealer, meta *bbolt.Bucket) probe {
	p := probe{st: &Store{sealer: s}}
	if meta != nil {
		if id := meta.Get(metaStoreID); len(id) == 16 {
			p.st.id = bytes.Clone(id)
		}
	}
	return p
}

// found is a record read by a probe: its name and payload as the record
// layer has them, the transaction decoded.
type found struct {
	name, payload []byte
	tx            *Transaction
	index         bool // a month index: the new file makes its own
	source        int
}

// read unseals and decodes a record as its bucket's records are.
func (p probe) read(bucket, key, value []byte) (found, error) {
	if bytes.Equal(bucket, bucketMeta) && (bytes.Equal(key, metaSchemaVersion) || bytes.Equal(key, metaStoreID)) {
		return found{}, nil // in clear
	}
	plain, err := p.st.open(bucket, key, value)
	if err != nil {
		return found{}, err
	}
	f := found{name: key, payload: plain}
	keyed := len(p.st.id) > 0
	if keyed && !bytes.Equal(bucket, bucketMeta) {
		if f.name, f.payload, err = unwrap(plain); err != nil {
			return found{}, fmt.Errorf("%w: %s/%s: %w", ErrUnreadable, bucket, printableKey(key), err)
		}
	}
	switch {
	case bytes.Equal(bucket, bucketTransactions) && keyed && bytes.Equal(f.name, monthIndexName):
		_, err = decodeEntries(f.payload)
		f.index = true
	case bytes.Equal(bucket, bucketTransactions):
		var t Transaction
		if keyed {
			t, err = decodeTx(f.payload)
		} else {
			t, err = decodeTransaction(key, f.payload)
		}
		f.tx = &t
	case bytes.Equal(bucket, bucketTxDir):
		_, err = decodeDir(f.payload)
	}
	if err != nil {
		return found{}, fmt.Errorf("%w: %s/%s: %w", ErrUnreadable, bucket, printableKey(key), err)
	}
	return f, nil
}

// RepairReport is what Repair did.
type RepairReport struct {
	// Damaged is where the damaged file now is, kept for the record.
	Damaged string
	// Snapshot is the snapshot used to fill what the file had lost, with
	// when it was taken; empty when none was needed or usable.
	Snapshot      string
	SnapshotTaken time.Time
	Buckets       []BucketRepair
	// Lost are records the damaged file named but neither it nor a
	// snapshot held readable. Records in pages too damaged to name any are
	// not listed: what changed after the snapshot there comes back only
	// from the bank (a sync).
	Lost []Damage
}

// BucketRepair counts where one bucket's records came from.
type BucketRepair struct {
	Name         string
	FromFile     int // read through the file's tree
	FromPages    int // found in its pages where the tree was broken
	FromSnapshot int
	Lost         int
}

const (
	fromFile = iota
	fromPages
	fromSnapshot
)

// Repair rebuilds the data file at path (see above). s must be the key the
// file was sealed with: each record is checked with it, and kept only if
// it unseals. The damaged file is renamed to path.damaged-TIME; the new
// file takes its place and is opened once to make sure it does.
func Repair(path string, s Sealer, now time.Time) (RepairReport, error) {
	var rep RepairReport
	// A file that is gone (or empty) is rebuilt from the newest snapshot:
	// lockFile makes an empty one to lock and, in the end, keep.
	if info, err := os.Stat(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return rep, fmt.Errorf("store: repair: %w", err)
	} else if err != nil || info.Size() == 0 {
		if snaps, _ := Snapshots(SnapshotDir(path)); len(snaps) == 0 {
			return rep, fmt.Errorf("store: repair: %s is missing or empty and there is no snapshot to rebuild it from", path)
		}
	}
	unlock, err := lockFile(path, DefaultTimeout)
	if err != nil {
		return rep, err
	}
	locked := true
	defer func() {
		if locked {
			unlock()
		}
	}()
	// bbolt's own lock would wait for ours: read a copy.
	work, err := workingCopy(path)
	if err != nil {
		return rep, fmt.Errorf("store: repair: %w", err)
	}
	// Best effort: the copy is rewritten on the next repair.
	defer func() { _ = os.Remove(work) }()
	got := map[string]map[string]found{} // bucket → key → record
	bad := map[string]map[string]bool{}  // bucket → keys seen unreadable
	broken := map[string]bool{}          // buckets whose tree walk did not finish
	for _, name := range repairBuckets {
		got[string(name)], bad[string(name)] = map[string]found{}, map[string]bool{}
	}
	pr := probe{st: &Store{sealer: s}}

	// 1. The file's tree, bucket by bucket: a panic ends only that bucket.
	treeOpened := false
	if info, err := os.Stat(work); err == nil && info.Size() > 0 && preflight(work) == nil {
		if db, err := openBolt(work, &bbolt.Options{ReadOnly: true, Timeout: DefaultTimeout}); err == nil {
			treeOpened = true
			st := &Store{db: db, path: path, sealer: s}
			_ = st.view(func(tx *bbolt.Tx) error { // a meta page it cannot read leaves pr empty, handled next
				pr = probeOf(s, tx.Bucket(bucketMeta))
				return nil
			})
			if len(pr.st.id) == 0 {
				pr.st.id = rawStoreID(work) // the meta page may be the damaged one
			}
			for _, name := range repairBuckets {
				err := st.view(func(tx *bbolt.Tx) error {
					b := tx.Bucket(name)
					if b == nil {
						broken[string(name)] = true
						return nil
					}
					return b.ForEach(func(k, v []byte) error {
						if f, err := pr.read(name, k, v); err == nil {
							f.source = fromFile
							got[string(name)][string(k)] = f
						} else {
							bad[string(name)][string(k)] = true
						}
						return nil
					})
				})
				if err != nil {
					broken[string(name)] = true
				}
			}
			_ = db.Close() // read only
		} else if !errors.Is(err, ErrDamaged) {
			return rep, fmt.Errorf("store: repair: %w", err)
		}
	}
	if !treeOpened {
		pr.st.id = rawStoreID(work)
		for _, name := range repairBuckets {
			broken[string(name)] = true
		}
	}
	needs := func(name string) bool { return broken[name] || len(bad[name]) > 0 }
	wanted := func(name, key string) bool {
		_, ok := got[name][key]
		return !ok && (broken[name] || bad[name][key])
	}

	// 2. The newest snapshot that opens with this key, always (a repair
	// is asked for because something is wrong, and not all of it shows in
	// the tree): a consistent state, better than pieces of freed pages.
	anyNeeded := false
	for _, name := range repairBuckets {
		anyNeeded = anyNeeded || needs(string(name))
	}
	{
		snaps, _ := Snapshots(SnapshotDir(path))
		// Everything the snapshot has that the file's tree did not give:
		// a header page fallen back a commit, a bucket recreated empty or a
		// subtree cut off lose records no key of the file names any more.
		// (Since a connection's removal is followed by a snapshot, little
		// comes back that the user removed.)
		notInFile := func(name, key string) bool {
			_, ok := got[name][key]
			return !ok
		}
		newest := -1
		for i, snap := range snaps {
			if id, ok := fillFromSnapshot(snap.Path, s, got, bad, notInFile); ok {
				rep.Snapshot, rep.SnapshotTaken = snap.Path, snap.Taken
				if len(pr.st.id) == 0 {
					pr.st.id = id // the same store's
				}
				newest = i
				break
			}
		}
		// Older snapshots, for records the file and the newest one hold
		// but cannot read (damage a snapshot copied before anyone knew).
		if newest >= 0 {
			unreadable := func(name, key string) bool {
				_, ok := got[name][key]
				return !ok && bad[name][key]
			}
			for _, snap := range snaps[newest+1:] {
				fillFromSnapshot(snap.Path, s, got, bad, unreadable)
			}
		}
	}

	// 3. The damaged file's pages, for what is still wanted.
	if anyNeeded {
		_ = rawScan(work, func(k, v []byte) {
			for _, name := range repairBuckets {
				n := string(name)
				if !wanted(n, string(k)) {
					continue
				}
				if f, err := pr.read(name, k, v); err == nil {
					f.source = fromPages
					got[n][string(k)] = f
					return
				}
			}
		})
	}
	keepBest(got)

	// Count, and list what is lost.
	for _, name := range repairBuckets {
		n := string(name)
		br := BucketRepair{Name: n}
		for _, r := range got[n] {
			switch r.source {
			case fromFile:
				br.FromFile++
			case fromPages:
				br.FromPages++
			case fromSnapshot:
				br.FromSnapshot++
			}
		}
		for k := range bad[n] {
			if _, ok := got[n][k]; !ok {
				br.Lost++
				rep.Lost = append(rep.Lost, Damage{Bucket: n, Key: printableKey([]byte(k)), Err: ErrUnreadable})
			}
		}
		rep.Buckets = append(rep.Buckets, br)
	}
	slices.SortFunc(rep.Lost, func(a, b Damage) int {
		if c := bytes.Compare([]byte(a.Bucket), []byte(b.Bucket)); c != 0 {
			return c
		}
		return bytes.Compare([]byte(a.Key), []byte(b.Key))
	})

	// 4. The new file, beside the old; then the swap.
	tmp := path + ".repair"
	_ = os.Remove(tmp) // a leftover from an earlier repair; writeRepaired creates it anew
	if err := writeRepaired(tmp, s, got); err != nil {
		_ = os.Remove(tmp) // the write error is the one to report
		return rep, fmt.Errorf("store: repair: write the new file: %w", err)
	}
	rep.Damaged = path + ".damaged-" + now.UTC().Format("20060102T150405Z")
	if err := os.Rename(path, rep.Damaged); err != nil && !os.IsNotExist(err) {
		_ = os.Remove(tmp) // the rename error is the one to report
		return rep, fmt.Errorf("store: repair: keep the damaged file: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return rep, fmt.Errorf("store: repair: put the new file in place: %w", err)
	}
	atomicfile.SyncDir(filepath.Dir(path))
	unlock()
	locked = false
	st, err := Open(path, s, Options{})
	if err != nil {
		return rep, fmt.Errorf("store: repair: the repaired file does not open: %w", err)
	}
	return rep, st.Close()
}

// repairBuckets are what a repair carries over: the records. The new
// file makes its own meta and transaction indexes.
var repairBuckets = [][]byte{
	bucketConnections, bucketAccounts, bucketBalances, bucketTransactions, bucketPending,
	bucketProviders, bucketAttempts, bucketSettings, bucketCheckpoints, bucketStandingOrders, bucketDirectDebits,
	bucketUserFields, bucketImports,
}

// rawStoreID looks for the store id in a file's pages.
func rawStoreID(path string) (id []byte) {
	_ = rawScan(path, func(k, v []byte) {
		if id == nil && bytes.Equal(k, metaStoreID) && len(v) == 16 {
			id = bytes.Clone(v)
		}
	})
	return id
}

// fillFromSnapshot copies the snapshot's records that are wanted into
// got, and reports whether the snapshot opened with this key (and its
// store id).
func fillFromSnapshot(path string, s Sealer, got map[string]map[string]found, bad map[string]map[string]bool, wanted func(bucket, key string) bool) (id []byte, ok bool) {
	if preflight(path) != nil {
		return nil, false
	}
	db, err := openBolt(path, &bbolt.Options{ReadOnly: true, Timeout: DefaultTimeout})
	if err != nil {
		return nil, false
	}
	defer func() { _ = db.Close() }() // read only
	st := &Store{db: db, path: path, sealer: s}
	var pr probe
	if err := st.view(func(tx *bbolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil {
			return ErrDamaged
		}
		pr = probeOf(s, meta)
		st.id = pr.st.id
		return st.checkCanary(meta)
	}); err != nil {
		return nil, false
	}
	for _, name := range repairBuckets {
		n := string(name)
		_ = st.view(func(tx *bbolt.Tx) error { // best effort: a bucket keeps what was read before a failure
			b := tx.Bucket(name)
			if b == nil {
				return nil
			}
			return b.ForEach(func(k, v []byte) error {
				if !wanted(n, string(k)) {
					return nil
				}
				if f, err := pr.read(name, k, v); err == nil {
					f.source = fromSnapshot
					got[n][string(k)] = f
				} else {
					bad[n][string(k)] = true // a snapshot copies damage it did not know of
				}
				return nil
			})
		})
	}
	return pr.st.id, true
}

// keepBest keeps one record per name (transactions: per account and
// dedupe key): pieces of freed pages may hold a record as it was before
// it moved, and a snapshot of another layout names records otherwise. The
// file's own record wins, then the snapshot's.
func keepBest(got map[string]map[string]found) {
	for name, recs := range got {
		best := map[string]string{} // logical id → key in recs
		for k, r := range recs {
			id := string(r.name)
			if r.tx != nil {
				id = r.tx.AccountID + "\x00" + r.tx.Key
			}
			if other, ok := best[id]; ok {
				if recs[other].source <= r.source {
					delete(recs, k)
					continue
				}
				delete(recs, other)
			}
			best[id] = k
		}
		got[name] = recs
	}
}

// writeRepaired makes a new store at path holding the records found,
// written afresh (new keys, new indexes).
func writeRepaired(path string, s Sealer, got map[string]map[string]found) error {
	st, err := Open(path, s, Options{})
	if err != nil {
		return err
	}
	err = st.update(func(tx *bbolt.Tx) error {
		byAccount := map[string][]Transaction{}
		for _, name := range repairBuckets {
			b, err := bucket(tx, name)
			if err != nil {
				return err
			}
			for _, r := range got[string(name)] {
				if r.index {
					continue
				}
				if r.tx != nil {
					byAccount[r.tx.AccountID] = append(byAccount[r.tx.AccountID], *r.tx)
					continue
				}
				if err := st.put(b, name, r.name, r.payload); err != nil {
					return err
				}
			}
		}
		for accountID, txs := range byAccount {
			if err := st.writeFresh(tx, accountID, txs); err != nil {
				return err
			}
		}
		return nil
	})
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	return err
}

// workingCopy copies a data file beside it, for reading without its lock.
func workingCopy(path string) (string, error) {
	work := path + ".copy"
	_ = os.Remove(work) // a leftover from an earlier copy; copyFile creates it anew
	if err := copyFile(path, work); err != nil {
		_ = os.Remove(work) // the copy error is the one to report
		return "", err
	}
	return work, nil
}
