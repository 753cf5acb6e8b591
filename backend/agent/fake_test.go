package agent

import (
	"context"
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fakeSystem plays systemctl, launchctl and schtasks: it records each
// command and keeps the state they would change.
type fakeSystem struct {
	ran      []string
	systemd  bool   // a systemd user manager answers
	enabled  bool   // the timer is enabled and active
	next     string // what systemctl shows as the timer's next elapse
	loaded   bool   // launchd has the agent
	task     bool   // Task Scheduler has the task
	failWith string // a command starting with this fails
}

var errExit = errors.New("exit status 1")

func (f *fakeSystem) run(_ context.Context, name string, args ...string) (string, error) {
	line := strings.Join(append([]string{name}, args...), " ")
	f.ran = append(f.ran, line)
	if f.failWith != "" && strings.HasPrefix(line, f.failWith) {
		return "", errExit
	}
	switch name {
	case "systemctl":
		if !f.systemd {
			return "", errors.New("Failed to connect to bus: No medium found")
		}
		switch args[1] {
		case "show":
			if len(args) > 2 && strings.HasPrefix(args[2], "--property=Version") {
				return "Version=252\n", nil
			}
			return f.next + "\n", nil
		case "is-enabled":
			if f.enabled {
				return "enabled\n", nil
			}
			return "disabled\n", errExit
		case "is-active":
			if f.enabled {
				return "active\n", nil
			}
			return "inactive\n", errExit
		case "enable":
			f.enabled = true
		case "disable":
			f.enabled = false
		}
		return "", nil
	case "launchctl":
		switch args[0] {
		case "print":
			if !f.loaded {
				return "", errExit
			}
		case "bootstrap":
			f.loaded = true
		case "bootout":
			if !f.loaded {
				return "", errExit
			}
			f.loaded = false
		}
		return "", nil
	case "schtasks":
		switch args[0] {
		case "/Query":
			if !f.task {
				return "", errExit
			}
		case "/Create":
			f.task = true
		case "/Delete":
			f.task = false
		}
		return "", nil
	}
	return "", errors.New(name + ": not found")
}

// commands is what ran since the last call, and forgets it.
func (f *fakeSystem) commands() []string {
	out := f.ran
	f.ran = nil
	return out
}

// fakeNow is the test's clock: Thursday 14 May 2026, 15:04 local time.
var fakeNow = time.Date(2026, 5, 14, 15, 4, 0, 0, time.Local)

// fakeHost is a host of the system goos with env as its environment,
// HOME (and LOCALAPPDATA) in a temporary directory, running commands on f.
func fakeHost(t *testing.T, goos string, f *fakeSystem, env map[string]string) Host {
	t.Helper()
	home := t.TempDir()
	all := map[string]string{"HOME": home, "LOCALAPPDATA": filepath.Join(home, "AppData", "Local"), "USERNAME": "ann", "USERDOMAIN": "DESK"}
	for k, v := range env {
		all[k] = v
	}
	return Host{
		OS:     goos,
		Getenv: func(k string) string { return all[k] },
		LookPath: func(name string) (string, error) {
			if name == "systemctl" && !f.systemd {
				return "", errors.New("not found")
			}
			return "/usr/bin/" + name, nil
		},
		Run:        f.run,
		Executable: func() (string, error) { return "/opt/Bank Desk/bankdesk", nil },
		Stat: func(p string) (fs.FileInfo, error) {
			if strings.Contains(p, "gone") {
				return nil, fs.ErrNotExist
			}
			return nil, nil
		},
		UID: 501,
		Now: func() time.Time { return fakeNow },
	}
}
