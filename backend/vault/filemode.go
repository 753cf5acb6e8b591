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
