package testhost

import (
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestRedirectURIIsLoopbackAndFree(t *testing.T) {
	u, err := url.Parse(RedirectURI(t))
	if err != nil {
		t.Fatal(err)
	}
	if u.Scheme != "http" || u.Hostname() != "127.0.0.1" || u.Path != "/callback" || u.Port() == "" {
		t.Fatalf("redirect %s", u)
	}
}

func TestDirNamesListsEntries(t *testing.T) {
	dir := t.TempDir()
	if got := DirNames(t, dir); len(got) != 0 {
		t.Fatalf("empty dir: %v", got)
	}
	for _, n := range []string{"b", "a"} {
		if err := os.WriteFile(filepath.Join(dir, n), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if got := DirNames(t, dir); !slices.Equal(got, []string{"a", "b"}) {
		t.Fatalf("got %v", got)
	}
}
