//go:build windows

package store

import "time"

// lockFile is a no-op on Windows, where bbolt's lock (LockFileEx) is taken
// on the open file itself and the desk's data-directory lock keeps two
// Bankdesks apart.
func lockFile(path string, timeout time.Duration) (unlock func(), err error) {
	return func() {}, nil
}
