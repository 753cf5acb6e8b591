package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"runtime/debug"
	"sort"
	"sync"

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
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("store: open %s: %w", path, err)
	}
	defer f.Close()
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
