// Package testhost is what tests need of the machine they run on: a
// listener or a free port on the loopback interface, and a directory's
// listing. It imports nothing of the project, so any test package can use
// it, the sandbox's own tests included.
package testhost

import (
	"fmt"
	"net"
	"os"
	"testing"
)

// Listen opens a listener on a free loopback port; the test closes it.
func Listen(t testing.TB) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// FreePort returns a loopback port that was free a moment ago, for a
// server the test starts itself.
func FreePort(t testing.TB) int {
	t.Helper()
	ln := Listen(t)
	port := ln.Addr().(*net.TCPAddr).Port
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	return port
}

// RedirectURI is a loopback redirect URI on a free port, as a desktop
// app registers one: http://127.0.0.1:PORT/callback.
func RedirectURI(t testing.TB) string {
	t.Helper()
	return fmt.Sprintf("http://127.0.0.1:%d/callback", FreePort(t))
}

// DirNames lists a directory's entries by name, sorted, so a test can see
// that nothing (a temporary file, say) was left behind.
func DirNames(t testing.TB, dir string) []string {
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
