package app

import (
	"context"
	"testing"
	"time"

	"bankdesk/backend/desk"
	"bankdesk/backend/view"
)

// Saved in Settings, 120 minutes is the window's background sync period
// after a restart: the window starts the backend's own schedule
// (desk.Run), which reads the configuration in force, not a copy made
// before the saved settings were read.
func TestTheSavedSyncIntervalIsUsedAfterARestart(t *testing.T) {
	a, _ := newTestApp(t)
	unlock(t, a)
	if _, err := a.SaveSettings(view.EnvironmentChoice{Env: "builtin", SyncIntervalMinutes: 120}); err != nil {
		t.Fatal(err)
	}
	cfg := a.cfg
	a.shutdown(context.Background())

	periods := make(chan time.Duration, 4)
	a = openApp(t, cfg, &fakeRuntime{})
	a.open = func(o desk.Options) (*desk.Desk, error) {
		o.Ticker = func(d time.Duration) (<-chan time.Time, func()) {
			periods <- d
			return nil, func() {}
		}
		return desk.Open(o)
	}
	unlock(t, a)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go a.runBackground(ctx) // what domReady starts, without registering a scheme handler
	for range 2 {
		select {
		case d := <-periods:
			if d == 120*time.Minute {
				return
			}
		case <-time.After(30 * time.Second):
			t.Fatal("the background schedule did not start")
		}
	}
	t.Fatal("the background schedule does not sync every 120 minutes")
}
