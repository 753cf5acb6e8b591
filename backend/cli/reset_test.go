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

// The way out of a lost key: `bankdesk accounts` refuses and points at
// reset; reset without --yes and without a terminal deletes nothing; with
// --yes it says what it deletes, deletes it, and the next start is a new,
// empty data directory.
func TestResetStartsOver(t *testing.T) {
	env := standaloneSandbox(t)
	dir := filepath.Join(t.TempDir(), "data")
	maps.Copy(env, map[string]string{"BANKDESK_DATA_DIR": dir, "BANKDESK_KEYRING": "file",
		"BANKDESK_PASSPHRASE": "reset test passphrase", "BANKDESK_TEST_KDF": "cheap"})
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
