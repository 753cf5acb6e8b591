package datadir

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"bankdesk/backend/store"
	"bankdesk/backend/vault"
)

func TestMain(m *testing.M) {
	_ = os.Setenv("BANKDESK_TEST_KDF", "cheap") // honoured by test binaries only
	os.Exit(m.Run())
}

const pass = "data dir test passphrase"

func fileOptions(dir, passphrase string) Options {
	return Options{
		Store: filepath.Join(dir, "bankdesk.db"),
		Vault: vault.Options{Mode: vault.ModeFile, Dir: dir, Passphrase: func() (string, error) { return passphrase, nil }},
	}
}

func mustOpen(t *testing.T, o Options) *Opened {
	t.Helper()
	op, err := Open(context.Background(), o)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return op
}

// withSetting opens dir, stores a setting and closes it again.
func withSetting(t *testing.T, o Options, value string) {
	t.Helper()
	op := mustOpen(t, o)
	defer op.Close()
	if err := op.Store.PutSetting("test", []byte(value)); err != nil {
		t.Fatal(err)
	}
}

func setting(t *testing.T, o Options) string {
	t.Helper()
	op := mustOpen(t, o)
	defer op.Close()
	v, err := op.Store.Setting("test")
	if err != nil {
		t.Fatal(err)
	}
	return string(v)
}

// Two Opens at once on a fresh directory, 50 times: one may wait for the
// other or be told "already running", and every directory opens after.
// (The same race across processes is backend/cli's
// TestFirstRunRaceNeverBricks.)
func TestConcurrentFirstRunsNeverBrick(t *testing.T) {
	for i := range 50 {
		o := fileOptions(filepath.Join(t.TempDir(), "data"), pass)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for j := range errs {
			wg.Go(func() {
				op, err := Open(context.Background(), o)
				if err == nil {
					err = op.Close()
				}
				errs[j] = err
			})
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil && !errors.Is(err, store.ErrAlreadyRunning) {
				t.Fatalf("run %d: %v", i, err)
			}
		}
		mustOpen(t, o).Close()
	}
}

func TestSecondOpenIsAlreadyRunning(t *testing.T) {
	o := fileOptions(t.TempDir(), pass)
	o.LockTimeout = 1
	op := mustOpen(t, o)
	if _, err := Open(context.Background(), o); !errors.Is(err, store.ErrAlreadyRunning) {
		t.Fatalf("second Open: err = %v, want store.ErrAlreadyRunning", err)
	}
	if _, err := ChangePassphrase(context.Background(), o, pass, "another passphrase"); !errors.Is(err, store.ErrAlreadyRunning) {
		t.Fatalf("ChangePassphrase while open: err = %v, want store.ErrAlreadyRunning", err)
	}
	if _, err := BeginReset(o); !errors.Is(err, store.ErrAlreadyRunning) {
		t.Fatalf("BeginReset while open: err = %v, want store.ErrAlreadyRunning", err)
	}
	op.Close()
	mustOpen(t, o).Close()
}

func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		raw, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		files[e.Name()] = string(raw)
	}
	return files
}

// Key without data and data without key stop Open with a sentence that
// says what to do, and change nothing.
func TestMissingKeyOrDataRefused(t *testing.T) {
	for name, c := range map[string]struct {
		damage func(o Options) error
		want   error
	}{
		"key file deleted":  {func(o Options) error { return os.Remove(filepath.Join(o.Vault.Dir, vault.KeyFileName)) }, ErrKeyMissing},
		"data file emptied": {func(o Options) error { return os.Truncate(o.Store, 0) }, ErrDataMissing},
		"data file deleted": {func(o Options) error { return os.Remove(o.Store) }, ErrDataMissing},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			o := fileOptions(dir, pass)
			withSetting(t, o, "kept")
			if err := c.damage(o); err != nil {
				t.Fatal(err)
			}
			before := snapshot(t, dir)
			_, err := Open(context.Background(), o)
			if !errors.Is(err, c.want) || err.Error() != c.want.Error() {
				t.Fatalf("err = %v, want exactly %q", err, c.want)
			}
			if after := snapshot(t, dir); !maps.Equal(before, after) {
				t.Fatalf("refused Open changed %v into %v", slices.Sorted(maps.Keys(before)), slices.Sorted(maps.Keys(after)))
			}
		})
	}
}

// A first run cut short after the key was made but before the data file
// had its canary is finished by the next start, with that key.
func TestInterruptedFirstRunIsFinished(t *testing.T) {
	dir := t.TempDir()
	o := fileOptions(dir, pass)
	if err := writeSetup(o); err != nil {
		t.Fatal(err)
	}
	v, err := vault.Open(o.Vault)
	if err != nil {
		t.Fatal(err)
	}
	v.Close()
	if err := os.WriteFile(o.Store, nil, 0o600); err != nil { // bbolt created it, then the crash
		t.Fatal(err)
	}
	withSetting(t, o, "after the crash")
	if ok, _ := exists(o.setupPath()); ok {
		t.Fatal("set-up marker left after a complete first run")
	}
	if got := setting(t, o); got != "after the crash" {
		t.Fatalf("setting = %q", got)
	}
}

// A passphrase change killed after any of its steps leaves the data
// opening with exactly one passphrase (the old one before step 3, the new
// one from then on), every record readable, and no stray file.
func TestChangePassphraseSurvivesACrashAtEveryStep(t *testing.T) {
	const newPass = "the new passphrase"
	for step := 1; step <= 4; step++ {
		t.Run(fmt.Sprintf("after step %d", step), func(t *testing.T) {
			dir := t.TempDir()
			o := fileOptions(dir, pass)
			withSetting(t, o, "precious")
			crash(t, step, func() { _, _ = ChangePassphrase(context.Background(), o, pass, newPass) }) // it crashes

			works, fails := newPass, pass
			if step < 3 {
				works, fails = pass, newPass
			}
			if got := setting(t, fileOptions(dir, works)); got != "precious" {
				t.Fatalf("setting = %q", got)
			}
			if _, err := Open(context.Background(), fileOptions(dir, fails)); !errors.Is(err, vault.ErrWrongPassphrase) {
				t.Fatalf("the other passphrase: err = %v, want ErrWrongPassphrase", err)
			}
			for _, stray := range []string{vault.PendingKeyFileName, "bankdesk.db.rekey"} {
				if ok, _ := exists(filepath.Join(dir, stray)); ok {
					t.Errorf("%s left after recovery", stray)
				}
			}
		})
	}
}

// crash runs f with afterStep panicking after step, as a kill would stop
// it there (deferred closes still run, as the OS closes files and drops
// locks of a killed process).
func crash(t *testing.T, step int, f func()) {
	t.Helper()
	afterStep = func(s int) {
		if s == step {
			panic("crash")
		}
	}
	defer func() {
		afterStep = nil
		if recover() == nil {
			t.Fatalf("step %d never ran", step)
		}
	}()
	f()
}

// An old copy of vault.key, with the old passphrase, opens nothing after a
// change: the data key itself is new.
func TestOldKeyFileCopyOpensNothingAfterAChange(t *testing.T) {
	dir := t.TempDir()
	o := fileOptions(dir, pass)
	withSetting(t, o, "precious")
	oldKey, err := os.ReadFile(filepath.Join(dir, vault.KeyFileName))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ChangePassphrase(context.Background(), o, pass, "the new passphrase"); err != nil {
		t.Fatal(err)
	}
	if got := setting(t, fileOptions(dir, "the new passphrase")); got != "precious" {
		t.Fatalf("setting after the change = %q", got)
	}
	if err := os.WriteFile(filepath.Join(dir, vault.KeyFileName), oldKey, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(context.Background(), o); !errors.Is(err, store.ErrUnreadable) {
		t.Fatalf("old key file + old passphrase: err = %v, want store.ErrUnreadable", err)
	}
}

func TestChangePassphraseRefusals(t *testing.T) {
	dir := t.TempDir()
	o := fileOptions(dir, pass)
	withSetting(t, o, "v")
	before := snapshot(t, dir)
	for _, c := range []struct {
		old, new string
		want     error
	}{
		{"not the passphrase", "the new passphrase", vault.ErrWrongPassphrase},
		{pass, "short", vault.ErrPassphraseTooShort},
		{pass, "          ", vault.ErrPassphraseBlank},
	} {
		if _, err := ChangePassphrase(context.Background(), o, c.old, c.new); !errors.Is(err, c.want) {
			t.Errorf("ChangePassphrase(%q, %q): err = %v, want %v", c.old, c.new, err, c.want)
		}
	}
	if after := snapshot(t, dir); !maps.Equal(before, after) {
		t.Fatal("a refused change changed the data directory")
	}
}

func TestResetDeletesDataAndKey(t *testing.T) {
	dir := t.TempDir()
	o := fileOptions(dir, pass)
	withSetting(t, o, "gone")
	if err := os.WriteFile(o.SchedulePath(), []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := BeginReset(o)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(r.Items()); n != 3 {
		t.Fatalf("items = %q, want the data file, the schedule file and the key file", r.Items())
	}
	if err := r.Do(context.Background()); err != nil {
		t.Fatal(err)
	}
	r.Close()
	if left := slices.Sorted(maps.Keys(snapshot(t, dir))); !slices.Equal(left, []string{LockFileName}) {
		t.Fatalf("left after reset: %v", left)
	}
	// A fresh start, with any passphrase.
	op := mustOpen(t, fileOptions(dir, "a different passphrase"))
	if _, err := op.Store.Setting("test"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("setting after reset: err = %v, want ErrNotFound", err)
	}
	op.Close()
	r, err = BeginReset(fileOptions(t.TempDir(), pass))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if len(r.Items()) != 0 {
		t.Fatalf("empty directory: items = %q", r.Items())
	}
}
