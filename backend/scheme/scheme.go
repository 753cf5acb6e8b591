// Package scheme registers Bankdesk as the handler of bankdesk:// links for
// the current user, so the bank's redirect reaches the app.
//
// Packaged builds declare the scheme themselves (build/linux .desktop file,
// the macOS Info.plist, the Windows installer); this covers the Linux binary
// run straight from a download or a build directory.
package scheme

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"

	"bankdesk/backend/launcher"
)

// Name is the URL scheme Bankdesk answers.
const Name = "bankdesk"

// DesktopFile is the file name of the per-user registration.
const DesktopFile = "bankdesk-url-handler.desktop"

// Env is how Register reads the environment and runs commands; tests replace it.
type Env struct {
	Getenv   func(string) string
	LookPath func(string) (string, error)
	Run      func(name string, args ...string) error
}

// DefaultEnv uses the real environment.
func DefaultEnv() Env {
	return Env{
		Getenv:   os.Getenv,
		LookPath: exec.LookPath,
		Run:      func(name string, args ...string) error { return exec.Command(name, args...).Run() },
	}
}

// Register writes ~/.local/share/applications/bankdesk-url-handler.desktop
// pointing at exe and makes it the default handler of bankdesk:// links. It
// is idempotent: when the file already says the same it changes nothing and
// reports false. It does nothing outside Linux.
func Register(exe string, env Env) (changed bool, err error) {
	if runtime.GOOS != "linux" {
		return false, nil
	}
	dir := launcher.ApplicationsDir(env.Getenv)
	if dir == "" {
		return false, fmt.Errorf("register %s:// handler: %w", Name, launcher.ErrNoHome)
	}
	changed, err = launcher.WriteIfChanged(filepath.Join(dir, DesktopFile), Handler(exe).Bytes())
	if err != nil {
		return changed, fmt.Errorf("register %s:// handler: %w", Name, err)
	}
	if !changed {
		return false, nil
	}
	// Both tools are optional: without them the .desktop file still works
	// once the desktop rescans, but the default would not be set.
	if _, err := env.LookPath("update-desktop-database"); err == nil {
		_ = env.Run("update-desktop-database", dir)
	}
	if _, err := env.LookPath("xdg-mime"); err == nil {
		if err := env.Run("xdg-mime", "default", DesktopFile, "x-scheme-handler/"+Name); err != nil {
			return true, fmt.Errorf("register %s:// handler: xdg-mime: %w", Name, err)
		}
	}
	return true, nil
}

// Handler is the entry that receives bankdesk:// links. NoDisplay keeps
// it out of menus: the launcher entry (package launcher) is the visible one.
func Handler(exe string) launcher.Entry {
	return launcher.Entry{
		Name:      "Bankdesk",
		Comment:   "Receives bank connection callbacks for Bankdesk",
		Exe:       exe,
		Args:      "%u",
		MimeTypes: []string{"x-scheme-handler/" + Name},
		NoDisplay: true,
	}
}
