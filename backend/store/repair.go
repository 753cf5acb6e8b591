package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"time"

	"go.etcd.io/bbolt"
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
	defer os.Remove(work)
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
	defer db.Close()
	st := &Store{db: db, path: path, sealer: s}
	err = st.view(func(tx *bbolt.Tx) error {
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
				if err := st.readable(name, k, v); err != nil {
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

// readable reports whether a record unseals and decodes as its bucket's
// records do.
func (s *Store) readable(bucket, key, value []byte) error {
	if bytes.Equal(bucket, bucketMeta) && bytes.Equal(key, metaSchemaVersion) {
		return nil // in clear
	}
	plain, err := s.open(bucket, key, value)
	if err != nil {
		return err
	}
	if bytes.Equal(bucket, bucketTransactions) {
		if _, err := decodeTransaction(key, plain); err != nil {
			return fmt.Errorf("%w: %w", ErrUnreadable, err)
		}
	}
	return nil
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

// record is a sealed value found for a key, and where.
type record struct {
	value  []byte
	source int
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
	if _, err := os.Stat(path); err != nil {
		return rep, fmt.Errorf("store: repair: %w", err)
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
	defer os.Remove(work)
	found := map[string]map[string]record{} // bucket → key → record
	bad := map[string]map[string]bool{}     // bucket → keys seen unreadable
	broken := map[string]bool{}             // buckets whose tree walk did not finish
	for _, name := range allBuckets {
		found[string(name)], bad[string(name)] = map[string]record{}, map[string]bool{}
	}
	probe := &Store{sealer: s, path: path}

	// 1. The file's tree, bucket by bucket: a panic ends only that bucket.
	treeOpened := false
	if preflight(work) == nil {
		if db, err := openBolt(work, &bbolt.Options{ReadOnly: true, Timeout: DefaultTimeout}); err == nil {
			treeOpened = true
			st := &Store{db: db, path: path, sealer: s}
			for _, name := range allBuckets {
				err := st.view(func(tx *bbolt.Tx) error {
					b := tx.Bucket(name)
					if b == nil {
						broken[string(name)] = true
						return nil
					}
					return b.ForEach(func(k, v []byte) error {
						if probe.readable(name, k, v) == nil {
							found[string(name)][string(k)] = record{bytes.Clone(v), fromFile}
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
			db.Close()
		} else if !errors.Is(err, ErrDamaged) {
			return rep, fmt.Errorf("store: repair: %w", err)
		}
	}
	if !treeOpened {
		for _, name := range allBuckets {
			broken[string(name)] = true
		}
	}
	needs := func(name string) bool { return broken[name] || len(bad[name]) > 0 }
	wanted := func(name, key string) bool {
		_, ok := found[name][key]
		return !ok && (broken[name] || bad[name][key])
	}

	// 2. The newest snapshot that opens with this key fills what is
	// wanted: a consistent state, better than pieces of freed pages.
	anyNeeded := false
	for _, name := range allBuckets {
		anyNeeded = anyNeeded || needs(string(name))
	}
	if anyNeeded {
		snaps, _ := Snapshots(SnapshotDir(path))
		for _, snap := range snaps {
			if fillFromSnapshot(snap.Path, s, found, wanted) {
				rep.Snapshot, rep.SnapshotTaken = snap.Path, snap.Taken
				break
			}
		}
	}

	// 3. The damaged file's pages, for what is still wanted.
	if anyNeeded {
		_ = rawScan(work, func(k, v []byte) {
			for _, name := range allBuckets {
				n := string(name)
				if !wanted(n, string(k)) {
					continue
				}
				if probe.readable(name, k, v) == nil {
					found[n][string(k)] = record{bytes.Clone(v), fromPages}
					return
				}
			}
		})
	}
	dedupeTransactions(found[string(bucketTransactions)])

	// Count, and list what is lost.
	for _, name := range allBuckets {
		n := string(name)
		br := BucketRepair{Name: n}
		for _, r := range found[n] {
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
			if _, ok := found[n][k]; !ok {
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
	os.Remove(tmp)
	if err := writeRepaired(tmp, s, found); err != nil {
		os.Remove(tmp)
		return rep, fmt.Errorf("store: repair: write the new file: %w", err)
	}
	rep.Damaged = path + ".damaged-" + now.UTC().Format("20060102T150405Z")
	if err := os.Rename(path, rep.Damaged); err != nil && !os.IsNotExist(err) {
		os.Remove(tmp)
		return rep, fmt.Errorf("store: repair: keep the damaged file: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return rep, fmt.Errorf("store: repair: put the new file in place: %w", err)
	}
	syncDir(filepath.Dir(path))
	unlock()
	locked = false
	st, err := Open(path, s, Options{})
	if err != nil {
		return rep, fmt.Errorf("store: repair: the repaired file does not open: %w", err)
	}
	return rep, st.Close()
}

// fillFromSnapshot copies the snapshot's records that are wanted into
// found, and reports whether the snapshot opened with this key.
func fillFromSnapshot(path string, s Sealer, found map[string]map[string]record, wanted func(bucket, key string) bool) (ok bool) {
	if preflight(path) != nil {
		return false
	}
	db, err := openBolt(path, &bbolt.Options{ReadOnly: true, Timeout: DefaultTimeout})
	if err != nil {
		return false
	}
	defer db.Close()
	st := &Store{db: db, path: path, sealer: s}
	if err := st.view(func(tx *bbolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil {
			return ErrDamaged
		}
		return st.checkCanary(meta)
	}); err != nil {
		return false
	}
	for _, name := range allBuckets {
		n := string(name)
		st.view(func(tx *bbolt.Tx) error {
			b := tx.Bucket(name)
			if b == nil {
				return nil
			}
			return b.ForEach(func(k, v []byte) error {
				if wanted(n, string(k)) && st.readable(name, k, v) == nil {
					found[n][string(k)] = record{bytes.Clone(v), fromSnapshot}
				}
				return nil
			})
		})
	}
	return true
}

// dedupeTransactions keeps one record per account and dedupe key: pieces
// of freed pages may hold a transaction at the booking time it had before
// it moved. The file's own record wins, then the snapshot's.
func dedupeTransactions(recs map[string]record) {
	best := map[string]string{} // account 0x00 dedupe key → record key
	for k, r := range recs {
		account, _, dedupe, err := parsePrimaryKey([]byte(k))
		if err != nil {
			delete(recs, k)
			continue
		}
		id := account + "\x00" + dedupe
		if other, ok := best[id]; ok {
			if recs[other].source <= r.source {
				delete(recs, k)
				continue
			}
			delete(recs, other)
		}
		best[id] = k
	}
}

// writeRepaired writes a new bbolt file holding the records found, as
// they are (sealed values stay bound to their bucket and key).
func writeRepaired(path string, s Sealer, found map[string]map[string]record) (err error) {
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: DefaultTimeout, FreelistType: bbolt.FreelistMapType})
	if err != nil {
		return err
	}
	defer func() {
		if cerr := db.Close(); err == nil {
			err = cerr
		}
	}()
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	return db.Update(func(tx *bbolt.Tx) error {
		for _, name := range allBuckets {
			b, err := tx.CreateBucketIfNotExists(name)
			if err != nil {
				return err
			}
			keys := make([]string, 0, len(found[string(name)]))
			for k := range found[string(name)] {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			b.FillPercent = 0.9
			for _, k := range keys {
				if err := b.Put([]byte(k), found[string(name)][k].value); err != nil {
					return err
				}
			}
		}
		// The version found (records keep their format; Open migrates an
		// older one), else this code's.
		meta := tx.Bucket(bucketMeta)
		if v := meta.Get(metaSchemaVersion); len(v) != 8 {
			if err := meta.Put(metaSchemaVersion, encodeVersion(currentSchemaVersion)); err != nil {
				return err
			}
		}
		if meta.Get(metaCanary) == nil {
			// The records found unseal with this key, so it is the key:
			// a new canary under it says so.
			sealed, err := s.Seal(bucketMeta, metaCanary, canaryPlaintext)
			if err != nil {
				return err
			}
			return meta.Put(metaCanary, sealed)
		}
		return nil
	})
}

// workingCopy copies a data file beside it, for reading without its lock.
func workingCopy(path string) (string, error) {
	work := path + ".copy"
	os.Remove(work)
	if err := copyFile(path, work); err != nil {
		os.Remove(work)
		return "", err
	}
	return work, nil
}
