// Package agenttest plays the schedulers' command-line tools (systemctl,
// launchctl, schtasks) for tests of package agent and its callers: it
// records each command and keeps the state the command would change, so
// no test needs a user systemd, a Mac or Windows.
package agenttest

import (
	"context"
	"errors"
	"strings"
	"sync"
)

// System is the fake tools' state. The zero value has no systemd user
// manager, nothing loaded and no task.
type System struct {
	mu       sync.Mutex
	ran      []string
	Systemd  bool   // a systemd user manager answers
	Enabled  bool   // the timer is enabled and active
	Next     string // what systemctl shows as the timer's next elapse
	Loaded   bool   // launchd has the agent
	Task     bool   // Task Scheduler has the task
	FailWith string // a command line starting with this fails
}

// ErrExit is a tool's non-zero exit.
var ErrExit = errors.New("exit status 1")

// errNoBus is systemctl --user without a user manager.
var errNoBus = errors.New("exit status 1: failed to connect to bus: no medium found")

// Run runs a tool's command, as agent.Host.Run does.
func (f *System) Run(_ context.Context, name string, args ...string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	line := strings.Join(append([]string{name}, args...), " ")
	f.ran = append(f.ran, line)
	if f.FailWith != "" && strings.HasPrefix(line, f.FailWith) {
		return "", ErrExit
	}
	switch name {
	case "systemctl":
		return f.systemctl(args)
	case "launchctl":
		return "", f.launchctl(args)
	case "schtasks":
		return "", f.schtasks(args)
	}
	return "", errors.New(name + ": not found")
}

func (f *System) systemctl(args []string) (string, error) {
	if !f.Systemd {
		return "", errNoBus
	}
	if len(args) < 2 || args[0] != "--user" {
		return "", ErrExit
	}
	switch args[1] {
	case "show":
		if len(args) > 2 && args[2] == "--property=Version" {
			return "Version=252\n", nil
		}
		return f.Next + "\n", nil
	case "is-enabled":
		if f.Enabled {
			return "enabled\n", nil
		}
		return "disabled\n", ErrExit
	case "is-active":
		if f.Enabled {
			return "active\n", nil
		}
		return "inactive\n", ErrExit
	case "enable":
		f.Enabled = true
	case "disable":
		f.Enabled = false
	}
	return "", nil
}

func (f *System) launchctl(args []string) error {
	switch args[0] {
	case "print":
		if !f.Loaded {
			return ErrExit
		}
	case "bootstrap":
		f.Loaded = true
	case "bootout":
		if !f.Loaded {
			return ErrExit
		}
		f.Loaded = false
	}
	return nil
}

func (f *System) schtasks(args []string) error {
	switch args[0] {
	case "/Query":
		if !f.Task {
			return ErrExit
		}
	case "/Create":
		f.Task = true
	case "/Delete":
		f.Task = false
	}
	return nil
}

// LookPath finds every tool in /usr/bin, but systemctl only where a
// systemd user manager is.
func (f *System) LookPath(name string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if name == "systemctl" && !f.Systemd {
		return "", errors.New("systemctl: not found")
	}
	return "/usr/bin/" + name, nil
}

// Commands is what ran since the last call, which it forgets.
func (f *System) Commands() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := f.ran
	f.ran = nil
	return out
}
