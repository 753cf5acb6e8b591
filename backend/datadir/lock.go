package datadir

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"bankdesk/backend/store"
)

// LockFileName is the data directory's lock file. It stays in place (empty)
// and is never deleted: removing a lock file others may be waiting on lets
// two processes each lock a different file.
const LockFileName = "bankdesk.lock"

// errBusy is what tryLock returns when another holder has the lock.
var errBusy = errors.New("locked")

// Lock is a held data-directory lock.
type Lock struct{ f *os.File }

// lockPoll is how often a busy lock is tried again.
const lockPoll = 50 * time.Millisecond

// lock takes dir's exclusive lock, waiting up to timeout (at least one
// try) before failing with store.ErrAlreadyRunning. The lock is an OS
// file lock (flock, LockFileEx): it dies with its process, so a crash
// never leaves it held. It is per open file, so two opens in one process
// exclude each other as two processes do.
func lock(dir string, timeout time.Duration) (*Lock, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	path := filepath.Join(dir, LockFileName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	deadline := time.Now().Add(timeout)
	for {
		err := tryLock(f)
		if err == nil {
			return &Lock{f: f}, nil
		}
		if !errors.Is(err, errBusy) {
			_ = f.Close() // the lock error is the one to report
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		if time.Now().After(deadline) {
			_ = f.Close() // the busy error is the one to report
			return nil, fmt.Errorf("%w: %s", store.ErrAlreadyRunning, path)
		}
		time.Sleep(lockPoll)
	}
}

// Hold takes the data directory's lock alone, waiting up to LockTimeout,
// for work that opens neither the key nor the data file (the schedule
// file's reminders while the vault is locked): store.ErrAlreadyRunning
// when another process has the directory open.
func Hold(o Options) (*Lock, error) { return lock(o.dataDir(), o.lockTimeout()) }

// Unlock releases the lock; it is safe on nil and twice.
func (l *Lock) Unlock() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := unlockFile(l.f)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	return err
}
