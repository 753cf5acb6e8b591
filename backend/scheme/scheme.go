// Package scheme registers Bankdesk as the handler of bankdesk:// links for
// the current user, so the bank's redirect reaches the app.
//
// Packaged builds declare the scheme themselves (build/linux .desktop file,
// the macOS Info.plist, the Windows installer); this covers the Linux binary
// run straight from a download or a build directory.
package scheme

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
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
	dir := applicationsDir(env.Getenv)
	if dir == "" {
		return false, fmt.Errorf("register %s:// handler: no XDG_DATA_HOME or HOME", Name)
	}
	path := filepath.Join(dir, DesktopFile)
	want := desktopEntry(exe)
	if have, err := os.ReadFile(path); err == nil && bytes.Equal(have, want) {
		return false, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return false, fmt.Errorf("register %s:// handler: %w", Name, err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, want, 0o644); err != nil {
		return false, fmt.Errorf("register %s:// handler: %w", Name, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp) // the rename error is the one to report
		return false, fmt.Errorf("register %s:// handler: %w", Name, err)
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

func applicationsDir(getenv func(string) string) string {
	if d := getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "applications")
	}
	if h := getenv("HOME"); h != "" {
		return filepath.Join(h, ".local", "share", "applications")
	}
	return ""
}

// desktopEntry is the handler's .desktop file. NoDisplay keeps it out of
// menus: it exists only to receive links.
func desktopEntry(exe string) []byte {
	return []byte(strings.Join([]string{
		"[Desktop Entry]",
		"Type=Application",
		"Name=Bankdesk",
		"Comment=Receives bank connection callbacks for Bankdesk",
		"Exec=" + quoteExec(exe) + " %u",
		"Icon=bankdesk",
		"Terminal=false",
		"NoDisplay=true",
		"MimeType=x-scheme-handler/" + Name + ";",
		"",
	}, "\n"))
}

// QuoteExec quotes one argument of a .desktop Exec key (Desktop Entry
// spec, "The Exec key"): a literal % is %%; an argument with a reserved
// character goes in double quotes, with ", `, $ and \ escaped by a
// backslash; and since the key's value is a string, whose own escapes come
// first, each backslash of that is doubled again.
func QuoteExec(arg string) string {
	arg = strings.ReplaceAll(arg, "%", "%%")
	if !strings.ContainsAny(arg, " \t\"'`$\\;&|<>()*?#~") {
		return arg
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "`", "\\`", `$`, `\$`)
	return strings.ReplaceAll(`"`+r.Replace(arg)+`"`, `\`, `\\`)
}

// quoteExec is QuoteExec for the handler's program.
func quoteExec(p string) string { return QuoteExec(p) }
