package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

func TestWriteFileReplacesAndLeavesNothingElse(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "marker")
	must(t, os.WriteFile(path, []byte("old"), 0o644))
	must(t, WriteFile(path, []byte("new")))
	assertFile(t, path, "new")
	assertNames(t, dir, "marker")
}

func TestWriteFileExclusive(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "id")
	must(t, WriteFileExclusive(path, []byte("first")))
	assertFile(t, path, "first")
	err := WriteFileExclusive(path, []byte("second"))
	if !errors.Is(err, fs.ErrExist) {
		t.Fatalf("second write: %v, want fs.ErrExist", err)
	}
	assertFile(t, path, "first")
	assertNames(t, dir, "id")
}

func TestWriteFileInAMissingFolderFails(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing", "f")
	if err := WriteFile(path, nil); err == nil {
		t.Error("WriteFile into a missing folder succeeded")
	}
	if err := WriteFileExclusive(path, nil); err == nil {
		t.Error("WriteFileExclusive into a missing folder succeeded")
	}
}

// Both kinds of temporary file (named, and unnamed where the OS has them)
// take their name only when Replace or Link gives it, and leave nothing
// when discarded.
func TestFileTakesItsNameOnlyWhenDone(t *testing.T) {
	for _, unnamed := range []bool{false, true} {
		dir := t.TempDir()
		o := Options{Pattern: ".~test-*.tmp", Unnamed: unnamed}
		path := filepath.Join(dir, "out")

		f := create(t, dir, o, "one")
		if unnamed && runtime.GOOS == "linux" && f.Name() == "" {
			assertNames(t, dir) // nothing to see while it is written
		} else if !strings.HasPrefix(filepath.Base(f.Name()), ".~test-") || !strings.HasSuffix(f.Name(), ".tmp") {
			t.Fatalf("unnamed=%v: temporary file %q does not follow the pattern", unnamed, f.Name())
		}
		must(t, f.Link(path)) // nothing there yet
		f.Discard()           // after success: nothing to do
		assertFile(t, path, "one")
		assertNames(t, dir, "out")

		f = create(t, dir, o, "two")
		if err := f.Link(path); !errors.Is(err, fs.ErrExist) {
			t.Fatalf("unnamed=%v: Link over a file: %v, want fs.ErrExist", unnamed, err)
		}
		f.Discard()
		assertFile(t, path, "one")
		assertNames(t, dir, "out")

		f = create(t, dir, o, "three")
		must(t, f.Replace(path))
		f.Discard()
		assertFile(t, path, "three")
		assertNames(t, dir, "out")

		f = create(t, dir, o, "four")
		f.Discard()
		assertFile(t, path, "three")
		assertNames(t, dir, "out")
	}
}

func TestCreatedPrivate(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix modes")
	}
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	must(t, WriteFile(a, []byte("x")))
	must(t, WriteFileExclusive(b, []byte("x")))
	for _, p := range []string{a, b} {
		if info, err := os.Stat(p); err != nil || info.Mode().Perm() != 0o600 {
			t.Fatalf("%s: %v %v", p, info.Mode(), err)
		}
	}
}

func create(t *testing.T, dir string, o Options, content string) *File {
	t.Helper()
	f, err := Create(dir, o)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte(content)); err != nil {
		t.Fatal(err)
	}
	return f
}

func assertFile(t *testing.T, path, want string) {
	t.Helper()
	if got, err := os.ReadFile(path); err != nil || string(got) != want {
		t.Fatalf("%s holds %q (%v), want %q", path, got, err, want)
	}
}

func assertNames(t *testing.T, dir string, want ...string) {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*")) // dot files too, sorted
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range paths {
		got = append(got, filepath.Base(p))
	}
	if !slices.Equal(got, want) {
		t.Fatalf("folder holds %q, want %q", got, want)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
