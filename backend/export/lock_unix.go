//go:build unix

package export

import (
	"io/fs"
	"os"
	"syscall"
)

// lockPartial marks the partial file fd as in use by a running export (an
// advisory flock, released when it is closed or the process dies). Best
// effort: without it a concurrent export could only fail, never leak.
func lockPartial(fd uintptr) { _ = syscall.Flock(int(fd), syscall.LOCK_EX|syscall.LOCK_NB) }

// inUse reports whether a running export holds the file at path. A file
// that cannot be opened counts as in use: it is not ours to remove.
func inUse(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return true
	}
	defer func() { _ = f.Close() }() // read only; closing drops the probe lock
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) != nil
}

// ownedByUser reports whether info is of a file the current user owns.
func ownedByUser(info fs.FileInfo) bool {
	st, ok := info.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == os.Getuid()
}
