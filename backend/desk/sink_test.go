package desk

import (
	"errors"
	"sync"

	"bankdesk/backend/view"
)

// recordSink keeps what the desk reported, for tests.
type recordSink struct {
	mu        sync.Mutex
	reminders []view.ReminderView
	syncs     chan view.SyncDone
	logins    chan error // nil for each Connected, the failure for each ConnectFailed
	changed   int
}

func newRecordSink() *recordSink {
	return &recordSink{syncs: make(chan view.SyncDone, 16), logins: make(chan error, 16)}
}

func (s *recordSink) SyncProgress(view.SyncProgress) {}
func (s *recordSink) SyncDone(d view.SyncDone)       { s.syncs <- d }
func (s *recordSink) Reminder(r view.ReminderView) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reminders = append(s.reminders, r)
	return nil
}
func (s *recordSink) Connected(view.Connected) { s.logins <- nil }
func (s *recordSink) ConnectFailed(f view.ConnectFailed) {
	s.logins <- errors.New(f.Kind + ": " + f.Problem.Message + " (" + f.Problem.Details + ")")
}
func (s *recordSink) DataChanged() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.changed++
}

var _ Sink = (*recordSink)(nil)
