package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"runtime/debug"
	"sort"
	"sync"
	"time"

	"go.etcd.io/bbolt"
)

// ErrDamaged means the data file itself is damaged: a page cannot be read,
// the file is cut short, its header is not bbolt's. Nothing is written to
// it then; `bankdesk repair` rebuilds a store from what is readable and
// from the newest snapshot.
var ErrDamaged = errors.New("the data file is damaged")

// DamageError is an ErrDamaged with what was found.
type DamageError struct {
	Path   string
	Detail string
}

func (e *DamageError) Error() string {
	return fmt.Sprintf("%s (%s): %s; run `bankdesk repair`", ErrDamaged, e.Path, e.Detail)
}

func (e *DamageError) Unwrap() error { return ErrDamaged }

// guard turns what bbolt does on a damaged page into an error: it panics
// on a page that is not what the tree expects, and a page beyond the end of
// a truncated file faults (SIGBUS), which SetPanicOnFault turns into a
// panic too. A panic would end the process with exit status 2, the usage
// code, and a stack trace instead of a sentence.
func (s *Store) guard(err *error) {
	if r := recover(); r != nil {
		*err = &DamageError{Path: s.path, Detail: fmt.Sprint(r)}
	}
}

// view and update are bbolt's View and Update, guarded.
func (s *Store) view(fn func(*bbolt.Tx) error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer s.guard(&err)
	return s.db.View(fn)
}

func (s *Store) update(fn func(*bbolt.Tx) error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer s.guard(&err)
	return s.db.Update(fn)
}

// Damage is a record that could not be read and was left out of a listing
// (or overwritten by a sync that brought it again).
type Damage struct {
	Bucket string
	Key    string // printable
	// Healed says a later write replaced the record with a good one.
	Healed bool
	Err    error
}

// damages collects the records a store met unreadable since Open, each
// once.
type damages struct {
	mu   sync.Mutex
	seen map[string]*Damage
}

func (d *damages) note(bucket, key []byte, err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	id := string(bucket) + "\x00" + string(key)
	if d.seen == nil {
		d.seen = map[string]*Damage{}
	}
	if _, ok := d.seen[id]; !ok {
		d.seen[id] = &Damage{Bucket: string(bucket), Key: printableKey(key), Err: err}
	}
}

func (d *damages) healed(bucket, key []byte) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if x := d.seen[string(bucket)+"\x00"+string(key)]; x != nil {
		x.Healed = true
	}
}

// Damaged lists the records this Store found unreadable since it was
// opened, in bucket and key order: each was left out of what it returned,
// and reported once (the log and the screens say "N records could not be
// read"). A sync that fetches a transaction again overwrites it (Healed).
func (s *Store) Damaged() []Damage {
	s.damage.mu.Lock()
	defer s.damage.mu.Unlock()
	out := make([]Damage, 0, len(s.damage.seen))
	for _, d := range s.damage.seen {
		out = append(out, *d)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Bucket != out[j].Bucket {
			return out[i].Bucket < out[j].Bucket
		}
		return out[i].Key < out[j].Key
	})
	return out
}

// bbolt's file format (version 2): two meta pages at the start, each a
// page header then the meta fields, the last of them an FNV-1a checksum.
const (
	boltMagic      = 0xED0CDAED
	boltVersion    = 2
	pageHeaderSize = 16
	metaSize       = 56 // magic … txid: the bytes the checksum covers, then the checksum
	minPageSize    = 512
	maxPageSize    = 64 << 10
)

// boltMeta is the part of a meta page preflight needs.
type boltMeta struct {
	pageSize uint32
	pgid     uint64 // the high-water mark: pages [0, pgid) exist
	txid     uint64
}

// readMeta parses the meta page at b (page header included).
func readMeta(b []byte) (boltMeta, bool) {
	if len(b) < pageHeaderSize+metaSize+8 {
		return boltMeta{}, false
	}
	m := b[pageHeaderSize:]
	le := binary.LittleEndian
	if le.Uint32(m[0:]) != boltMagic || le.Uint32(m[4:]) != boltVersion {
		return boltMeta{}, false
	}
	h := fnv.New64a()
	h.Write(m[:metaSize])
	if h.Sum64() != le.Uint64(m[metaSize:]) {
		return boltMeta{}, false
	}
	meta := boltMeta{pageSize: le.Uint32(m[8:]), pgid: le.Uint64(m[40:]), txid: le.Uint64(m[48:])}
	if meta.pageSize < minPageSize || meta.pageSize > maxPageSize || meta.pageSize&(meta.pageSize-1) != 0 {
		return boltMeta{}, false
	}
	return meta, true
}

// preflight checks an existing data file before bbolt maps it: a bbolt
// header with a valid meta page, and at least as many pages as that meta
// says the file has (a page past the end of the file is a fault, not an
// error, once mapped). A missing or empty file passes: Open creates it.
func preflight(path string) error {
	_, err := preflightMeta(path)
	return err
}

// preflightMeta is preflight, also saying when the second meta page is
// damaged: bbolt then opens the file at the first's commit, which may be
// the one before the last, silently. Open reports it.
func preflightMeta(path string) (warning string, err error) {
	err = preflightFile(path, &warning)
	return warning, err
}

func preflightFile(path string, warning *string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("store: open %s: %w", path, err)
	}
	defer func() { _ = f.Close() }() // read only
	info, err := f.Stat()
	if err != nil {
		return fmt.Errorf("store: stat %s: %w", path, err)
	}
	if info.Size() == 0 {
		return nil
	}
	damaged := func(format string, args ...any) error {
		return &DamageError{Path: path, Detail: fmt.Sprintf(format, args...)}
	}
	head := make([]byte, 4096)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("store: read %s: %w", path, err)
	}
	head = head[:n]
	first, ok := readMeta(head)
	if !ok {
		return damaged("not a Bankdesk data file, or its header is damaged")
	}
	// The second meta page follows the first, one page on.
	metas := []boltMeta{first}
	second := make([]byte, pageHeaderSize+metaSize+8)
	if _, err := f.ReadAt(second, int64(first.pageSize)); err == nil {
		if m, ok := readMeta(second); ok && m.pageSize == first.pageSize {
			metas = append(metas, m)
		}
	}
	if len(metas) < 2 {
		*warning = "the file's second header page is damaged: it opened at the commit the first one records, which may not be its last"
	}
	// bbolt uses the valid meta with the higher transaction id.
	m := metas[0]
	if len(metas) == 2 && metas[1].txid > m.txid {
		m = metas[1]
	}
	if need := int64(m.pgid) * int64(m.pageSize); info.Size() < need {
		return damaged("the file is cut short (%d bytes of %d)", info.Size(), need)
	}
	return nil
}

// The damage log (meta "damage_log", in clear: it names buckets, never
// records) keeps what an Open found wrong with the file itself, a bucket
// gone or a header page damaged, until a repair writes a new file: the
// evidence is gone after the next commit, while what was lost is still in
// the snapshots, which a store with unhealed damage does not rotate out.
var metaDamageLog = []byte("damage_log")

// logDamage adds a finding to the damage log.
func (s *Store) logDamage(meta *bbolt.Bucket, finding string) error {
	old := meta.Get(metaDamageLog)
	entry := []byte(finding)
	if len(old) > 0 {
		entry = append(append(bytes.Clone(old), '\n'), entry...)
	}
	if err := meta.Put(metaDamageLog, entry); err != nil {
		return fmt.Errorf("store: write the damage log: %w", err)
	}
	return nil
}

// loadDamageLog notes the logged findings (and the header warning
// preflight gave this Open, logged first) as damage.
func (s *Store) loadDamageLog(meta *bbolt.Bucket) error {
	if s.headerWarning != "" {
		if err := s.logDamage(meta, s.headerWarning); err != nil {
			return err
		}
		s.headerWarning = ""
	}
	for i, finding := range bytes.Split(meta.Get(metaDamageLog), []byte{'\n'}) {
		if len(finding) > 0 {
			s.damage.note([]byte("file"), []byte(fmt.Sprint(i+1)), fmt.Errorf("%w: %s", ErrDamaged, finding))
		}
	}
	return nil
}

// DamagedMonths reads every transaction the account has stored from the
// month of since on, and returns the months (their first instant, UTC)
// holding one that cannot be read, noting it: a sync that fetches those
// days again overwrites it. (Keys say nothing of whose or when; the store
// reads its own clusters.) A sync asks for the days the bank still serves
// without the user, a few months.
func (s *Store) DamagedMonths(accountID string, since time.Time) ([]time.Time, error) {
	if s.keys == nil {
		return nil, nil
	}
	months, err := s.months(accountID)
	if err != nil {
		return nil, err
	}
	first := monthOf(since.UnixNano())
	var out []time.Time
	for _, mc := range months {
		if mc.m < first {
			continue
		}
		bad := false
		err := s.view(func(tx *bbolt.Tx) error {
			b, err := bucket(tx, bucketTransactions)
			if err != nil {
				return err
			}
			prefix := s.keys.cluster(accountID, mc.m)
			c := b.Cursor()
			for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
				if id, _ := recordID(k); id == 0 {
					continue // the month's index
				}
				if _, err := s.decodeSealedTransaction(k, v); err != nil {
					if !s.skipDamaged(k, err) {
						return err
					}
					bad = true
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if bad {
			out = append(out, time.Date(int(mc.m)/12, time.Month(int(mc.m)%12+1), 1, 0, 0, 0, 0, time.UTC))
		}
	}
	return out, nil
}
