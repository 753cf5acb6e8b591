package cli

import (
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Two `bankdesk accounts` started together on a fresh data directory, 50
// times over (5 with -short): each pair may serialise or have one say
// "already running", but afterwards every directory opens. Before the
// data-dir lock, both processes minted a key; the loser's key won vault.key
// while the winner's canary sat in the store, and every later start said
// "record cannot be unsealed".
func TestFirstRunRaceNeverBricks(t *testing.T) {
	env, _ := fileVaultEnv(t, "first run race passphrase")
	runs := 50
	if testing.Short() {
		runs = 5
	}
	bricked := 0
	for i := range runs {
		e := maps.Clone(env)
		e["BANKDESK_DATA_DIR"] = filepath.Join(t.TempDir(), "data")
		var outs [2]bytes.Buffer
		a, b := process(e, "accounts"), process(e, "accounts")
		a.Stderr, b.Stderr = &outs[0], &outs[1]
		if err := a.Start(); err != nil {
			t.Fatal(err)
		}
		if err := b.Start(); err != nil {
			t.Fatal(err)
		}
		for j, err := range []error{a.Wait(), b.Wait()} {
			if err != nil && !strings.Contains(outs[j].String(), "already running") {
				t.Errorf("run %d: a first run failed other than with \"already running\": %v\n%s", i, err, outs[j].String())
			}
		}
		_, errOut, code := run(t, e, "accounts")
		if code != 0 {
			bricked++
			t.Errorf("run %d: the data dir no longer opens after two first runs: %s", i, errOut)
		}
	}
	if bricked > 0 {
		t.Fatalf("%d of %d data dirs bricked by two concurrent first runs", bricked, runs)
	}
}

// A data directory that lost its key, or whose key lost its data, stops
// with a sentence that says what to do, and changes nothing: before, a
// deleted vault.key minted a new key (the next error blamed tampering) and
// an empty or deleted bankdesk.db became an empty store, "No accounts yet",
// exit 0.
func TestMissingKeyOrDataIsRefused(t *testing.T) {
	env, _ := fileVaultEnv(t, "missing key passphrase")
	cases := map[string]struct {
		damage func(dir string) error
		want   string
	}{
		"vault.key deleted": {func(dir string) error { return os.Remove(filepath.Join(dir, "vault.key")) },
			"the encryption key for this data is missing: restore it, or start over with `bankdesk reset`"},
		"bankdesk.db emptied": {func(dir string) error { return os.Truncate(filepath.Join(dir, "bankdesk.db"), 0) },
			"start over with `bankdesk reset`"},
		"bankdesk.db deleted": {func(dir string) error { return os.Remove(filepath.Join(dir, "bankdesk.db")) },
			"start over with `bankdesk reset`"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			e := maps.Clone(env)
			dir := filepath.Join(t.TempDir(), "data")
			e["BANKDESK_DATA_DIR"] = dir
			if _, errOut, code := run(t, e, "accounts"); code != 0 {
				t.Fatalf("first run: %s", errOut)
			}
			if err := tc.damage(dir); err != nil {
				t.Fatal(err)
			}
			before := snapshotDir(t, dir)
			for range 2 {
				out, errOut, code := run(t, e, "accounts")
				if code != 1 || !strings.Contains(errOut, tc.want) {
					t.Fatalf("accounts = %d %q %q, want exit 1 saying %q", code, out, errOut, tc.want)
				}
			}
			if after := snapshotDir(t, dir); !maps.Equal(before, after) {
				t.Fatalf("the refused start changed the data dir:\nbefore %v\nafter  %v", keys(before), keys(after))
			}
		})
	}
}

func keys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }

// The way out of a lost key: `bankdesk accounts` refuses and points at
// reset; reset without --yes and without a terminal deletes nothing; with
// --yes it says what it deletes, deletes it, and the next start is a new,
// empty data directory.
func TestResetStartsOver(t *testing.T) {
	env, dir := fileVaultEnv(t, "reset test passphrase")
	connectOnly(t, env)
	if err := os.Remove(filepath.Join(dir, "vault.key")); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := run(t, env, "accounts"); code != 1 || !strings.Contains(errOut, "bankdesk reset") {
		t.Fatalf("accounts without its key = %d %q", code, errOut)
	}

	before := snapshotDir(t, dir)
	ask := process(env, "reset") // stdin is /dev/null: no one to confirm
	var errOut bytes.Buffer
	ask.Stderr = &errOut
	if err := ask.Run(); err == nil || !strings.Contains(errOut.String(), "confirm with `bankdesk reset --yes`") {
		t.Fatalf("reset without --yes: %v %q", err, errOut.String())
	}
	if after := snapshotDir(t, dir); !maps.Equal(before, after) {
		t.Fatal("reset without confirmation deleted something")
	}

	_, said, code := run(t, env, "reset", "--yes")
	if code != 0 || !strings.Contains(said, filepath.Join(dir, "bankdesk.db")) || !strings.Contains(said, "Deleted.") {
		t.Fatalf("reset --yes = %d %q", code, said)
	}
	if left := slices.Sorted(maps.Keys(snapshotDir(t, dir))); !slices.Equal(left, []string{"bankdesk.lock"}) {
		t.Fatalf("left after reset: %v", left)
	}
	out, errOut2, code := run(t, env, "accounts")
	if code != 0 || !strings.Contains(errOut2+out, "No accounts yet") {
		t.Fatalf("accounts after reset = %d %q %q", code, out, errOut2)
	}
	if _, said, _ := run(t, env, "reset", "--yes"); !strings.Contains(said, "bankdesk.db") {
		t.Fatalf("second reset: %q", said)
	}
}
