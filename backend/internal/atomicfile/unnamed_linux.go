package atomicfile

import (
	"os"
	"path/filepath"
	"strconv"

	"golang.org/x/sys/unix"
)

// openUnnamed opens a file in dir that has no name (O_TMPFILE, Linux 3.11
// on most local file systems). It fails where that is not supported, or
// where /proc is missing and the file could not be linked in afterwards;
// Create then falls back to a named file.
func openUnnamed(dir string) (*os.File, error) {
	fd, err := unix.Open(dir, unix.O_TMPFILE|unix.O_WRONLY|unix.O_CLOEXEC, 0o600)
	if err != nil {
		return nil, &os.PathError{Op: "open unnamed file in", Path: dir, Err: err}
	}
	f := os.NewFile(uintptr(fd), filepath.Join(dir, "(unnamed file)"))
	if _, err := os.Lstat(fdPath(f)); err != nil {
		_ = f.Close() // the Lstat error is the one to report
		return nil, err
	}
	return f, nil
}

// linkUnnamed gives f the name path; it fails with fs.ErrExist if path
// exists. Linking the /proc entry needs no privilege (AT_EMPTY_PATH would).
func linkUnnamed(f *os.File, path string) error {
	if err := unix.Linkat(unix.AT_FDCWD, fdPath(f), unix.AT_FDCWD, path, unix.AT_SYMLINK_FOLLOW); err != nil {
		return &os.LinkError{Op: "link", Old: f.Name(), New: path, Err: err}
	}
	return nil
}

func fdPath(f *os.File) string { return "/proc/self/fd/" + strconv.Itoa(int(f.Fd())) }
