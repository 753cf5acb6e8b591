package vault

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// A data dir something else created first with group and other access
// (WebKit made the GUI's 0755) is made private when the vault opens; a
// new one is created private; a sticky shared directory keeps its mode.
func TestDataDirIsMadePrivate(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix modes")
	}
	base := t.TempDir()
	made := filepath.Join(base, "made-by-webkit")
	if err := os.Mkdir(made, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(made, 0o755); err != nil { // whatever the umask
		t.Fatal(err)
	}
	fresh := filepath.Join(base, "fresh", "bankdesk")
	for _, dir := range []string{made, fresh} {
		v, err := openFile(t, dir, goodPass)
		if err != nil {
			t.Fatal(err)
		}
		v.Close()
		if info, err := os.Stat(dir); err != nil || info.Mode().Perm() != 0o700 {
			t.Fatalf("%s: mode %v %v", dir, info.Mode().Perm(), err)
		}
	}
	shared := filepath.Join(base, "shared")
	if err := os.Mkdir(shared, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(shared, 0o777|os.ModeSticky); err != nil {
		t.Fatal(err)
	}
	if err := ensureDir(shared); err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(shared); info.Mode().Perm() != 0o777 {
		t.Fatalf("a sticky directory became %v", info.Mode())
	}
}
