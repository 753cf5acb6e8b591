// Package launcher owns the desktop files Bankdesk writes for the user on
// Linux (freedesktop.org): the launcher entry and icon that menus, docks
// and app grids show, and, for package scheme, the hidden entry that
// receives bankdesk:// links. How an entry is written (its keys, the Exec
// quoting), where it goes, and "write only when it changed" live here
// once.
//
// Packaged builds install their own (build/linux/bankdesk.desktop); this
// covers the binary run straight from a download or a build directory.
package launcher

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"bankdesk/backend/internal/atomicfile"
)

// WMClass is the window's class and Wayland app id (the program name the
// window sets, app/run.go); the launcher's StartupWMClass names it, so a
// desktop ties the open window to the launcher entry and its icon.
const WMClass = "bankdesk"

// DesktopFile is the launcher entry's file name; its desktop id,
// "bankdesk", is WMClass.
const DesktopFile = WMClass + ".desktop"

// IconName is the icon the entries name, looked up in the icon theme.
const IconName = "bankdesk"

// IconSize is the size the icon is installed at: the largest fixed size of
// the hicolor theme (its index.theme lists no bigger directory, and an icon
// in an unlisted directory is never found).
const IconSize = 512

// Entry is a desktop entry of type Application (Desktop Entry
// Specification, https://specifications.freedesktop.org/desktop-entry-spec/latest/).
type Entry struct {
	Name    string
	Comment string
	// Exe is the program's absolute path; Exec runs it, quoted, followed by
	// Args (a field code such as %u, or nothing).
	Exe            string
	Args           string
	Categories     []string
	MimeTypes      []string
	StartupWMClass string
	// NoDisplay keeps the entry out of menus (a handler that only
	// receives links).
	NoDisplay bool
}

// Bytes is the entry as a file. Icon is always IconName and Terminal
// false: Bankdesk is one windowed program.
func (e Entry) Bytes() []byte {
	exec := QuoteExec(e.Exe)
	if e.Args != "" {
		exec += " " + e.Args
	}
	lines := []string{
		"[Desktop Entry]",
		"Type=Application",
		"Name=" + e.Name,
		"Comment=" + e.Comment,
		"Exec=" + exec,
		"Icon=" + IconName,
		"Terminal=false",
	}
	if len(e.Categories) > 0 {
		lines = append(lines, "Categories="+list(e.Categories))
	}
	if len(e.MimeTypes) > 0 {
		lines = append(lines, "MimeType="+list(e.MimeTypes))
	}
	if e.StartupWMClass != "" {
		lines = append(lines, "StartupWMClass="+e.StartupWMClass)
	}
	if e.NoDisplay {
		lines = append(lines, "NoDisplay=true")
	}
	return []byte(strings.Join(lines, "\n") + "\n")
}

// list is a desktop entry list value: each item followed by a semicolon.
func list(items []string) string { return strings.Join(items, ";") + ";" }

// QuoteExec writes a path for a .desktop Exec key. The Desktop Entry
// spec's quoting rule (double quotes, with ", `, $ and \ escaped by a
// backslash) applies after the value is read as a string, whose own escape
// rule turns \\ into \ first: so each backslash of the quoted form is
// written twice (https://specifications.freedesktop.org/desktop-entry-spec/latest/exec-variables.html).
// A literal % is %%, as a single one starts a field code.
func QuoteExec(p string) string {
	if strings.ContainsAny(p, reservedInExec) {
		p = `"` + quoteRule.Replace(p) + `"`
		p = stringRule.Replace(p)
	}
	return strings.ReplaceAll(p, "%", "%%")
}

// reservedInExec are the characters an argument may not hold unquoted.
const reservedInExec = " \t\n\r\"'\\><~|&;$*?#()`"

var (
	quoteRule  = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "`", "\\`", `$`, `\$`)
	stringRule = strings.NewReplacer(`\`, `\\`, "\n", `\n`, "\r", `\r`)
)

// Launcher is the visible entry that starts Bankdesk from the desktop's
// menus.
func Launcher(exe string) Entry {
	return Entry{
		Name:           "Bankdesk",
		Comment:        "Your bank accounts, encrypted on your own disk",
		Exe:            exe,
		Categories:     []string{"Office", "Finance"},
		StartupWMClass: WMClass,
	}
}

// DataHome is $XDG_DATA_HOME, or ~/.local/share where it is unset or not
// absolute (XDG Base Directory Specification); "" when neither is known.
func DataHome(getenv func(string) string) string {
	if d := getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
		return d
	}
	if h := getenv("HOME"); h != "" {
		return filepath.Join(h, ".local", "share")
	}
	return ""
}

// ApplicationsDir is where the user's desktop entries go.
func ApplicationsDir(getenv func(string) string) string {
	if d := DataHome(getenv); d != "" {
		return filepath.Join(d, "applications")
	}
	return ""
}

// IconPath is where the user's copy of the icon goes in the hicolor theme.
func IconPath(getenv func(string) string) string {
	if d := DataHome(getenv); d != "" {
		return filepath.Join(d, "icons", "hicolor", fmt.Sprintf("%dx%d", IconSize, IconSize), "apps", IconName+".png")
	}
	return ""
}

// ErrNoHome means neither XDG_DATA_HOME nor HOME says where the user's
// files go.
var ErrNoHome = errors.New("no XDG_DATA_HOME or HOME")

// Install writes the launcher entry for exe and the icon (icon is a
// square PNG whose side is a multiple of IconSize: build/appicon.png). It
// is idempotent: files that already say the same are not rewritten, and
// changed is false when nothing was written. It does nothing outside
// Linux.
func Install(exe string, icon []byte, getenv func(string) string) (changed bool, err error) {
	if runtime.GOOS != "linux" {
		return false, nil
	}
	apps, iconPath := ApplicationsDir(getenv), IconPath(getenv)
	if apps == "" {
		return false, fmt.Errorf("install launcher: %w", ErrNoHome)
	}
	png, err := Icon(icon)
	if err != nil {
		return false, fmt.Errorf("install launcher icon: %w", err)
	}
	// The icon first: an entry that names a missing icon shows a blank one.
	iconChanged, err := WriteIfChanged(iconPath, png)
	if err != nil {
		return false, fmt.Errorf("install launcher icon: %w", err)
	}
	entryChanged, err := WriteIfChanged(filepath.Join(apps, DesktopFile), Launcher(exe).Bytes())
	if err != nil {
		return iconChanged, fmt.Errorf("install launcher: %w", err)
	}
	return iconChanged || entryChanged, nil
}

// WriteIfChanged writes data to path (atomically, readable by all, as
// desktop files are) unless the file already holds exactly data; it makes
// the folders it needs. changed reports whether it wrote.
func WriteIfChanged(path string, data []byte) (changed bool, err error) {
	if have, err := os.ReadFile(path); err == nil && bytes.Equal(have, data) {
		return false, nil
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return false, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return false, err
	}
	if err := atomicfile.WriteFile(path, data); err != nil {
		return false, err
	}
	// atomicfile writes private files; the desktop's indexers and icon
	// loaders may run as other programs of the session.
	if err := os.Chmod(path, 0o644); err != nil {
		return true, err
	}
	return true, nil
}

// Icon is src (a square PNG) at IconSize: each pixel of the result is the
// mean of the square of source pixels it covers. The output depends only
// on src, so an installed icon compares equal on the next start.
func Icon(src []byte) ([]byte, error) {
	img, err := png.Decode(bytes.NewReader(src))
	if err != nil {
		return nil, fmt.Errorf("decode icon: %w", err)
	}
	b := img.Bounds()
	if b.Dx() != b.Dy() || b.Dx() < IconSize || b.Dx()%IconSize != 0 {
		return nil, fmt.Errorf("icon is %dx%d, want a square whose side is a multiple of %d", b.Dx(), b.Dy(), IconSize)
	}
	k := b.Dx() / IconSize
	out := image.NewNRGBA(image.Rect(0, 0, IconSize, IconSize))
	for y := range IconSize {
		for x := range IconSize {
			var r, g, bl, a uint64
			for dy := range k {
				for dx := range k {
					// Premultiplied, so transparent pixels add no colour.
					pr, pg, pb, pa := img.At(b.Min.X+x*k+dx, b.Min.Y+y*k+dy).RGBA()
					r, g, bl, a = r+uint64(pr), g+uint64(pg), bl+uint64(pb), a+uint64(pa)
				}
			}
			n := uint64(k * k)
			out.Set(x, y, color.RGBA64{R: uint16(r / n), G: uint16(g / n), B: uint16(bl / n), A: uint16(a / n)})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, out); err != nil {
		return nil, fmt.Errorf("encode icon: %w", err)
	}
	return buf.Bytes(), nil
}
