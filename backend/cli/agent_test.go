package cli

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"bankdesk/backend/agent"
	"bankdesk/backend/agent/agenttest"
)

// fakeAgentHost makes `bankdesk agent` schedule on f, as the program exe,
// for the rest of the test.
func fakeAgentHost(t *testing.T, f *agenttest.System, exe string) {
	t.Helper()
	old := agentHost
	t.Cleanup(func() { agentHost = old })
	agentHost = func(io IO) agent.Host {
		return agent.Host{
			OS: "linux", Getenv: io.Getenv, LookPath: f.LookPath, Run: f.Run,
			Executable: func() (string, error) { return exe, nil },
			Stat:       func(string) (fs.FileInfo, error) { return nil, nil },
			UID:        1000,
			Now:        func() time.Time { return time.Date(2026, 5, 14, 15, 4, 0, 0, time.Local) },
		}
	}
}

type agentJSON struct {
	Supported bool     `json:"supported"`
	Installed bool     `json:"installed"`
	Kind      string   `json:"kind"`
	KindLabel string   `json:"kind_label"`
	Where     []string `json:"where"`
	Command   []string `json:"command"`
	Env       []string `json:"env"`
	Schedule  string   `json:"schedule"`
	NextRun   string   `json:"next_run"`
	Current   bool     `json:"current"`
	Problem   string   `json:"problem"`
}

func agentStatusJSON(t *testing.T, env map[string]string) agentJSON {
	t.Helper()
	out, errOut, code := run(t, env, "agent", "status", "--json")
	if code != 0 {
		t.Fatalf("agent status --json: %d %s", code, errOut)
	}
	var s agentJSON
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("agent status --json: %v\n%s", err, out)
	}
	return s
}

// `bankdesk agent` end to end with a private HOME and a fake systemctl:
// status, install twice, status with the next run, uninstall twice.
func TestAgentCommand(t *testing.T) {
	f := &agenttest.System{Systemd: true, Next: "Fri 2026-05-15 00:07:12 BST"}
	exe := "/opt/Bank Desk/bankdesk"
	fakeAgentHost(t, f, exe)
	home, conf, data := t.TempDir(), t.TempDir(), t.TempDir()
	env := map[string]string{"HOME": home, "XDG_CONFIG_HOME": conf, "BANKDESK_DATA_DIR": data, "BANKDESK_PASSPHRASE": "never in a unit", "BANKDESK_KEYRING": "file"}

	out, errOut, code := run(t, env, "agent", "status")
	if code != 0 || !strings.HasPrefix(out, "Off: no background job is installed.") || !strings.Contains(out, "daily at 00:00 and at login (systemd user timer)") {
		t.Fatalf("status before install: %d %q %q", code, out, errOut)
	}
	out, errOut, code = run(t, env, "agent", "install")
	if code != 0 || !strings.HasPrefix(out, "Turned on: `bankdesk keepalive` runs daily at 00:00 and at login (systemd user timer).") {
		t.Fatalf("install: %d %q %q", code, out, errOut)
	}
	for _, want := range []string{`runs      "/opt/Bank Desk/bankdesk" keepalive`, "with      BANKDESK_DATA_DIR=" + data, "next run  Fri 15 May 2026 00:07",
		filepath.Join(conf, "systemd", "user", "bankdesk-keepalive.service"), filepath.Join(conf, "systemd", "user", "bankdesk-keepalive.timer"), "bankdesk agent uninstall"} {
		if !strings.Contains(out, want) {
			t.Errorf("install output lacks %q:\n%s", want, out)
		}
	}
	if !slices.Contains(f.Commands(), "systemctl --user enable --now bankdesk-keepalive.timer") {
		t.Error("install did not enable the timer")
	}
	out, _, code = run(t, env, "agent", "install")
	if code != 0 || !strings.HasPrefix(out, "Already on:") {
		t.Fatalf("second install: %d %q", code, out)
	}
	entries, _ := os.ReadDir(filepath.Join(conf, "systemd", "user"))
	if len(entries) != 2 {
		t.Errorf("%d entries in the unit folder after two installs", len(entries))
	}
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join(conf, "systemd", "user", e.Name()))
		if strings.Contains(string(b), "never in a unit") || strings.Contains(string(b), "PASSPHRASE") {
			t.Errorf("%s holds the passphrase", e.Name())
		}
	}

	s := agentStatusJSON(t, env)
	if !s.Supported || !s.Installed || s.Kind != "systemd-timer" || s.KindLabel != "systemd user timer" || !s.Current || s.Problem != "" ||
		len(s.Where) != 2 || !slices.Equal(s.Command, []string{exe, "keepalive"}) ||
		!slices.Equal(s.Env, []string{"BANKDESK_DATA_DIR=" + data, "BANKDESK_KEYRING=file"}) {
		t.Errorf("status --json: %+v", s)
	}
	if next, err := time.Parse(time.RFC3339, s.NextRun); err != nil || !next.Equal(time.Date(2026, 5, 15, 0, 7, 12, 0, time.Local)) {
		t.Errorf("next_run %q: %v", s.NextRun, err)
	}
	out, _, _ = run(t, env, "agent", "status")
	if !strings.HasPrefix(out, "On: `bankdesk keepalive` runs daily") || !strings.Contains(out, "next run") {
		t.Errorf("status:\n%s", out)
	}

	out, _, code = run(t, env, "agent", "uninstall")
	if code != 0 || !strings.HasPrefix(out, "Turned off:") {
		t.Fatalf("uninstall: %d %q", code, out)
	}
	if entries, _ := os.ReadDir(filepath.Join(conf, "systemd", "user")); len(entries) != 0 {
		t.Errorf("uninstall left %d files", len(entries))
	}
	out, _, code = run(t, env, "agent", "uninstall")
	if code != 0 || !strings.HasPrefix(out, "Already off:") {
		t.Fatalf("second uninstall: %d %q", code, out)
	}
	if s := agentStatusJSON(t, env); s.Installed || len(s.Where) != 0 || s.NextRun != "" {
		t.Errorf("status after uninstall: %+v", s)
	}
}

// A relative data folder is scheduled absolute: the job starts elsewhere.
func TestAgentSchedulesTheDataDirAbsolute(t *testing.T) {
	fakeAgentHost(t, &agenttest.System{}, "/usr/bin/bankdesk")
	conf := t.TempDir()
	t.Chdir(t.TempDir())
	env := map[string]string{"HOME": t.TempDir(), "XDG_CONFIG_HOME": conf, "BANKDESK_DATA_DIR": "bank data"}
	if out, errOut, code := run(t, env, "agent", "install"); code != 0 || !strings.Contains(out, "login item (XDG autostart)") {
		t.Fatalf("install: %d %q %q", code, out, errOut)
	}
	s := agentStatusJSON(t, env)
	wd, _ := os.Getwd()
	if s.Kind != "xdg-autostart" || s.Schedule != "at login" || !slices.Equal(s.Env, []string{"BANKDESK_DATA_DIR=" + filepath.Join(wd, "bank data")}) {
		t.Errorf("status: %+v", s)
	}
}

func TestAgentUsage(t *testing.T) {
	fakeAgentHost(t, &agenttest.System{}, "/usr/bin/bankdesk")
	for _, args := range [][]string{{"agent"}, {"agent", "start"}, {"agent", "install", "now"}} {
		_, errOut, code := run(t, map[string]string{"HOME": t.TempDir()}, args...)
		if code != 2 || !strings.Contains(errOut, "install, uninstall or status") {
			t.Errorf("%q: %d %q", args, code, errOut)
		}
	}
	// A failing systemctl is reported as a failure, with what failed.
	f := &agenttest.System{Systemd: true, FailWith: "systemctl --user enable"}
	fakeAgentHost(t, f, "/usr/bin/bankdesk")
	_, errOut, code := run(t, map[string]string{"HOME": t.TempDir()}, "agent", "install")
	if code != 1 || !strings.HasPrefix(errOut, "bankdesk agent: install the background job: ") {
		t.Errorf("install with a failing systemctl: %d %q", code, errOut)
	}
}

// `bankdesk consents` warns that a refresh deadline comes before the
// consent's end only while nothing keeps the token in use: once the
// background job is installed for this data, the consent's end is what
// counts.
func TestConsentsKnowTheBackgroundJobKeepsTokensAlive(t *testing.T) {
	f := &agenttest.System{Systemd: true, Next: "Fri 2026-05-15 00:07:12 BST"}
	fakeAgentHost(t, f, "/opt/bankdesk/bankdesk")
	env, _ := cliEnv(t)
	env["HOME"], env["XDG_CONFIG_HOME"] = t.TempDir(), t.TempDir()
	connectAs(t, env, "john", "doe")

	if _, errOut, code := run(t, env, "consents"); code != 0 || !strings.Contains(errOut, "loses access on") {
		t.Fatalf("consents without the job: %d %q", code, errOut)
	}
	if _, errOut, code := run(t, env, "agent", "install"); code != 0 {
		t.Fatalf("agent install: %d %s", code, errOut)
	}
	if _, errOut, code := run(t, env, "consents"); code != 0 || strings.Contains(errOut, "loses access on") {
		t.Fatalf("consents with the job installed: %d %q", code, errOut)
	}
}
