package app

import (
	"fmt"

	"bankdesk/backend/desk"
	"bankdesk/backend/view"
)

// sink is the window's desk.Sink: each report becomes a Wails event.
type sink struct{ a *App }

var _ desk.Sink = sink{}

func (s sink) SyncProgress(p view.SyncProgress) { s.a.runtime().EventsEmit(view.EventSyncProgress, p) }
func (s sink) SyncDone(d view.SyncDone)         { s.a.runtime().EventsEmit(view.EventSyncDone, d) }
func (s sink) DataChanged()                     { s.a.runtime().EventsEmit(view.EventDataChanged) }

// Reminder shows a desktop notification and the in-app banner.
func (s sink) Reminder(r view.ReminderView) error {
	rt := s.a.runtime()
	err := rt.Notify(fmt.Sprintf("%s-%s-%d", r.ConnectionID, r.Kind, r.Step), "Bankdesk: "+r.ProviderName, r.Message)
	rt.EventsEmit(view.EventReminder, r)
	return err
}

// Connected and ConnectFailed bring the window forward: the user comes
// back from the bank's page in the browser.
func (s sink) Connected(c view.Connected) {
	rt := s.a.runtime()
	rt.Show()
	rt.EventsEmit(view.EventConnected, c)
}

func (s sink) ConnectFailed(f view.ConnectFailed) {
	rt := s.a.runtime()
	rt.Show()
	rt.EventsEmit(view.EventConnectFailed, f)
}
