package cli

import (
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const backupPass = "cli backup passphrase"

// otherComputer is env with a data directory of its own and another
// passphrase for its vault: the same bank, another computer.
func otherComputer(t *testing.T, env map[string]string) map[string]string {
	t.Helper()
	other := maps.Clone(env)
	other["BANKDESK_DATA_DIR"] = t.TempDir()
	other["BANKDESK_PASSPHRASE"] = "the other computer's passphrase"
	return other
}

// `bankdesk backup -o FILE` on one computer and `bankdesk restore FILE` on
// another: the same transactions there, and sync goes on. Restoring again
// needs --force, and leaves the data as it was without it.
func TestBackupThenRestoreOnAnotherComputer(t *testing.T) {
	t.Setenv("BANKDESK_TEST_KDF", "cheap") // the vault and the backup read it from the process
	env, _ := syncedEnv(t)
	env[backupPassphraseEnv] = backupPass
	want, _, _ := run(t, env, "transactions", "--json")
	file := filepath.Join(t.TempDir(), "bankdesk.age")
	if out, errOut, code := run(t, env, "backup", "-o", file); code != 0 || out != "" || !strings.HasPrefix(errOut, "Backed up 1 connection, 3 accounts and ") {
		t.Fatalf("backup: %d %q %q", code, out, errOut)
	}
	if info, err := os.Stat(file); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("the backup file: %v %v", info, err)
	}

	other := otherComputer(t, env)
	_, errOut, code := run(t, other, "restore", file)
	if code != 0 || !strings.HasPrefix(errOut, "Restored the backup of ") {
		t.Fatalf("restore: %d %q", code, errOut)
	}
	if got, _, _ := run(t, other, "transactions", "--json"); got != want || want == "" {
		t.Errorf("the restored transactions differ (%d bytes, want %d)", len(got), len(want))
	}
	if _, errOut, code := run(t, other, "sync"); code != 0 {
		t.Fatalf("sync after the restore: %d %s", code, errOut)
	}

	db := filepath.Join(other["BANKDESK_DATA_DIR"], "bankdesk.db")
	before, _ := os.ReadFile(db)
	_, errOut, code = run(t, other, "restore", file)
	if code != 1 || !strings.Contains(errOut, "already holds Bankdesk data") || !strings.Contains(errOut, "--force") {
		t.Errorf("restore onto data: %d %q", code, errOut)
	}
	if after, _ := os.ReadFile(db); string(after) != string(before) {
		t.Error("a refused restore changed the data file")
	}
	if _, errOut, code := run(t, other, "restore", "--force", file); code != 0 {
		t.Errorf("restore --force: %d %q", code, errOut)
	}
}

// What goes wrong is said in a sentence (the details after it), with nothing
// changed: a wrong passphrase, a damaged backup, another kind of file, a
// missing passphrase (before anything opens), a missing file.
func TestBackupAndRestoreRefusalsAreSentences(t *testing.T) {
	t.Setenv("BANKDESK_TEST_KDF", "cheap")
	env, _ := syncedEnv(t)
	env[backupPassphraseEnv] = backupPass
	dir := t.TempDir()
	file := filepath.Join(dir, "bankdesk.age")
	if _, errOut, code := run(t, env, "backup", "-o", file); code != 0 {
		t.Fatalf("backup: %s", errOut)
	}
	good, _ := os.ReadFile(file)
	damaged := []byte(string(good))
	damaged[len(damaged)/2] ^= 0x10
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	wrong := otherComputer(t, env)
	wrong[backupPassphraseEnv] = "not the backup passphrase"
	noPass := otherComputer(t, env)
	delete(noPass, backupPassphraseEnv)
	short := maps.Clone(env)
	short[backupPassphraseEnv] = "short"

	for _, c := range []struct {
		name string
		env  map[string]string
		args []string
		code int
		want string
	}{
		{"wrong passphrase", wrong, []string{"restore", file}, 1, "bankdesk restore: That backup passphrase is not right; check it (capital letters count) and try again. Nothing was changed.\n"},
		{"damaged", otherComputer(t, env), []string{"restore", write("damaged.age", damaged)}, 1, "bankdesk restore: This backup is damaged or incomplete"},
		{"cut short", otherComputer(t, env), []string{"restore", write("cut.age", good[:len(good)-1])}, 1, "bankdesk restore: This backup is damaged or incomplete"},
		{"not a backup", otherComputer(t, env), []string{"restore", write("notes.csv", []byte("a,b\n"))}, 1, "bankdesk restore: This file is not a Bankdesk backup. Nothing was changed.\n"},
		{"no such file", otherComputer(t, env), []string{"restore", filepath.Join(dir, "gone.age")}, 1, "bankdesk restore: Bankdesk cannot find " + filepath.Join(dir, "gone.age") + ". Check the name and the folder, and try again.\n"},
		{"no passphrase to restore", noPass, []string{"restore", file}, 2, "bankdesk restore: set BANKDESK_BACKUP_PASSPHRASE, or run at a terminal"},
		{"no passphrase to back up", noPass, []string{"backup", "-o", file}, 2, "bankdesk backup: set BANKDESK_BACKUP_PASSPHRASE"},
		{"no -o", env, []string{"backup"}, 2, "bankdesk backup: -o is required\n"},
		{"a missing folder", env, []string{"backup", "-o", filepath.Join(dir, "nope", "b.age")}, 1, "is in a folder that does not exist\n"},
		{"a short passphrase", short, []string{"backup", "-o", filepath.Join(dir, "short.age")}, 1, "bankdesk backup: A backup passphrase needs at least 8 characters"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, errOut, code := run(t, c.env, c.args...)
			// A sentence, and perhaps the technical line after it.
			lines := strings.Split(strings.TrimSuffix(errOut, "\n"), "\n")
			if code != c.code || !strings.Contains(errOut, c.want) || len(lines) > 2 || len(lines) == 2 && !strings.HasPrefix(lines[1], "Details: ") {
				t.Errorf("%v: %d %q, want %d and %q", c.args, code, errOut, c.code, c.want)
			}
			if c.args[0] == "restore" && c.env["BANKDESK_DATA_DIR"] != env["BANKDESK_DATA_DIR"] {
				if _, err := os.Stat(filepath.Join(c.env["BANKDESK_DATA_DIR"], "bankdesk.db")); !os.IsNotExist(err) {
					t.Errorf("a refused restore left a data file (%v)", err)
				}
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "short.age")); !os.IsNotExist(err) {
		t.Errorf("a refused backup was written (%v)", err)
	}
}
