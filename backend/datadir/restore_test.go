package datadir

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"bankdesk/backend/internal/testhost"
	"bankdesk/backend/store"
	"bankdesk/backend/vault"
)

// incoming writes a store holding setting value, sealed under a key of its
// own, where r wants it, and returns that key's vault.
func incoming(t *testing.T, r *Restore, value string) *vault.Vault {
	t.Helper()
	v, key, err := vault.NewCarried()
	if err != nil {
		t.Fatal(err)
	}
	clear(key)
	t.Cleanup(func() { _ = v.Close() })
	s, err := store.Open(r.IncomingPath(), v, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.PutSetting("test", []byte(value)); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return v
}

// files lists what dir holds besides the lock.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	for _, name := range testhost.DirNames(t, dir) {
		if name != LockFileName {
			out = append(out, name)
		}
	}
	return out
}

// A restore on a clean directory makes its key as a first run does and
// leaves the restored data opening under it; the incoming file is gone.
func TestARestoreOnACleanDirectoryMakesItsKey(t *testing.T) {
	o := fileOptions(t.TempDir(), pass)
	r, err := BeginRestore(o, false)
	if err != nil {
		t.Fatal(err)
	}
	from := incoming(t, r, "restored")
	if _, err := r.Do(context.Background(), from); err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if got := setting(t, o); got != "restored" {
		t.Errorf("setting = %q", got)
	}
	for _, f := range files(t, filepath.Dir(o.Store)) {
		if f != "bankdesk.db" && f != vault.KeyFileName && f != vault.IDFileName {
			t.Errorf("%s left in the data directory", f)
		}
	}
}

// A restore on a clean directory that fails after it began making the
// key (here: no passphrase for the new vault) leaves the directory clean,
// so trying again does not need force.
func TestAFailedRestoreLeavesACleanDirectoryClean(t *testing.T) {
	o := fileOptions(t.TempDir(), pass)
	refused := errors.New("no passphrase typed")
	o.Vault.Passphrase = func() (string, error) { return "", refused }
	r, err := BeginRestore(o, false)
	if err != nil {
		t.Fatal(err)
	}
	from := incoming(t, r, "restored")
	if _, err := r.Do(context.Background(), from); !errors.Is(err, refused) {
		t.Fatalf("Do = %v, want the passphrase's refusal", err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if left := files(t, filepath.Dir(o.Store)); len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
	if r, err = BeginRestore(o, false); err != nil {
		t.Fatalf("a second try: %v", err)
	}
	_ = r.Close()
}

// Data whose key is lost is not replaced under a new key, even with
// force: a crash before the swap would leave old data beside a key that
// is not its own. The person is sent to reset first.
func TestARestoreNeverMintsAKeyBesideData(t *testing.T) {
	dir := t.TempDir()
	o := fileOptions(dir, pass)
	withSetting(t, o, "old")
	if err := os.Remove(filepath.Join(dir, vault.KeyFileName)); err != nil {
		t.Fatal(err)
	}
	r, err := BeginRestore(o, true)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	from := incoming(t, r, "restored")
	if _, err := r.Do(context.Background(), from); !errors.Is(err, ErrKeyMissing) {
		t.Fatalf("Do = %v, want ErrKeyMissing", err)
	}
	if _, err := os.Stat(filepath.Join(dir, vault.KeyFileName)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a key was made beside the data: %v", err)
	}
}
