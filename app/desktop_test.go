package app

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"bankdesk/backend/launcher"
	"bankdesk/backend/scheme"
)

// The window's first start installs the launcher entry and its icon
// beside the bankdesk:// handler, both naming this binary.
func TestFirstStartInstallsLauncherBesideSchemeHandler(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("Linux only")
	}
	data := t.TempDir()
	t.Setenv("XDG_DATA_HOME", data)
	t.Setenv("XDG_CONFIG_HOME", t.TempDir()) // where xdg-mime keeps the default handler
	icon, err := os.ReadFile(filepath.Join("..", "build", "appicon.png"))
	if err != nil {
		t.Fatal(err)
	}
	a := New(testConfig(t), nil, nil)
	a.icon = icon
	a.registerScheme()

	exe, err := os.Executable()
	if err == nil {
		exe, err = filepath.EvalSymlinks(exe)
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{launcher.DesktopFile, scheme.DesktopFile} {
		b, err := os.ReadFile(filepath.Join(data, "applications", name))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), "\nExec="+launcher.QuoteExec(exe)) {
			t.Errorf("%s does not run %s:\n%s", name, exe, b)
		}
	}
	if _, err := os.Stat(launcher.IconPath(os.Getenv)); err != nil {
		t.Fatalf("icon not installed: %v", err)
	}
}
