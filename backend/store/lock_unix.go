//go:build !windows

package store

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// lockFile takes the same exclusive lock bbolt takes on a data file (flock),
// without bbolt: Check and Repair work on files bbolt cannot open, and must
// not while Bankdesk has them open. The file is created if missing.
func lockFile(path string, timeout time.Duration) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("store: lock %s: %w", path, err)
	}
	deadline := time.Now().Add(timeout)
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN); _ = f.Close() }, nil // closing releases the lock anyway
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) || time.Now().After(deadline) {
			_ = f.Close() // the lock error is the one to report
			if errors.Is(err, syscall.EWOULDBLOCK) {
				return nil, fmt.Errorf("%w: %s", ErrAlreadyRunning, path)
			}
			return nil, fmt.Errorf("store: lock %s: %w", path, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
