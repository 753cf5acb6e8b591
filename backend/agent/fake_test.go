package agent

import (
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"bankdesk/backend/agent/agenttest"
)

// fakeNow is the test's clock: Thursday 14 May 2026, 15:04 local time.
var fakeNow = time.Date(2026, 5, 14, 15, 4, 0, 0, time.Local)

// fakeHost is a host of the system goos with env as its environment,
// HOME (and LOCALAPPDATA) in a temporary directory, running commands on
// f. A program whose path says "gone" does not exist.
func fakeHost(t *testing.T, goos string, f *agenttest.System, env map[string]string) Host {
	t.Helper()
	home := t.TempDir()
	all := map[string]string{"HOME": home, "LOCALAPPDATA": filepath.Join(home, "AppData", "Local"), "USERNAME": "ann", "USERDOMAIN": "DESK"}
	for k, v := range env {
		all[k] = v
	}
	return Host{
		OS:         goos,
		Getenv:     func(k string) string { return all[k] },
		LookPath:   f.LookPath,
		Run:        f.Run,
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
