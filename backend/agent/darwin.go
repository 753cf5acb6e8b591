package agent

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"howett.net/plist"
)

// macOS: a LaunchAgent (launchd.plist(5)) in ~/Library/LaunchAgents, which
// launchd loads at every login; `launchctl bootstrap` loads it now.

// launchAgent is the plist's dictionary.
type launchAgent struct {
	Label                 string            `plist:"Label"`
	ProgramArguments      []string          `plist:"ProgramArguments"`
	EnvironmentVariables  map[string]string `plist:"EnvironmentVariables,omitempty"`
	RunAtLoad             bool              `plist:"RunAtLoad"` // at load, which is at login
	StartCalendarInterval calendarInterval  `plist:"StartCalendarInterval"`
	ProcessType           string            `plist:"ProcessType"`
}

// calendarInterval without a Day or Weekday is every day.
type calendarInterval struct {
	Hour   int `plist:"Hour"`
	Minute int `plist:"Minute"`
}

func plistPath(h Host) (string, error) {
	home, err := homeDir(h)
	if err != nil {
		return "", err
	}
	return filepath.Join(home, "Library", "LaunchAgents", LaunchdLabel+".plist"), nil
}

// renderLaunchAgent is the LaunchAgent's plist (XML).
func renderLaunchAgent(job Job) ([]byte, error) {
	a := launchAgent{
		Label:                 LaunchdLabel,
		ProgramArguments:      job.Command(),
		RunAtLoad:             true,
		StartCalendarInterval: calendarInterval{Hour: Daily.Hour, Minute: Daily.Minute},
		ProcessType:           "Background", // launchd may throttle it: nobody waits for it
	}
	if len(job.Env) > 0 {
		a.EnvironmentVariables = map[string]string{}
		for _, kv := range job.Env {
			k, v, _ := strings.Cut(kv, "=")
			a.EnvironmentVariables[k] = v
		}
	}
	b, err := plist.MarshalIndent(a, plist.XMLFormat, "\t")
	if err != nil {
		return nil, fmt.Errorf("write the LaunchAgent: %w", err)
	}
	return append(b, '\n'), nil
}

// launchdTarget is the agent's service target in the user's GUI domain.
func launchdTarget(h Host) string { return fmt.Sprintf("gui/%d/%s", h.UID, LaunchdLabel) }

func launchdLoaded(ctx context.Context, h Host) bool {
	_, err := h.Run(ctx, "launchctl", "print", launchdTarget(h))
	return err == nil
}

// launchdJob is the agent as launchd keeps it: loaded from its plist into
// the user's GUI domain, and booted out before a changed plist is loaded,
// since launchd keeps the definition it loaded.
func launchdJob(h Host) (registered, error) {
	path, err := plistPath(h)
	return registered{
		path:     path,
		isLoaded: launchdLoaded,
		load:     []string{"launchctl", "bootstrap", fmt.Sprintf("gui/%d", h.UID), path},
		unload:   []string{"launchctl", "bootout", launchdTarget(h)},
		keepsOld: true,
	}, err
}

func statusLaunchd(ctx context.Context, h Host, want Job) (Status, error) {
	path, err := plistPath(h)
	if err != nil {
		return Status{}, err
	}
	s := Status{Kind: LaunchAgent, Schedule: dailyWords(Daily.Hour, Daily.Minute, true)}
	b, err := os.ReadFile(path)
	if err != nil {
		return s, nil
	}
	s.Installed, s.Files = true, []string{path}
	var a launchAgent
	if _, err := plist.Unmarshal(b, &a); err != nil {
		s.Problem = "its file cannot be read; install it again"
		return s, nil
	}
	s.Command = a.ProgramArguments
	for k, v := range a.EnvironmentVariables {
		s.Env = append(s.Env, k+"="+v)
	}
	slices.Sort(s.Env)
	at := a.StartCalendarInterval
	s.Schedule = dailyWords(at.Hour, at.Minute, a.RunAtLoad)
	s.NextRun = nextDaily(h.Now(), at.Hour, at.Minute)
	if !launchdLoaded(ctx, h) {
		s.Problem = "launchd has not loaded it; it loads at your next login, or install it again"
	}
	if w, err := renderLaunchAgent(want); err == nil {
		s.Current = same([]file{{path, w}})
	}
	return s, nil
}
