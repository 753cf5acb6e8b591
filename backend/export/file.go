package export

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// fileBuffer batches small CSV records into large writes.
const fileBuffer = 64 << 10

// TargetError says why an export cannot go to a path at all (a folder, a
// link to nothing, a folder that does not exist). ToFile and CheckTarget
// return it before anything is written.
type TargetError struct {
	Path   string
	Reason string // completes the sentence "Path ..."
}

func (e *TargetError) Error() string { return "export: " + e.Path + " " + e.Reason }

// CheckTarget says whether ToFile could write to path, without writing:
// the command line asks before it opens the store.
func CheckTarget(path string) error {
	_, err := resolveTarget(path)
	return err
}

// ToFile runs write against path, choosing how by what path is:
//
//   - nothing, or a regular file: write goes to a private (0600) temporary
//     file in the same folder (see partial), synced, then moved onto path
//     only if write succeeded. A failure, a cancelled context or a crash
//     leaves path as it was (absent, or the previous file untouched) and no
//     plaintext copy anywhere (see SECURITY.md for the one exception).
//   - a symbolic link to a regular file: the file it points to is replaced
//     that way; the link stays.
//   - anything else that can be opened for writing: a device such as
//     /dev/null, a FIFO, or a file descriptor such as /dev/stdout: write goes
//     straight to it, as a shell redirection would. Renaming over those
//     would replace the node itself (for root, /dev/null for the whole
//     system), and their folder is usually not writable anyway. A regular
//     file reached through a descriptor (`-o /dev/stdout >> file`) is
//     appended to, like the shell's own redirection.
//
// A folder, a name ending in a slash, a link to nothing or to a folder, and
// a missing folder are refused with a *TargetError before write runs.
func ToFile(path string, write func(io.Writer) error) error {
	t, err := resolveTarget(path)
	if err != nil {
		return err
	}
	if t.direct {
		return writeDirect(t, write)
	}
	return writeAtomic(t.path, write)
}

// target is where an export goes.
type target struct {
	path   string // the file to write, links resolved when it is replaced
	direct bool   // write in place: not a regular file, or a descriptor
	append bool   // a regular file reached through a descriptor
}

// resolveTarget classifies path for ToFile.
func resolveTarget(path string) (target, error) {
	if path == "" {
		return target{}, &TargetError{Path: `""`, Reason: "is not a file name"}
	}
	if strings.HasSuffix(path, "/") || strings.HasSuffix(path, string(os.PathSeparator)) {
		return target{}, &TargetError{Path: path, Reason: "ends with a slash, so it names a folder: add a file name"}
	}
	info, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return target{path: path}, checkFolder(path)
	case err != nil:
		if ferr := checkFolder(path); ferr != nil {
			return target{}, ferr // a file in the way of the folder (ENOTDIR)
		}
		return target{}, fmt.Errorf("export: look at %s: %w", path, err)
	case info.Mode().IsRegular():
		return target{path: path}, nil
	case info.IsDir():
		return target{}, isFolder(path)
	case info.Mode()&fs.ModeSymlink != 0:
		return resolveLink(path)
	}
	return target{path: path, direct: true}, nil
}

// resolveLink follows a symbolic link: its target decides.
func resolveLink(path string) (target, error) {
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		to, _ := os.Readlink(path)
		return target{}, &TargetError{Path: path, Reason: fmt.Sprintf("is a link to %s, which does not exist", to)}
	}
	if err != nil {
		return target{}, fmt.Errorf("export: look at %s: %w", path, err)
	}
	if info.IsDir() {
		return target{}, isFolder(path)
	}
	if !info.Mode().IsRegular() {
		return target{path: path, direct: true}, nil
	}
	if throughDescriptor(path) {
		return target{path: path, direct: true, append: true}, nil
	}
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return target{}, fmt.Errorf("export: follow the link %s: %w", path, err)
	}
	return target{path: real}, nil
}

// throughDescriptor reports whether path, or a link on the way from it,
// names an open file descriptor (/dev/stdout is a link to /proc/self/fd/1
// on Linux, to /dev/fd/1 on macOS and the BSDs) rather than a place: a
// descriptor is written to, never replaced.
func throughDescriptor(path string) bool {
	p, err := filepath.Abs(path)
	if err != nil {
		return false
	}
	for range 40 { // the kernel's own limit on links followed
		if strings.HasPrefix(p, "/proc/") || strings.HasPrefix(p, "/dev/fd/") {
			return true
		}
		to, err := os.Readlink(p)
		if err != nil {
			return false
		}
		if !filepath.IsAbs(to) {
			to = filepath.Join(filepath.Dir(p), to)
		}
		p = filepath.Clean(to)
	}
	return false
}

// checkFolder makes sure a new file at path has a folder to go in.
func checkFolder(path string) error {
	dir := filepath.Dir(path)
	info, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return &TargetError{Path: path, Reason: fmt.Sprintf("cannot be created: the folder %s does not exist", dir)}
	}
	if err != nil {
		return fmt.Errorf("export: look at %s: %w", dir, err)
	}
	if !info.IsDir() {
		return &TargetError{Path: path, Reason: fmt.Sprintf("cannot be created: %s is not a folder", dir)}
	}
	return nil
}

func isFolder(path string) error {
	return &TargetError{Path: path, Reason: "is a folder: name a file in it instead"}
}

// writeDirect writes to a device, FIFO or descriptor in place. There is
// nothing to roll back: an error leaves whatever reached it.
func writeDirect(t target, write func(io.Writer) error) error {
	flag := os.O_WRONLY
	if t.append {
		flag |= os.O_APPEND
	}
	f, err := os.OpenFile(t.path, flag, 0)
	if err != nil {
		return fmt.Errorf("export: open %s: %w", t.path, err)
	}
	buf := bufio.NewWriterSize(f, fileBuffer)
	if err := write(buf); err != nil {
		_ = f.Close()
		return err
	}
	if err := buf.Flush(); err != nil {
		_ = f.Close()
		return fmt.Errorf("export: write %s: %w", t.path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("export: write %s: %w", t.path, err)
	}
	return nil
}

// writeAtomic writes a new or regular file at path through a partial file
// that becomes path only once complete and synced.
func writeAtomic(path string, write func(io.Writer) error) error {
	dir := filepath.Dir(path)
	removeStale(dir, filepath.Base(path))
	p, err := newPartial(dir)
	if err != nil {
		return fmt.Errorf("export: cannot write in the folder %s: %w", dir, err)
	}
	defer p.Discard() // nothing left to do once the export has its name
	buf := bufio.NewWriterSize(p, fileBuffer)
	if err := write(buf); err != nil {
		return err
	}
	if err := buf.Flush(); err != nil {
		return fmt.Errorf("export: write %s: %w", path, err)
	}
	if err := p.Sync(); err != nil {
		return fmt.Errorf("export: flush %s to disk: %w", path, err)
	}
	if err := p.Replace(path); err != nil {
		return fmt.Errorf("export: move the export to %s: %w", path, err)
	}
	return nil
}
