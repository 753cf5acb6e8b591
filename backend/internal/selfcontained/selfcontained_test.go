package selfcontained

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// outside are the ways a file has pointed at material beside the
// repository rather than in it. Built from parts so that this file does not
// name them itself.
var outside = []string{
	"../" + "shared",
	"/work/" + "shared",
	"shared/" + "truelayer",
	"reference" + ".md",
	"reference " + "§",
}

// Everything a comment, a document or a test cites must be in the
// repository or public (TrueLayer's documentation): a reader of a fresh
// clone can follow every reference, and no test depends on a file beside
// the checkout. API facts the code relies on are in docs/truelayer.md.
func TestNoFilePointsOutsideTheRepository(t *testing.T) {
	root := repoRoot(t)
	files := repoFiles(t, root)
	if len(files) < 100 {
		t.Fatalf("only %d files found under %s: not the repository?", len(files), root)
	}
	for _, name := range files {
		raw, err := os.ReadFile(filepath.Join(root, name))
		if err != nil || bytes.IndexByte(raw, 0) >= 0 {
			continue // gone since listed, or binary
		}
		for i, line := range strings.Split(string(raw), "\n") {
			for _, o := range outside {
				if strings.Contains(line, o) {
					t.Errorf("%s:%d points outside the repository (%q): cite docs/truelayer.md or https://docs.truelayer.com instead", name, i+1, o)
				}
			}
		}
	}
}

// repoRoot is the folder holding go.mod, above this package.
func repoRoot(t *testing.T) string {
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test")
		}
		dir = parent
	}
}

// repoFiles lists the files git tracks, and those it would add (new, not
// ignored), relative to root; without git, every file below root. Either
// way node_modules is left out: it is other projects' code.
func repoFiles(t *testing.T, root string) []string {
	var files []string
	cmd := exec.Command("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	cmd.Dir = root
	if out, err := cmd.Output(); err == nil {
		for name := range strings.SplitSeq(strings.TrimRight(string(out), "\x00"), "\x00") {
			if !strings.Contains("/"+name, "/node_modules/") {
				files = append(files, name)
			}
		}
		return files
	}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(root, path)
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}
