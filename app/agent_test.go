package app

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"bankdesk/backend/agent"
	"bankdesk/backend/agent/agenttest"
)

// fakeAgentHost schedules the background job on f, in a private HOME,
// for the rest of the test.
func fakeAgentHost(t *testing.T, f *agenttest.System) (home string) {
	t.Helper()
	home = t.TempDir()
	old := agentHost
	t.Cleanup(func() { agentHost = old })
	agentHost = func() agent.Host {
		return agent.Host{
			OS: "linux", Getenv: func(k string) string { return map[string]string{"HOME": home}[k] }, LookPath: f.LookPath, Run: f.Run,
			Executable: func() (string, error) { return "/opt/bankdesk/bankdesk", nil },
			Stat:       func(string) (fs.FileInfo, error) { return nil, nil },
			Now:        time.Now,
		}
	}
	return home
}

// The Settings switch and the one-time offer: offered after unlocking,
// on installs the timer for the window's data folder and closes the offer,
// off removes it; "Not now" closes the offer without installing.
func TestAgentSwitchAndOffer(t *testing.T) {
	f := &agenttest.System{Systemd: true}
	home := fakeAgentHost(t, f)
	a, _ := newTestApp(t)
	unlock(t, a)
	if offer, err := a.AgentOffer(); err != nil || !offer {
		t.Fatalf("offer on a new data folder: %v %v", offer, err)
	}
	s, err := a.SetAgent(true)
	if err != nil || !s.Installed || s.Kind != "systemd-timer" || s.NextRun == "" || !f.Enabled {
		t.Fatalf("switch on: %+v %v", s, err)
	}
	if len(s.Env) != 1 || s.Env[0] != "BANKDESK_DATA_DIR="+a.cfg.DataDir {
		t.Errorf("the job runs on %q, want the window's data folder %s", s.Env, a.cfg.DataDir)
	}
	if _, err := os.Stat(filepath.Join(home, ".config", "systemd", "user", "bankdesk-keepalive.timer")); err != nil {
		t.Error(err)
	}
	if offer, _ := a.AgentOffer(); offer {
		t.Error("offered again after the switch was turned on")
	}
	if s, err = a.SetAgent(false); err != nil || s.Installed || f.Enabled {
		t.Fatalf("switch off: %+v %v", s, err)
	}
	if offer, _ := a.AgentOffer(); offer {
		t.Error("offered again after the switch was turned off")
	}

	// A new data folder: "Not now" answers it without installing.
	b, _ := newTestApp(t)
	unlock(t, b)
	if offer, _ := b.AgentOffer(); !offer {
		t.Fatal("a new data folder is not offered the job")
	}
	if err := b.DeclineAgentOffer(); err != nil {
		t.Fatal(err)
	}
	if offer, _ := b.AgentOffer(); offer {
		t.Error("offered again after Not now")
	}
	if s, _ := b.AgentStatus(); s.Installed {
		t.Error("Not now installed the job")
	}

	// A failure speaks to a person; the system's words go to the log.
	f.FailWith = "systemctl --user enable"
	_, err = a.SetAgent(true)
	if err == nil || !strings.HasPrefix(err.Error(), "Bankdesk could not turn on the background job.") || strings.Contains(err.Error(), "exit status") {
		t.Errorf("a failing systemctl: %v", err)
	}
}
