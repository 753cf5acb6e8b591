package app

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
)

// Before the window is made, what an older Bankdesk let WebKit write into
// the default data dir is removed and Bankdesk's own files stay; WebKit's
// new directories exist, private. A data dir chosen elsewhere is not
// touched, even if it holds files with WebKit's names.
func TestWebKitIsKeptOutOfTheDataDir(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("WebKitGTK is Linux's")
	}
	home := t.TempDir()
	env := map[string]string{"HOME": home}
	getenv := func(k string) string { return env[k] }
	def := filepath.Join(home, ".local", "share", "bankdesk")
	chosen := filepath.Join(home, "chosen")
	for _, dir := range []string{def, chosen} {
		for _, d := range []string{"storage/x", "mediakeys", "localstorage", "snapshots"} {
			if err := os.MkdirAll(filepath.Join(dir, d), 0o700); err != nil {
				t.Fatal(err)
			}
		}
		for _, f := range []string{"hsts-storage.sqlite", "bankdesk.db", "vault.key", "storage/x/y"} {
			if err := os.WriteFile(filepath.Join(dir, f), []byte("x"), 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	keepWebKitOut(def, "/usr/bin/bankdesk", getenv)
	keepWebKitOut(chosen, "/usr/bin/bankdesk", getenv)
	if got := dirNames(t, def); !slices.Equal(got, []string{"bankdesk.db", "snapshots", "vault.key"}) {
		t.Fatalf("default data dir holds %q", got)
	}
	if got := dirNames(t, chosen); len(got) != 7 {
		t.Fatalf("a chosen data dir was changed: %q", got)
	}
	for _, dir := range []string{filepath.Join(home, ".local", "share", webKitName), filepath.Join(home, ".cache", webKitName)} {
		if info, err := os.Stat(dir); err != nil || info.Mode().Perm() != 0o700 {
			t.Fatalf("%s: %v %v", dir, info, err)
		}
	}

	// Under another program name WebKit never used the data dir.
	if err := os.WriteFile(filepath.Join(def, "hsts-storage.sqlite"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	env["XDG_DATA_HOME"] = filepath.Join(home, ".local", "share")
	keepWebKitOut(def, "./bankdesk-dev", getenv)
	if _, err := os.Stat(filepath.Join(def, "hsts-storage.sqlite")); err != nil {
		t.Fatal("removed a file WebKit did not put there")
	}
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}
