package launcher_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"bankdesk/backend/launcher"
	"bankdesk/backend/scheme"
)

func appIcon(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "build", "appicon.png"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func dataHome(dir string) func(string) string {
	return func(k string) string {
		if k == "XDG_DATA_HOME" {
			return dir
		}
		return ""
	}
}

// old marks a file as written long ago, so a rewrite shows in its mtime.
var old = time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)

func mtime(t *testing.T, path string) time.Time {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.ModTime()
}

// The first run installs a visible launcher entry and the icon at the
// hicolor size; the next run with the same binary writes nothing; a moved
// binary rewrites the entry (and leaves the unchanged icon alone).
func TestInstallWritesLauncherAndIconOnce(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("Linux only")
	}
	home := t.TempDir()
	icon := appIcon(t)
	changed, err := launcher.Install("/opt/Bank Desk/bankdesk", icon, dataHome(home))
	if err != nil || !changed {
		t.Fatalf("first install: changed=%v err=%v", changed, err)
	}
	entryPath := filepath.Join(home, "applications", "bankdesk.desktop")
	iconPath := filepath.Join(home, "icons", "hicolor", "512x512", "apps", "bankdesk.png")
	entry, err := os.ReadFile(entryPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"[Desktop Entry]\n", "\nType=Application\n", "\nName=Bankdesk\n", "\nComment=", "\nExec=\"/opt/Bank Desk/bankdesk\"\n",
		"\nIcon=bankdesk\n", "\nTerminal=false\n", "\nCategories=Office;Finance;\n", "\nStartupWMClass=" + launcher.WMClass + "\n",
	} {
		if !strings.Contains(string(entry), want) {
			t.Errorf("launcher entry lacks %q:\n%s", want, entry)
		}
	}
	if strings.Contains(string(entry), "NoDisplay") {
		t.Errorf("the launcher entry must show in menus:\n%s", entry)
	}
	f, err := os.Open(iconPath)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(f)
	f.Close()
	if err != nil || cfg.Width != 512 || cfg.Height != 512 {
		t.Fatalf("icon %s: %dx%d, %v; want a 512x512 PNG", iconPath, cfg.Width, cfg.Height, err)
	}
	for _, p := range []string{entryPath, iconPath} {
		if st, _ := os.Stat(p); st.Mode().Perm() != 0o644 {
			t.Errorf("%s mode %v, want 0644", p, st.Mode().Perm())
		}
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}

	changed, err = launcher.Install("/opt/Bank Desk/bankdesk", icon, dataHome(home))
	if err != nil || changed {
		t.Fatalf("second install must be a no-op: changed=%v err=%v", changed, err)
	}
	if !mtime(t, entryPath).Equal(old) || !mtime(t, iconPath).Equal(old) {
		t.Fatal("an unchanged install rewrote its files")
	}

	changed, err = launcher.Install("/usr/local/bin/bankdesk", icon, dataHome(home))
	if err != nil || !changed {
		t.Fatalf("a moved binary must rewrite the entry: changed=%v err=%v", changed, err)
	}
	if entry, _ := os.ReadFile(entryPath); !strings.Contains(string(entry), "\nExec=/usr/local/bin/bankdesk\n") {
		t.Fatalf("entry after the move:\n%s", entry)
	}
	if !mtime(t, iconPath).Equal(old) {
		t.Fatal("the unchanged icon was rewritten")
	}
}

func TestInstallNeedsAHome(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("Linux only")
	}
	if _, err := launcher.Install("/usr/bin/bankdesk", appIcon(t), func(string) string { return "" }); err == nil {
		t.Fatal("install without XDG_DATA_HOME or HOME succeeded")
	}
}

// weirdExes are paths with every character the Exec quoting must handle.
var weirdExes = []string{
	"/usr/bin/bankdesk",
	"/opt/Bank Desk/bankdesk",
	`/we"ird/$x\b/` + "`q`" + `/it's (1)/bankdesk`,
	"/tmp/100%d/bankdesk",
}

// Both entries Bankdesk writes pass the freedesktop.org validator, with
// plain and awkward program paths.
func TestEntriesPassDesktopFileValidate(t *testing.T) {
	tool, err := exec.LookPath("desktop-file-validate")
	if err != nil {
		t.Skip("desktop-file-validate is not installed (Debian: desktop-file-utils)")
	}
	dir := t.TempDir()
	for i, exe := range weirdExes {
		for name, e := range map[string]launcher.Entry{"bankdesk.desktop": launcher.Launcher(exe), scheme.DesktopFile: scheme.Handler(exe)} {
			path := filepath.Join(dir, string(rune('a'+i)), name)
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, e.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			// The validator exits 0 on warnings too; Bankdesk's entries
			// have none (a stray % is reported as a deprecated field code).
			out, err := exec.Command(tool, path).CombinedOutput()
			if err != nil || len(out) > 0 {
				t.Errorf("%s for %q: %v\n%s\n%s", name, exe, err, out, e.Bytes())
			}
		}
	}
}

func TestQuoteExec(t *testing.T) {
	for in, want := range map[string]string{
		"/usr/bin/bankdesk": "/usr/bin/bankdesk",
		"/a b/bankdesk":     `"/a b/bankdesk"`,
		// Quoting rule first (\" \$ \\), then the string rule doubles
		// every backslash.
		`/we"ird/$x\bankdesk`: `"/we\\"ird/\\$x\\\\bankdesk"`,
		"/a`b`/bankdesk":      "\"/a\\\\`b\\\\`/bankdesk\"",
		"/tmp/100%d/bankdesk": "/tmp/100%%d/bankdesk",
		"/a b/100%/bankdesk":  `"/a b/100%%/bankdesk"`,
		"/a\nb/bankdesk":      `"/a\nb/bankdesk"`,
	} {
		if got := launcher.QuoteExec(in); got != want {
			t.Errorf("QuoteExec(%q) = %q, want %q", in, got, want)
		}
	}
}

// GLib, which launches entries on most desktops, runs the program an
// awkward Exec names. (GLib cannot run a path holding a %: it looks for
// the program before it expands field codes, so that one is left out.)
func TestExecRunsThroughGLib(t *testing.T) {
	gio, err := exec.LookPath("gio")
	if err != nil {
		t.Skip("gio is not installed")
	}
	root := t.TempDir()
	exe := filepath.Join(root, `we"ird $x\b `+"`q`"+` it's (1)`, "bankdesk")
	marker := filepath.Join(root, "ran")
	if err := os.MkdirAll(filepath.Dir(exe), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(exe, []byte("#!/bin/sh\nprintf '%s %s\\n' \"$0\" \"$*\" > '"+marker+"'\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	entry := filepath.Join(root, "handler.desktop")
	if err := os.WriteFile(entry, scheme.Handler(exe).Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(gio, "launch", entry, "bankdesk://callback?x=1").CombinedOutput(); err != nil {
		t.Fatalf("gio launch: %v\n%s\n%s", err, out, scheme.Handler(exe).Bytes())
	}
	var got []byte
	for i := 0; i < 200; i++ { // the program runs detached from gio
		if got, err = os.ReadFile(marker); err == nil && len(got) > 0 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if want := exe + " bankdesk://callback?x=1\n"; string(got) != want {
		t.Fatalf("the program ran as %q, want %q", got, want)
	}
}

// The icon is the app icon at 512x512, each pixel the mean of the block it
// covers; sizes that do not divide are refused.
func TestIcon(t *testing.T) {
	src := image.NewNRGBA(image.Rect(0, 0, 1024, 1024))
	for y := range 1024 {
		for x := range 1024 {
			if (x+y)%2 == 0 {
				src.Set(x, y, color.NRGBA{R: 200, G: 100, B: 0, A: 255})
			} else {
				src.Set(x, y, color.NRGBA{R: 0, G: 100, B: 200, A: 255})
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, src); err != nil {
		t.Fatal(err)
	}
	out, err := launcher.Icon(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 512 || b.Dy() != 512 {
		t.Fatalf("icon is %v", b)
	}
	if got := color.NRGBAModel.Convert(img.At(7, 9)).(color.NRGBA); got != (color.NRGBA{R: 100, G: 100, B: 100, A: 255}) {
		t.Fatalf("pixel = %v, want the mean of its block", got)
	}
	if _, err := launcher.Icon(appIcon(t)); err != nil {
		t.Fatalf("build/appicon.png: %v", err)
	}
	for _, size := range []image.Rectangle{image.Rect(0, 0, 1000, 1000), image.Rect(0, 0, 1024, 512), image.Rect(0, 0, 256, 256)} {
		buf.Reset()
		_ = png.Encode(&buf, image.NewNRGBA(size))
		if _, err := launcher.Icon(buf.Bytes()); err == nil {
			t.Errorf("a %v icon was accepted", size)
		}
	}
	if _, err := launcher.Icon([]byte("not a png")); err == nil {
		t.Error("junk was accepted as an icon")
	}
}

// IconSize is a directory the hicolor theme lists: an icon anywhere else
// is never found.
func TestIconSizeIsAHicolorDirectory(t *testing.T) {
	index, err := os.ReadFile("/usr/share/icons/hicolor/index.theme")
	if err != nil {
		t.Skip("no hicolor theme installed")
	}
	if !strings.Contains(string(index), "\n[512x512/apps]\n") {
		t.Fatal("the hicolor theme has no 512x512/apps directory")
	}
}
