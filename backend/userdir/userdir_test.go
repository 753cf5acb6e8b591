package userdir

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// fakeXDG puts an xdg-user-dir on PATH that answers dir, and a home.
func fakeXDG(t *testing.T, answer string) string {
	t.Helper()
	home, bin := t.TempDir(), t.TempDir()
	script := "#!/bin/sh\n[ \"$1\" = DOCUMENTS ] && echo '" + answer + "'\n"
	if err := os.WriteFile(filepath.Join(bin, "xdg-user-dir"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin)
	t.Setenv("HOME", home)
	return home
}

func TestDocumentsFromXDGUserDir(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("xdg-user-dir is Linux's")
	}
	docs := t.TempDir() // "Dokumente": the desktop's language
	fakeXDG(t, docs)
	if got := Documents(); got != docs {
		t.Fatalf("Documents() = %q, want xdg-user-dir's %q", got, docs)
	}
}

func TestDocumentsFallsBackToHomeDocumentsThenHome(t *testing.T) {
	home := fakeXDG(t, "/nonexistent/Documents") // a folder set but never made
	if got := Documents(); got != home {
		t.Fatalf("no Documents folder: %q, want home %q", got, home)
	}
	docs := filepath.Join(home, "Documents")
	if err := os.Mkdir(docs, 0o700); err != nil {
		t.Fatal(err)
	}
	if got := Documents(); got != docs {
		t.Fatalf("Documents() = %q, want %q", got, docs)
	}
}
