package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sync/atomic"
	"time"

	"go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"bankdesk/backend/internal/atomicfile"
)

// DefaultTimeout is how long Open waits for the file lock when
// Options.Timeout is zero.
const DefaultTimeout = time.Second

// Options tune Open.
type Options struct {
	// Timeout is how long to wait for the file lock before reporting
	// ErrAlreadyRunning; zero means DefaultTimeout. bbolt's own zero would
	// wait forever, which a desktop app must never do.
	Timeout time.Duration
	// ReadOnly opens with a shared lock, never writes and never migrates.
	ReadOnly bool
}

// Store is Bankdesk's encrypted data file. It is safe for concurrent use.
type Store struct {
	db      *bbolt.DB
	path    string
	sealer  Sealer
	version int
	index   txIndex // the dedupe index, see txindex.go
	damage  damages // unreadable records met, see Damaged
	// id and keys are the store's identity (in every record's additional
	// data) and the keyed hash of its record keys (keys.go); nil before
	// schema 5.
	id    []byte
	txAAD []byte // aad(transactions), made once
	keys  *keyer
	// scrub says Open migrated a file that kept names in clear: their
	// bytes are still in its free pages until it is compacted.
	scrub bool
	// headerWarning is preflight's word on a damaged second meta page,
	// for migrate to log (damage.go).
	headerWarning string
	// onConnections runs after each committed change to the connections
	// (OnConnectionsChanged).
	onConnections atomic.Pointer[func()]
	// rules are the person's rules as the reads run them (rules.go).
	rules atomic.Pointer[rulesCache]
}

// Open opens (creating if needed: directory 0700, file 0600) the data file at
// path, takes its lock and brings its schema up to date. A file locked by
// someone else gives an error matching ErrAlreadyRunning; a file from a newer
// Bankdesk gives ErrNewerSchema; a sealer with the wrong key gives
// ErrUnreadable; a damaged file (cut short, a bad header or page) gives
// ErrDamaged, without a panic and without writing to it.
func Open(path string, s Sealer, opts Options) (*Store, error) {
	if s == nil {
		return nil, errors.New("store: Open needs a Sealer")
	}
	if !opts.ReadOnly {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("store: create data directory: %w", err)
		}
		if err := tightenMode(path); err != nil {
			return nil, err
		}
	}
	warning, err := preflightMeta(path)
	if err != nil {
		return nil, err
	}
	db, err := openBolt(path, boltOptions(opts))
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("%w: %s", ErrAlreadyRunning, path)
	}
	if err != nil {
		return nil, err
	}
	st := &Store{db: db, path: path, sealer: s, headerWarning: warning}
	if opts.ReadOnly {
		err = st.checkVersion()
	} else {
		err = st.migrate()
	}
	if err != nil {
		_ = db.Close() // err is the one to report
		return nil, err
	}
	if st.scrub {
		if err := st.compact(opts); err != nil {
			_ = st.db.Close() // the compact error is the one to report
			return nil, err
		}
	}
	return st, nil
}

// compact rewrites the file with only its live records (bbolt.Compact)
// and drops its snapshots: after the migration to keyed hashes the old
// clear keys are still in freed pages, and in every older snapshot, until
// this is done. The new file replaces the old by rename.
func (s *Store) compact(opts Options) error {
	tmp := s.path + ".compact"
	_ = os.Remove(tmp) // a leftover from an interrupted compaction
	dst, err := bbolt.Open(tmp, 0o600, &bbolt.Options{Timeout: DefaultTimeout, FreelistType: bbolt.FreelistMapType})
	if err != nil {
		return fmt.Errorf("store: compact: %w", err)
	}
	err = bbolt.Compact(dst, s.db, 64<<20)
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = s.db.Close()
	}
	if err == nil {
		err = os.Rename(tmp, s.path)
	}
	if err != nil {
		_ = os.Remove(tmp) // err is the one to report
		return fmt.Errorf("store: compact after the migration: %w", err)
	}
	atomicfile.SyncDir(filepath.Dir(s.path))
	if s.db, err = openBolt(s.path, boltOptions(opts)); err != nil {
		return err
	}
	s.scrub = false
	snaps, _ := Snapshots(SnapshotDir(s.path))
	for _, snap := range snaps {
		_ = os.Remove(snap.Path) // best effort: an old snapshot left behind holds only stale data
	}
	return nil
}

// openBolt is bbolt.Open, with what it does on a damaged file (a panic, or
// a fault past a short file's end) turned into ErrDamaged.
func openBolt(path string, o *bbolt.Options) (db *bbolt.DB, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			db, err = nil, &DamageError{Path: path, Detail: fmt.Sprint(r)}
		}
	}()
	db, err = bbolt.Open(path, 0o600, o)
	if err != nil && !errors.Is(err, bolterrors.ErrTimeout) {
		if errors.Is(err, bolterrors.ErrInvalid) || errors.Is(err, bolterrors.ErrChecksum) || errors.Is(err, bolterrors.ErrVersionMismatch) {
			return nil, &DamageError{Path: path, Detail: err.Error()}
		}
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	return db, err
}

// boltOptions picks bbolt settings.
//
// The freelist is written with each commit (not NoFreelistSync): without
// it every Open rebuilt the freelist by walking the whole file, and bbolt
// panics on the first damaged page it meets there, so one bad page made
// the file unopenable, even for a repair. The map freelist keeps
// allocation fast as a long-lived file fragments.
//
// A large initial mmap spares bulk imports bbolt's remaps, each of which
// copies every dirty node out of the old mapping and blocks readers: a
// one-call 100k import went from 1.3 s to 0.9 s. It is only address space
// on Unix; on Windows bbolt grows the file to that size, so there the
// default stays.
//
// Sync stays on: a rotated refresh token lost to a power cut means asking
// the user to re-consent.
func boltOptions(opts Options) *bbolt.Options {
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	o := &bbolt.Options{
		Timeout:      timeout,
		ReadOnly:     opts.ReadOnly,
		FreelistType: bbolt.FreelistMapType,
	}
	if runtime.GOOS != "windows" {
		o.InitialMmapSize = initialMmapSize
	}
	return o
}

// initialMmapSize covers a few hundred thousand transactions.
const initialMmapSize = 256 << 20

// tightenMode makes an existing data file private again if something widened
// its permissions (a copy, a restore from backup).
func tightenMode(path string) error {
	info, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("store: stat data file: %w", err)
	}
	if info.Mode().Perm()&0o077 == 0 {
		return nil
	}
	if err := os.Chmod(path, 0o600); err != nil {
		return fmt.Errorf("store: make data file private: %w", err)
	}
	return nil
}

// Close releases the file and its lock.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("store: close: %w", err)
	}
	return nil
}

// SchemaVersion is the file's schema version (always the current one once
// Open succeeded).
func (s *Store) SchemaVersion() int { return s.version }

// Path is the data file's path.
func (s *Store) Path() string { return s.db.Path() }
