package agent

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"bankdesk/backend/agent/agenttest"
	"bankdesk/backend/config"
)

// filesUnder lists every file below dir, relative to it.
func filesUnder(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return out
}

func testJob(exe string) Job {
	return Job{Exe: exe, Args: []string{KeepAliveVerb}, Env: []string{"BANKDESK_DATA_DIR=/home/ann/.local/share/bankdesk"}}
}

// Install is idempotent: twice is one set of files and nothing done the
// second time; a moved program rewrites the units; uninstall removes
// them, and twice is not an error; status follows each step.
func TestSystemdInstallTwiceMoveUninstall(t *testing.T) {
	ctx := context.Background()
	f := &agenttest.System{Systemd: true, Next: "@1778803200"}
	h := fakeHost(t, "linux", f, nil)
	home := h.Getenv("HOME")
	job := testJob("/opt/Bank Desk/bankdesk")

	s, err := StatusOf(ctx, h, job)
	if err != nil || s.Installed || !s.Supported || s.Kind != SystemdTimer || len(s.Files) != 0 {
		t.Fatalf("status before install: %+v %v", s, err)
	}
	f.Commands()
	changed, err := Install(ctx, h, job)
	if err != nil || !changed {
		t.Fatalf("install: changed=%v err=%v", changed, err)
	}
	if got, want := f.Commands(), []string{"systemctl --user show --property=Version", "systemctl --user daemon-reload", "systemctl --user enable --now bankdesk-keepalive.timer"}; !slices.Equal(got, want) {
		t.Errorf("install ran %q, want %q", got, want)
	}
	units := filepath.Join(home, ".config", "systemd", "user")
	if got := filesUnder(t, home); !slices.Equal(got, []string{".config/systemd/user/bankdesk-keepalive.service", ".config/systemd/user/bankdesk-keepalive.timer"}) {
		t.Fatalf("files after install: %q", got)
	}
	changed, err = Install(ctx, h, job)
	if err != nil || changed {
		t.Fatalf("second install: changed=%v err=%v", changed, err)
	}
	for _, c := range f.Commands() {
		if strings.Contains(c, "enable --now") || strings.Contains(c, "daemon-reload") {
			t.Errorf("the second install ran %q", c)
		}
	}
	if got := filesUnder(t, home); len(got) != 2 {
		t.Fatalf("files after the second install: %q", got)
	}

	s, err = StatusOf(ctx, h, job)
	if err != nil || !s.Installed || s.Kind != SystemdTimer || !s.Current || s.Problem != "" {
		t.Fatalf("status: %+v %v", s, err)
	}
	if !slices.Equal(s.Command, job.Command()) || !slices.Equal(s.Env, job.Env) || s.Schedule != "daily at 00:00 and at login" {
		t.Errorf("status says it runs %q %q %q", s.Command, s.Env, s.Schedule)
	}
	if !s.NextRun.Equal(time.Unix(1778803200, 0)) {
		t.Errorf("next run %s, want what systemctl said", s.NextRun)
	}
	if !slices.Contains(f.Commands(), "systemctl --user show bankdesk-keepalive.timer --property=NextElapseUSecRealtime --value --timestamp=unix") {
		t.Error("status did not ask systemd for the next run")
	}

	// The program moved: the status says so, install rewrites the service.
	moved := testJob("/usr/local/bin/bankdesk")
	if s, _ := StatusOf(ctx, h, moved); s.Current || s.Problem != "it runs another copy of Bankdesk (/opt/Bank Desk/bankdesk); install it again to run this one" {
		t.Errorf("status for another program: current %v, problem %q", s.Current, s.Problem)
	}
	otherDir := job
	otherDir.Env = []string{"BANKDESK_DATA_DIR=/home/ann/other"}
	if s, _ := StatusOf(ctx, h, otherDir); s.Current || !strings.Contains(s.Problem, "other settings") {
		t.Errorf("status for another data folder: current %v, problem %q", s.Current, s.Problem)
	}
	changed, err = Install(ctx, h, moved)
	if err != nil || !changed {
		t.Fatalf("install after a move: changed=%v err=%v", changed, err)
	}
	if !slices.Contains(f.Commands(), "systemctl --user daemon-reload") {
		t.Error("rewritten units were not reloaded")
	}
	if b, _ := os.ReadFile(filepath.Join(units, UnitName+".service")); !strings.Contains(string(b), `ExecStart="/usr/local/bin/bankdesk" keepalive`) {
		t.Errorf("service after the move:\n%s", b)
	}

	removed, err := Uninstall(ctx, h)
	if err != nil || !removed {
		t.Fatalf("uninstall: removed=%v err=%v", removed, err)
	}
	if !slices.Contains(f.Commands(), "systemctl --user disable --now bankdesk-keepalive.timer") || f.Enabled {
		t.Error("uninstall did not disable the timer")
	}
	if got := filesUnder(t, home); len(got) != 0 {
		t.Fatalf("files after uninstall: %q", got)
	}
	removed, err = Uninstall(ctx, h)
	if err != nil || removed {
		t.Fatalf("second uninstall: removed=%v err=%v", removed, err)
	}
	if s, err := StatusOf(ctx, h, job); err != nil || s.Installed || !s.NextRun.IsZero() {
		t.Fatalf("status after uninstall: %+v %v", s, err)
	}
}

// A timer the user turned off is turned on again by install, and status
// says it is off.
func TestSystemdInstallEnablesADisabledTimer(t *testing.T) {
	ctx := context.Background()
	f := &agenttest.System{Systemd: true}
	h := fakeHost(t, "linux", f, nil)
	job := testJob("/usr/bin/bankdesk")
	if _, err := Install(ctx, h, job); err != nil {
		t.Fatal(err)
	}
	f.Enabled = false // systemctl --user disable --now
	s, _ := StatusOf(ctx, h, job)
	if !s.Installed || s.Problem == "" || !s.NextRun.IsZero() {
		t.Errorf("status of a disabled timer: %+v", s)
	}
	changed, err := Install(ctx, h, job)
	if err != nil || !changed || !f.Enabled {
		t.Fatalf("install of a disabled timer: changed=%v err=%v enabled=%v", changed, err, f.Enabled)
	}
	// No next run from systemd: computed from the unit.
	s, _ = StatusOf(ctx, h, job)
	if s.Problem != "" || !s.NextRun.Equal(time.Date(2026, 5, 15, 0, 0, 0, 0, time.Local)) {
		t.Errorf("status: problem %q, next run %s", s.Problem, s.NextRun)
	}
	// A failing systemctl is an error, not a silent success.
	f.FailWith = "systemctl --user enable"
	f.Enabled = false
	if _, err := Install(ctx, h, job); err == nil {
		t.Error("install reported success although enabling the timer failed")
	}
}

// Without a systemd user manager the job is an autostart entry (login
// only); once systemd is there, install moves it to the timer and leaves
// one set of files.
func TestAutostartWithoutSystemd(t *testing.T) {
	ctx := context.Background()
	f := &agenttest.System{}
	conf := t.TempDir()
	h := fakeHost(t, "linux", f, map[string]string{"XDG_CONFIG_HOME": conf})
	job := testJob("/opt/Bank Desk/bankdesk")
	if s, _ := StatusOf(ctx, h, job); s.Kind != XDGAutostart || s.Installed {
		t.Fatalf("status before: %+v", s)
	}
	for i, want := range []bool{true, false} {
		if changed, err := Install(ctx, h, job); err != nil || changed != want {
			t.Fatalf("install %d: changed=%v err=%v", i+1, changed, err)
		}
	}
	if got := filesUnder(t, conf); !slices.Equal(got, []string{"autostart/bankdesk-keepalive.desktop"}) {
		t.Fatalf("files: %q", got)
	}
	s, err := StatusOf(ctx, h, job)
	if err != nil || !s.Installed || s.Kind != XDGAutostart || s.Schedule != "at login" || !s.NextRun.IsZero() || !s.Current {
		t.Fatalf("status: %+v %v", s, err)
	}
	if !slices.Equal(s.Command, job.Command()) || !slices.Equal(s.Env, job.Env) {
		t.Errorf("status says it runs %q %q", s.Command, s.Env)
	}

	f.Systemd = true
	if s, _ := StatusOf(ctx, h, job); s.Problem == "" {
		t.Error("status does not say a login-only entry could be a daily timer now")
	}
	if changed, err := Install(ctx, h, job); err != nil || !changed {
		t.Fatalf("install with systemd: changed=%v err=%v", changed, err)
	}
	if got := filesUnder(t, conf); !slices.Equal(got, []string{"systemd/user/bankdesk-keepalive.service", "systemd/user/bankdesk-keepalive.timer"}) {
		t.Fatalf("files after moving to systemd: %q", got)
	}

	// And back: units left by an earlier install go, link and all.
	f.Systemd = false
	links := filepath.Join(conf, "systemd", "user", "timers.target.wants")
	if err := os.MkdirAll(links, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../bankdesk-keepalive.timer", filepath.Join(links, UnitName+".timer")); err != nil {
		t.Fatal(err)
	}
	if _, err := Install(ctx, h, job); err != nil {
		t.Fatal(err)
	}
	if got := filesUnder(t, conf); !slices.Equal(got, []string{"autostart/bankdesk-keepalive.desktop"}) {
		t.Fatalf("files after moving back: %q", got)
	}
	if removed, err := Uninstall(ctx, h); err != nil || !removed || len(filesUnder(t, conf)) != 0 {
		t.Fatalf("uninstall: %v %v %q", removed, err, filesUnder(t, conf))
	}
}

func TestLaunchAgentInstallTwiceUninstall(t *testing.T) {
	ctx := context.Background()
	f := &agenttest.System{}
	h := fakeHost(t, "darwin", f, nil)
	home := h.Getenv("HOME")
	job := testJob("/Applications/Bankdesk.app/Contents/MacOS/bankdesk")
	plistFile := filepath.Join(home, "Library", "LaunchAgents", LaunchdLabel+".plist")

	if changed, err := Install(ctx, h, job); err != nil || !changed {
		t.Fatalf("install: %v %v", changed, err)
	}
	if !slices.Contains(f.Commands(), "launchctl bootstrap gui/501 "+plistFile) {
		t.Error("install did not bootstrap the agent into the user's GUI domain")
	}
	if changed, err := Install(ctx, h, job); err != nil || changed {
		t.Fatalf("second install: %v %v", changed, err)
	}
	for _, c := range f.Commands() {
		if !strings.HasPrefix(c, "launchctl print") {
			t.Errorf("the second install ran %q", c)
		}
	}
	if got := filesUnder(t, home); !slices.Equal(got, []string{"Library/LaunchAgents/" + LaunchdLabel + ".plist"}) {
		t.Fatalf("files: %q", got)
	}
	s, err := StatusOf(ctx, h, job)
	if err != nil || !s.Installed || s.Kind != LaunchAgent || !s.Current || s.Problem != "" ||
		!slices.Equal(s.Command, job.Command()) || !slices.Equal(s.Env, job.Env) || s.Schedule != "daily at 00:00 and at login" ||
		!s.NextRun.Equal(time.Date(2026, 5, 15, 0, 0, 0, 0, time.Local)) {
		t.Fatalf("status: %+v %v", s, err)
	}
	// A new program path: the old definition is booted out first.
	if changed, err := Install(ctx, h, testJob("/Users/ann/Applications/Bankdesk.app/Contents/MacOS/bankdesk")); err != nil || !changed {
		t.Fatalf("install after a move: %v %v", changed, err)
	}
	if got := f.Commands(); !slices.Contains(got, "launchctl bootout gui/501/"+LaunchdLabel) || !slices.Contains(got, "launchctl bootstrap gui/501 "+plistFile) {
		t.Errorf("reinstall ran %q", got)
	}
	if removed, err := Uninstall(ctx, h); err != nil || !removed || f.Loaded || len(filesUnder(t, home)) != 0 {
		t.Fatalf("uninstall: %v %v loaded=%v", removed, err, f.Loaded)
	}
	if removed, err := Uninstall(ctx, h); err != nil || removed {
		t.Fatalf("second uninstall: %v %v", removed, err)
	}
}

func TestScheduledTaskInstallTwiceUninstall(t *testing.T) {
	ctx := context.Background()
	f := &agenttest.System{}
	h := fakeHost(t, "windows", f, nil)
	job := Job{Exe: `C:\Program Files\Bankdesk\bankdesk.exe`, Args: []string{KeepAliveVerb}}
	xmlFile := filepath.Join(h.Getenv("LOCALAPPDATA"), "Bankdesk", UnitName+".xml")

	if changed, err := Install(ctx, h, job); err != nil || !changed {
		t.Fatalf("install: %v %v", changed, err)
	}
	if !slices.Contains(f.Commands(), `schtasks /Create /TN Bankdesk\KeepAlive /XML `+xmlFile+` /F`) {
		t.Error("install did not register the task from its XML")
	}
	if changed, err := Install(ctx, h, job); err != nil || changed {
		t.Fatalf("second install: %v %v", changed, err)
	}
	if got := f.Commands(); !slices.Equal(got, []string{`schtasks /Query /TN Bankdesk\KeepAlive`}) {
		t.Errorf("the second install ran %q", got)
	}
	s, err := StatusOf(ctx, h, job)
	if err != nil || !s.Installed || s.Kind != ScheduledTask || s.Task != TaskName || !s.Current ||
		!slices.Equal(s.Command, job.Command()) || s.Schedule != "daily at 00:00 and at login" || s.NextRun.IsZero() {
		t.Fatalf("status: %+v %v", s, err)
	}
	f.Task = false // deleted in Task Scheduler's window
	if s, _ := StatusOf(ctx, h, job); s.Problem == "" || !s.NextRun.IsZero() {
		t.Errorf("status of a task Task Scheduler lost: %+v", s)
	}
	if changed, err := Install(ctx, h, job); err != nil || !changed || !f.Task {
		t.Fatalf("install of a lost task: %v %v", changed, err)
	}
	if removed, err := Uninstall(ctx, h); err != nil || !removed || f.Task {
		t.Fatalf("uninstall: %v %v", removed, err)
	}
	if _, err := os.Stat(xmlFile); !os.IsNotExist(err) {
		t.Errorf("the XML is still there: %v", err)
	}
	if removed, err := Uninstall(ctx, h); err != nil || removed {
		t.Fatalf("second uninstall: %v %v", removed, err)
	}
	// Settings cannot reach a task's program: refused, nothing written.
	var no *RefusedError
	if _, err := Install(ctx, h, testJob(`C:\Program Files\Bankdesk\bankdesk.exe`)); !errors.As(err, &no) || !strings.Contains(no.Reason, "BANKDESK_DATA_DIR") {
		t.Errorf("install with a data dir setting on Windows: %v", err)
	}
	if _, err := os.Stat(xmlFile); !os.IsNotExist(err) {
		t.Errorf("a refused install wrote the XML: %v", err)
	}
}

func TestUnsupportedSystem(t *testing.T) {
	h := fakeHost(t, "plan9", &agenttest.System{}, nil)
	if _, err := Install(context.Background(), h, testJob("/bin/bankdesk")); err != ErrUnsupported {
		t.Errorf("install on plan9: %v", err)
	}
	if s, err := StatusOf(context.Background(), h, testJob("/bin/bankdesk")); err != nil || s.Supported || s.Installed {
		t.Errorf("status on plan9: %+v %v", s, err)
	}
	if removed, err := Uninstall(context.Background(), h); err != nil || removed {
		t.Errorf("uninstall on plan9: %v %v", removed, err)
	}
}

// The job carries where the data is and nothing secret: not the
// passphrase, the client secret or a token, whatever the environment
// holds; no unit of any system has them.
func TestNoSecretInAnyUnit(t *testing.T) {
	secrets := map[string]string{
		"BANKDESK_PASSPHRASE":    "correct horse battery staple",
		"BANKDESK_CLIENT_SECRET": "sandbox-secret-0123456789",
		"BANKDESK_CLIENT_ID":     "sandbox-client-id-42",
		"BANKDESK_AUTH_URL":      "http://127.0.0.1:1234",
		"BANKDESK_API_URL":       "http://127.0.0.1:1235",
		"BANKDESK_ENV":           "sandbox",
	}
	env := map[string]string{"BANKDESK_VAULT_DIR": "/home/ann/vault", "BANKDESK_KEYRING": "file"}
	for k, v := range secrets {
		env[k] = v
	}
	for _, goos := range []string{"linux", "darwin", "windows"} {
		f := &agenttest.System{Systemd: true}
		h := fakeHost(t, goos, f, env)
		if goos == "windows" {
			h.Executable = func() (string, error) { return `C:\Bank Desk\bankdesk.exe`, nil }
			local := t.TempDir()
			h.Getenv = func(k string) string {
				if strings.HasPrefix(k, "BANKDESK_") {
					return secrets[k]
				}
				return map[string]string{"LOCALAPPDATA": local}[k]
			}
		}
		cfg, err := config.FromEnv(h.Getenv)
		if err != nil {
			t.Fatal(err)
		}
		cfg.DataDir = "/home/ann/.local/share/bankdesk"
		job, err := KeepAlive(h, cfg)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		switch goos {
		case "windows":
			want = nil // only settings set explicitly, and none that locate the data are
		default:
			want = []string{"BANKDESK_DATA_DIR=/home/ann/.local/share/bankdesk", "BANKDESK_VAULT_DIR=/home/ann/vault", "BANKDESK_KEYRING=file"}
		}
		if exe, _ := h.Executable(); !slices.Equal(job.Env, want) || !slices.Equal(job.Args, []string{"keepalive"}) || job.Exe != exe {
			t.Errorf("%s: job %+v, want env %q", goos, job, want)
		}
		if _, err := Install(context.Background(), h, job); err != nil {
			t.Fatalf("%s: %v", goos, err)
		}
		s, _ := StatusOf(context.Background(), h, job)
		if len(s.Files) == 0 {
			t.Fatalf("%s: no files", goos)
		}
		for _, p := range s.Files {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			// UTF-16's zero bytes dropped: the ASCII text shows.
			text := strings.ToLower(strings.ReplaceAll(string(b), "\x00", ""))
			// Task Scheduler's name for "as the signed-in user, no password".
			text = strings.ReplaceAll(text, "<logontype>interactivetoken</logontype>", "")
			for k, v := range secrets {
				if strings.Contains(text, strings.ToLower(v)) || strings.Contains(text, strings.ToLower(k)) {
					t.Errorf("%s: %s holds %s", goos, p, k)
				}
			}
			for _, word := range []string{"token", "secret", "passphrase", "password"} {
				if strings.Contains(text, word) {
					t.Errorf("%s: %s mentions %q", goos, p, word)
				}
			}
		}
	}
}

// A job whose program was deleted or moved says so: the schedule would
// fail every day without a word.
func TestStatusSaysTheProgramIsGone(t *testing.T) {
	ctx := context.Background()
	f := &agenttest.System{Systemd: true}
	h := fakeHost(t, "linux", f, nil)
	old := testJob("/home/ann/Downloads/gone/bankdesk")
	if _, err := Install(ctx, h, old); err != nil {
		t.Fatal(err)
	}
	s, err := StatusOf(ctx, h, testJob("/usr/bin/bankdesk"))
	if err != nil || !s.Installed || s.Current || !strings.Contains(s.Problem, "gone") {
		t.Fatalf("status: %+v %v", s, err)
	}
}
