package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

func TestOpenCreatesPrivateDirAndFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	path := filepath.Join(dir, "bankdesk.db")
	st, err := Open(path, xorSealer{}, Options{})
	mustNoErr(t, err)
	defer st.Close()
	if got := st.SchemaVersion(); got != currentSchemaVersion || got < 1 {
		t.Errorf("SchemaVersion = %d, want %d", got, currentSchemaVersion)
	}
	for p, want := range map[string]fs.FileMode{dir: 0o700, path: 0o600} {
		info, err := os.Stat(p)
		mustNoErr(t, err)
		if got := info.Mode().Perm(); got != want {
			t.Errorf("%s mode = %o, want %o", p, got, want)
		}
	}
}

func TestOpenTightensAWidenedFile(t *testing.T) {
	st, path := openTemp(t, xorSealer{})
	mustNoErr(t, st.Close())
	mustNoErr(t, os.Chmod(path, 0o644))
	st, err := Open(path, xorSealer{}, Options{})
	mustNoErr(t, err)
	defer st.Close()
	info, err := os.Stat(path)
	mustNoErr(t, err)
	if got := info.Mode().Perm(); got != 0o600 {
		t.Errorf("mode = %o, want 600", got)
	}
}

func TestOpenNeedsASealer(t *testing.T) {
	if _, err := Open(filepath.Join(t.TempDir(), "x.db"), nil, Options{}); err == nil {
		t.Fatal("Open with nil sealer succeeded")
	}
}

func TestSecondOpenInProcessIsAlreadyRunning(t *testing.T) {
	_, path := openTemp(t, xorSealer{})
	start := time.Now()
	_, err := Open(path, xorSealer{}, Options{Timeout: 100 * time.Millisecond})
	if !errors.Is(err, ErrAlreadyRunning) {
		t.Fatalf("second Open: %v, want ErrAlreadyRunning", err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("second Open took %s", took)
	}
}

// TestHelperProcess is not a test: TestSecondOpenFromAnotherProcess re-runs
// the test binary with it to get a genuinely separate process.
func TestHelperProcess(t *testing.T) {
	path := os.Getenv("BANKDESK_STORE_HELPER_PATH")
	if path == "" {
		t.Skip("helper process only")
	}
	st, err := Open(path, xorSealer{}, Options{Timeout: 200 * time.Millisecond})
	switch {
	case errors.Is(err, ErrAlreadyRunning):
		fmt.Println("RESULT already-running")
	case err != nil:
		fmt.Println("RESULT error:", err)
	default:
		st.Close()
		fmt.Println("RESULT opened")
	}
}

func runHelper(t *testing.T, path string) (string, time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), "BANKDESK_STORE_HELPER_PATH="+path)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	took := time.Since(start)
	if ctx.Err() != nil {
		t.Fatalf("helper process hung (killed after %s)", took)
	}
	if err != nil {
		t.Fatalf("helper process: %v\n%s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if r, ok := strings.CutPrefix(line, "RESULT "); ok {
			return r, took
		}
	}
	t.Fatalf("helper printed no result:\n%s", out)
	return "", took
}

func TestSecondOpenFromAnotherProcess(t *testing.T) {
	st, path := openTemp(t, xorSealer{})
	got, took := runHelper(t, path)
	if got != "already-running" {
		t.Fatalf("other process: %s, want already-running", got)
	}
	// Process start-up dominates; the lock wait itself is 200ms.
	if took > 5*time.Second {
		t.Errorf("other process took %s", took)
	}
	mustNoErr(t, st.Close())
	if got, _ := runHelper(t, path); got != "opened" {
		t.Fatalf("after Close, other process: %s, want opened", got)
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	st, path := openTemp(t, xorSealer{})
	mustNoErr(t, st.Close())
	setSchemaVersion(t, path, currentSchemaVersion+1)

	_, err := Open(path, xorSealer{}, Options{})
	if !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("Open: %v, want ErrNewerSchema", err)
	}
	if !strings.Contains(err.Error(), "data file was written by a newer Bankdesk") {
		t.Errorf("message %q is not clear", err)
	}
	if _, err := Open(path, xorSealer{}, Options{ReadOnly: true}); !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("read-only Open: %v, want ErrNewerSchema", err)
	}
}

func setSchemaVersion(t *testing.T, path string, v int) {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: time.Second})
	mustNoErr(t, err)
	defer db.Close()
	mustNoErr(t, db.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(metaSchemaVersion, encodeVersion(v))
	}))
}

func TestReadOnlyOpen(t *testing.T) {
	st, path := openTemp(t, xorSealer{})
	mustNoErr(t, st.PutSetting("theme", []byte("dark")))
	mustNoErr(t, st.Close())

	ro, err := Open(path, xorSealer{}, Options{ReadOnly: true})
	mustNoErr(t, err)
	defer ro.Close()
	if v, err := ro.Setting("theme"); err != nil || string(v) != "dark" {
		t.Errorf("Setting = %q, %v", v, err)
	}
	if err := ro.PutSetting("theme", []byte("light")); err == nil {
		t.Error("write through a read-only store succeeded")
	}
	if _, err := Open(path, xorSealer{}, Options{Timeout: 50 * time.Millisecond}); !errors.Is(err, ErrAlreadyRunning) {
		t.Errorf("writer while a reader holds the file: %v, want ErrAlreadyRunning", err)
	}
	if _, err := Open(filepath.Join(t.TempDir(), "missing.db"), xorSealer{}, Options{ReadOnly: true}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("read-only Open of a missing file: %v, want ErrNotExist", err)
	}
}

func TestOpenWithTheWrongKeyFailsAtOnce(t *testing.T) {
	st, path := openTemp(t, newGCMSealer())
	mustNoErr(t, st.Close())
	_, err := Open(path, newGCMSealer(), Options{})
	if !errors.Is(err, ErrUnreadable) || !errors.Is(err, errTampered) {
		t.Fatalf("Open with another key: %v, want ErrUnreadable wrapping the sealer's error", err)
	}
}

func TestMigrationsRunOnceInOrder(t *testing.T) {
	st, path := openTemp(t, xorSealer{})
	mustNoErr(t, st.PutSetting("k", []byte("v")))
	mustNoErr(t, st.Close())

	saved := migrations
	defer func() { migrations, currentSchemaVersion = saved, len(saved) }()
	var ran []int
	next, after := len(saved)+1, len(saved)+2
	migrations = append(append([]migration{}, saved...),
		func(*Store, *bbolt.Tx) error { ran = append(ran, next); return nil },
		func(*Store, *bbolt.Tx) error { ran = append(ran, after); return nil },
	)
	currentSchemaVersion = len(migrations)
	for range 2 {
		st, err := Open(path, xorSealer{}, Options{})
		mustNoErr(t, err)
		if st.SchemaVersion() != after {
			t.Errorf("SchemaVersion = %d, want %d", st.SchemaVersion(), after)
		}
		if v, err := st.Setting("k"); err != nil || string(v) != "v" {
			t.Errorf("data lost across migration: %q, %v", v, err)
		}
		mustNoErr(t, st.Close())
	}
	if fmt.Sprint(ran) != fmt.Sprint([]int{next, after}) {
		t.Errorf("migrations ran %v, want [%d %d] once", ran, next, after)
	}
}
