//go:build unix

package export

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"

	"bankdesk/backend/internal/atomicfile"
	"bankdesk/backend/internal/testhost"
)

// descriptorPath names an open descriptor the way /dev/stdout does.
func descriptorPath(f *os.File) string {
	if runtime.GOOS == "linux" {
		return fmt.Sprintf("/proc/self/fd/%d", f.Fd())
	}
	return fmt.Sprintf("/dev/fd/%d", f.Fd())
}

// An export to a device, a FIFO or an open descriptor is written straight
// into it, and the node stays what it was: a link to /dev/null still links
// to a character device, a FIFO is still a FIFO and its reader got the
// export, a link to a descriptor (as /dev/stdout is) delivers to the pipe
// behind it. Nothing else appears in the folder. (The tests use links in
// a temporary folder rather than /dev itself, so that a broken ToFile run
// as root cannot replace the system's nodes.)
func TestDevicesFIFOsAndDescriptorsAreWrittenInPlace(t *testing.T) {
	dir := t.TempDir()
	null := filepath.Join(dir, "null")
	must(t, os.Symlink("/dev/null", null))
	called := 0
	if err := ToFile(null, writeOK(&called)); err != nil || called != 1 {
		t.Fatalf("/dev/null: %v", err)
	}
	if to, err := os.Readlink(null); err != nil || to != "/dev/null" {
		t.Fatalf("the link to /dev/null became %q %v", to, err)
	}
	if info, err := os.Stat("/dev/null"); err != nil || info.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("/dev/null: %v %v", info.Mode(), err)
	}

	fifo := filepath.Join(dir, "fifo")
	must(t, syscall.Mkfifo(fifo, 0o600))
	got := make(chan string)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- err.Error()
			return
		}
		b, _ := io.ReadAll(f)
		f.Close()
		got <- string(b)
	}()
	if err := ToFile(fifo, writeOK(&called)); err != nil {
		t.Fatalf("FIFO: %v", err)
	}
	if s := <-got; s != "ok" {
		t.Fatalf("the FIFO's reader got %q", s)
	}
	if info, err := os.Lstat(fifo); err != nil || info.Mode()&os.ModeNamedPipe == 0 {
		t.Fatalf("the FIFO became %v %v", info.Mode(), err)
	}

	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	stdout := filepath.Join(dir, "stdout")
	must(t, os.Symlink(descriptorPath(w), stdout))
	if err := ToFile(stdout, writeOK(&called)); err != nil {
		t.Fatalf("descriptor: %v", err)
	}
	w.Close()
	if b, _ := io.ReadAll(r); string(b) != "ok" {
		t.Fatalf("the pipe got %q", b)
	}
	if info, err := os.Lstat(stdout); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link to a descriptor became %v %v", info.Mode(), err)
	}
	if names := testhost.DirNames(t, dir); !slices.Equal(names, []string{"fifo", "null", "stdout"}) {
		t.Fatalf("folder holds %q", names)
	}
}

// A regular file reached through a descriptor (`-o /dev/stdout >> file`)
// is appended to, as the shell's own redirection would: not replaced, so
// what it held stays.
func TestDescriptorOfAFileIsAppendedTo(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("/proc/self/fd is Linux's")
	}
	path := filepath.Join(t.TempDir(), "all.csv")
	must(t, os.WriteFile(path, []byte("january\n"), 0o600))
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	called := 0
	if err := ToFile(descriptorPath(f), writeOK(&called)); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "january\nok" {
		t.Fatalf("file holds %q", got)
	}
}

// On Linux the export has no name while it is written: a crash at any
// moment leaves nothing in the folder (the kernel frees an unnamed file),
// and a sync client watching the folder sees nothing until the complete
// file appears. This holds for a new target and for one being replaced.
func TestNothingIsVisibleWhileWriting(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("unnamed files (O_TMPFILE) are Linux's; elsewhere the partial file has a name")
	}
	dir := t.TempDir()
	f, err := atomicfile.Create(dir, partialFile)
	if err != nil {
		t.Fatal(err)
	}
	named := f.Name() != ""
	f.Discard()
	if named {
		t.Skipf("%s has no O_TMPFILE", dir)
	}
	path := filepath.Join(dir, "out.csv")
	for _, want := range [][]string{nil, {"out.csv"}} {
		err := ToFile(path, func(w io.Writer) error {
			_, _ = w.Write([]byte(strings.Repeat("x", 3*fileBuffer))) // past the buffer: on disk already
			if got := testhost.DirNames(t, dir); !slices.Equal(got, want) {
				return fmt.Errorf("while writing, the folder holds %q, want %q", got, want)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(path); len(got) != 3*fileBuffer {
			t.Fatalf("wrote %d bytes", len(got))
		}
	}
}
