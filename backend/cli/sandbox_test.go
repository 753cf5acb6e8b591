package cli

import (
	"bankdesk/backend/desk"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// `bankdesk sandbox --state FILE` remembers its connections: a connection
// made with one standalone sandbox still syncs with the next one started
// on the same file (new ports, so the old access token is refused and the
// kept refresh token renews it), and the file holds no token.
func TestStandaloneSandboxStateSurvivesARestart(t *testing.T) {
	state := filepath.Join(t.TempDir(), "sandbox.json")
	data := map[string]string{"BANKDESK_DATA_DIR": filepath.Join(t.TempDir(), "data"), "BANKDESK_KEYRING": "file",
		"BANKDESK_PASSPHRASE": "cli sandbox state", "BANKDESK_TEST_KDF": "cheap"}
	env := standaloneSandbox(t, "--state", state)
	maps.Copy(env, data)
	connectOnly(t, env)
	if _, errOut, code := run(t, env, "sync"); code != 0 {
		t.Fatalf("sync: %d %s", code, errOut)
	}
	raw, err := os.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(state); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("state file mode %v %v", info.Mode(), err)
	}
	withDesk(t, env, func(d *desk.Desk) {
		conns, err := d.Store().Connections()
		if err != nil || len(conns) != 1 {
			t.Fatalf("connections %v %v", conns, err)
		}
		if c := conns[0]; strings.Contains(string(raw), c.RefreshToken) || strings.Contains(string(raw), c.AccessToken) {
			t.Fatal("the state file holds a token in clear")
		}
	})

	again := standaloneSandbox(t, "--state", state)
	maps.Copy(again, data)
	if _, errOut, code := run(t, again, "sync"); code != 0 || strings.Contains(errOut, "reconnect") {
		t.Fatalf("sync with the restarted sandbox: %d %s", code, errOut)
	}
}
