package export

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"bankdesk/backend/internal/atomicfile"
	"bankdesk/backend/internal/testhost"
)

// writeOK writes "ok"; called counts the calls.
func writeOK(called *int) func(io.Writer) error {
	return func(w io.Writer) error {
		*called++
		_, err := io.WriteString(w, "ok")
		return err
	}
}

// A path that cannot take an export (a folder, a name ending in a slash,
// a link to nothing or to a folder, a missing folder) is refused with a
// sentence naming it, before the export runs at all, and nothing is made.
func TestBadTargetsAreRefusedBeforeWriting(t *testing.T) {
	dir := t.TempDir()
	must(t, os.Mkdir(filepath.Join(dir, "folder"), 0o700))
	must(t, os.WriteFile(filepath.Join(dir, "file.csv"), []byte("old"), 0o600))
	must(t, os.Symlink("nowhere.csv", filepath.Join(dir, "dangling.csv")))
	must(t, os.Symlink("folder", filepath.Join(dir, "tofolder")))
	before := testhost.DirNames(t, dir)
	for path, want := range map[string]string{
		filepath.Join(dir, "folder"):              "is a folder",
		filepath.Join(dir, "folder") + "/":        "ends with a slash",
		filepath.Join(dir, "new") + "/":           "ends with a slash",
		filepath.Join(dir, "missing", "out.csv"):  "the folder " + filepath.Join(dir, "missing") + " does not exist",
		filepath.Join(dir, "file.csv", "out.csv"): "is not a folder",
		filepath.Join(dir, "dangling.csv"):        "is a link to nowhere.csv, which does not exist",
		filepath.Join(dir, "tofolder"):            "is a folder",
		"":                                        "is not a file name",
	} {
		called := 0
		err := ToFile(path, writeOK(&called))
		var te *TargetError
		if !errors.As(err, &te) || !strings.Contains(err.Error(), want) || called != 0 {
			t.Errorf("%q: %v (export ran %d times), want %q", path, err, called, want)
		}
		if cerr := CheckTarget(path); cerr == nil || cerr.Error() != err.Error() {
			t.Errorf("%q: CheckTarget says %v", path, cerr)
		}
	}
	if got := testhost.DirNames(t, dir); !slices.Equal(got, before) {
		t.Fatalf("directory now holds %q, was %q", got, before)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "file.csv")); string(got) != "old" {
		t.Fatalf("file.csv now holds %q", got)
	}
}

// A link to a regular file is followed: the file it points to gets the
// export, atomically, and the link stays a link. Nothing else is left in
// either folder.
func TestLinkToAFileIsFollowed(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	linkDir, realDir := t.TempDir(), t.TempDir()
	real := filepath.Join(realDir, "real.csv")
	must(t, os.WriteFile(real, []byte("last month"), 0o644))
	link := filepath.Join(linkDir, "link.csv")
	must(t, os.Symlink(real, link))
	rel := filepath.Join(realDir, "rel.csv")
	must(t, os.Symlink("real.csv", rel))
	for i, path := range []string{link, rel} {
		called := 0
		if err := ToFile(path, writeOK(&called)); err != nil || called != 1 {
			t.Fatalf("%s: %v", path, err)
		}
		if info, err := os.Lstat(path); err != nil || info.Mode()&os.ModeSymlink == 0 {
			t.Fatalf("%s is no longer a link: %v %v", path, info.Mode(), err)
		}
		if got, _ := os.ReadFile(real); string(got) != "ok" {
			t.Fatalf("run %d: the link's target holds %q", i, got)
		}
		must(t, os.WriteFile(real, []byte("last month"), 0o644))
	}
	if got := testhost.DirNames(t, linkDir); !slices.Equal(got, []string{"link.csv"}) {
		t.Fatalf("link's folder holds %q", got)
	}
	if got := testhost.DirNames(t, realDir); !slices.Equal(got, []string{"real.csv", "rel.csv"}) {
		t.Fatalf("target's folder holds %q", got)
	}
}

// Partial files that crashed exports left in the target's folder are
// removed by the next export there: this version's, and older versions'
// ".NAME.tmp-<digits>" (same name as the target, or another name holding
// the start of a Bankdesk export). Files of other programs, and a partial
// file a running export holds, stay.
func TestStalePartialFilesAreRemoved(t *testing.T) {
	dir := t.TempDir()
	header := strings.Join(Columns, ",") + "\r\n2024-01-01,"
	files := map[string]string{
		".~bankdesk-0123456789abcdef.tmp": header,           // this version, crashed
		".out.csv.tmp-123456789":          "date,booked_at", // older version, same name, cut short
		".bankdesk-2024-05-01.csv.tmp-42": utf8BOM + strings.Join(Columns, ";") + "\r\n",
		".bankdesk-2024-05-02.ofx.tmp-7":  `<?xml version="1.0" encoding="UTF-8" standalone="no"?>` + "\n" + `<?OFX OFXHEADER="200" VERSION="203"?>`,
		".notes.txt.tmp-5":                header, // not an export's name
		".other.csv.tmp-9":                "a,b,c\r\n",
		".out.csv.tmp-abc":                header, // not the older pattern
		"out.csv.tmp-1":                   header,
		"keep.csv":                        header,
	}
	for name, data := range files {
		must(t, os.WriteFile(filepath.Join(dir, name), []byte(data), 0o600))
	}
	// A running export's partial file with its partial name (from the
	// start where there are no unnamed files, or as it replaces a target),
	// locked where the OS has locks.
	named := partialFile
	named.Unnamed = false
	running, err := atomicfile.Create(dir, named)
	if err != nil {
		t.Fatal(err)
	}
	defer running.Discard()
	lockPartial(running.Fd())
	called := 0
	if err := ToFile(filepath.Join(dir, "out.csv"), writeOK(&called)); err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Base(running.Name()), ".notes.txt.tmp-5", ".other.csv.tmp-9", ".out.csv.tmp-abc", "keep.csv", "out.csv", "out.csv.tmp-1"}
	slices.Sort(want)
	if got := testhost.DirNames(t, dir); !slices.Equal(got, want) {
		t.Fatalf("folder holds %q\nwant %q", got, want)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
