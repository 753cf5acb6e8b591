package vault

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// ensureDir creates dir with mode 0700, and takes group and other access
// away from an existing one: the files inside are 0600, but a readable
// directory still shows their names, sizes and times, and something else
// may have made it first (WebKit made the GUI's default data dir 0755).
// Left alone: a sticky directory such as /tmp (shared by design), the home
// directory (the user's business), one the user does not own (chmod is
// refused), and Windows, which has no such modes.
func ensureDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("vault: create %s: %w", dir, err)
	}
	info, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("vault: create %s: %w", dir, err)
	}
	perm := info.Mode().Perm()
	if home, _ := os.UserHomeDir(); runtime.GOOS == "windows" || perm&0o077 == 0 ||
		info.Mode()&os.ModeSticky != 0 || home != "" && filepath.Clean(home) == filepath.Clean(dir) {
		return nil
	}
	if err := os.Chmod(dir, perm&^0o077); err != nil && !errors.Is(err, fs.ErrPermission) {
		return fmt.Errorf("vault: make %s private: %w", dir, err)
	}
	return nil
}

// writeFileAtomic writes data to path through a temp file in the same
// directory and a rename, so a crash leaves either the old or the new file.
// It replaces whatever is at path: only for files whose old content is
// worth nothing once the new one is written.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := writeTemp(path, data)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp) // the rename error is the one to report
		return err
	}
	syncDir(filepath.Dir(path))
	return nil
}

// writeFileExclusive creates path with data, or fails with fs.ErrExist if
// something is there already: never a rename over a file another process
// has just written. The data goes to a temp file that is hard-linked into
// place, so a crash leaves no half-written file at path; where the file
// system has no hard links, path is created with O_EXCL and written.
func writeFileExclusive(path string, data []byte) error {
	tmp, err := writeTemp(path, data)
	if err != nil {
		return err
	}
	defer func() { _ = os.Remove(tmp) }() // linked into place or not needed
	err = os.Link(tmp, path)
	switch {
	case err == nil:
	case errors.Is(err, fs.ErrExist):
		return fmt.Errorf("%s: %w", path, fs.ErrExist)
	default:
		if err := createExclusive(path, data); err != nil {
			return err
		}
	}
	syncDir(filepath.Dir(path))
	return nil
}

// createExclusive is writeFileExclusive without hard links.
func createExclusive(path string, data []byte) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = f.Close() // err is the one to report
			_ = os.Remove(path)
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

// writeTemp writes data, synced, to a new 0600 temp file beside path.
func writeTemp(path string, data []byte) (name string, err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			_ = tmp.Close() // err is the one to report
			_ = os.Remove(tmp.Name())
		}
	}()
	if err = tmp.Chmod(0o600); err != nil {
		return "", err
	}
	if _, err = tmp.Write(data); err != nil {
		return "", err
	}
	if err = tmp.Sync(); err != nil {
		return "", err
	}
	return tmp.Name(), tmp.Close()
}

// tightenMode makes an existing file private again if something widened
// its permissions (a copy, a restore from backup). Windows has no such
// mode bits.
func tightenMode(path string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	if info.Mode().Perm()&0o077 == 0 {
		return nil
	}
	return os.Chmod(path, 0o600)
}

// syncDir makes the rename durable where the OS supports syncing a
// directory; elsewhere (Windows) it is a harmless no-op.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close() // read only
}
