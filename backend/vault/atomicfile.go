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
func writeFileAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = tmp.Chmod(0o600); err != nil {
		return err
	}
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	syncDir(dir)
	return nil
}

// syncDir makes the rename durable where the OS supports syncing a
// directory; elsewhere (Windows) it is a harmless no-op.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	d.Close()
}
