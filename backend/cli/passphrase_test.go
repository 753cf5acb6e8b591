package cli

import (
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// After change-passphrase, a copy of vault.key taken before (a backup, a
// synced folder's history) opens nothing with the old passphrase: the data
// key itself is new and every record is sealed under it. Before, the same
// data key was rewrapped, so the old copy kept opening current data.
func TestChangePassphraseLocksOutOldKeyFileCopies(t *testing.T) {
	const oldPass, newPass = "the old passphrase", "the brand new passphrase"
	env, dir := fileVaultEnv(t, oldPass)
	connectOnly(t, env)
	oldKey, err := os.ReadFile(filepath.Join(dir, "vault.key"))
	if err != nil {
		t.Fatal(err)
	}

	change := maps.Clone(env)
	change["BANKDESK_NEW_PASSPHRASE"] = newPass
	if _, errOut, code := run(t, change, "change-passphrase"); code != 0 {
		t.Fatalf("change-passphrase: %s", errOut)
	}
	withNew := maps.Clone(env)
	withNew["BANKDESK_PASSPHRASE"] = newPass
	out, errOut, code := run(t, withNew, "accounts")
	if code != 0 || !strings.Contains(out, "GBP") {
		t.Fatalf("accounts with the new passphrase = %d %q %q", code, out, errOut)
	}

	if err := os.WriteFile(filepath.Join(dir, "vault.key"), oldKey, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, errOut, code := run(t, env, "accounts"); code == 0 {
		t.Fatalf("the old vault.key and the old passphrase still open the current data: %q %q", out, errOut)
	}
}

// Two change-passphrase runs at once: at most one reports success, and the
// passphrase it reports is the one that works.
func TestConcurrentChangePassphrase(t *testing.T) {
	const oldPass = "the old passphrase"
	env, _ := fileVaultEnv(t, oldPass)
	if _, errOut, code := run(t, env, "accounts"); code != 0 {
		t.Fatalf("first run: %s", errOut)
	}
	news := []string{"first new passphrase", "second new passphrase"}
	var errs [2]bytes.Buffer
	var cmds [2]interface{ Wait() error }
	for i, p := range news {
		e := maps.Clone(env)
		e["BANKDESK_NEW_PASSPHRASE"] = p
		cmd := process(e, "change-passphrase")
		cmd.Stderr = &errs[i]
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds[i] = cmd
	}
	var won []string
	for i, cmd := range cmds {
		if cmd.Wait() == nil {
			won = append(won, news[i])
		}
	}
	if len(won) != 1 {
		t.Fatalf("%d change-passphrase runs reported success (stderr: %q, %q), want exactly 1", len(won), errs[0].String(), errs[1].String())
	}
	e := maps.Clone(env)
	e["BANKDESK_PASSPHRASE"] = won[0]
	if _, errOut, code := run(t, e, "accounts"); code != 0 {
		t.Fatalf("accounts with the reported passphrase: %s", errOut)
	}
}
