// Package userdir finds the person's own folders (Documents), where files
// they asked for (exports) are offered to go.
package userdir

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// Documents is the user's documents folder: on Linux the one xdg-user-dir
// names (the XDG user directories, which follow the desktop's language),
// else ~/Documents when it exists, else the home folder. "" when even the
// home folder is unknown.
func Documents() string {
	home, err := os.UserHomeDir()
	if err != nil {
		home = ""
	}
	if runtime.GOOS == "linux" {
		// xdg-user-dir answers $HOME when no documents folder is set.
		if out, err := exec.Command("xdg-user-dir", "DOCUMENTS").Output(); err == nil {
			if dir := strings.TrimSpace(string(out)); filepath.IsAbs(dir) && isDir(dir) && dir != home {
				return dir
			}
		}
	}
	if home == "" {
		return ""
	}
	if dir := filepath.Join(home, "Documents"); isDir(dir) {
		return dir
	}
	return home
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}
