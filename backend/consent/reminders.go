package consent

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"time"

	"bankdesk/backend/store"
)

// Reminder kinds: which deadline a reminder is about.
const (
	KindConsent = "consent" // the 90-day consent ends; the user renews it
	KindRefresh = "refresh" // the refresh token lapses unless Bankdesk syncs
)

// Steps are the days before a deadline at which a reminder is due.
var Steps = []int{14, 7, 3, 1}

// Reminder is one step reached before one deadline of one connection.
type Reminder struct {
	ConnectionID, ProviderName string
	Kind                       string // KindConsent or KindRefresh
	Step                       int    // one of Steps
	Deadline                   time.Time
	DaysLeft                   int    // whole days until Deadline, rounded down
	Message                    string // one plain sentence for the user
}

// remindersSetting is the store setting holding fired steps and snoozes.
// One sealed record: a handful of entries per connection.
const remindersSetting = store.SettingReminders

type reminderRecord struct {
	Fired   []firedStep          `json:"fired,omitempty"`
	Snoozed map[string]time.Time `json:"snoozed,omitempty"` // connection id → until
}

// firedStep is keyed by the deadline it was about, so a renewed consent (a
// new deadline) starts its steps afresh.
type firedStep struct {
	ConnectionID string    `json:"connection_id"`
	Kind         string    `json:"kind"`
	Deadline     time.Time `json:"deadline"`
	Step         int       `json:"step"`
}

func (r *reminderRecord) fired(connID, kind string, deadline time.Time, step int) bool {
	return slices.ContainsFunc(r.Fired, func(f firedStep) bool {
		return f.ConnectionID == connID && f.Kind == kind && f.Step == step && f.Deadline.Equal(deadline)
	})
}

// Due returns the reminders reached and neither fired nor snoozed: for each
// connection that is still active and each of its deadlines, the newest step
// reached (at 6 days before, step 7, never a 14 left unshown). A refresh
// deadline that coincides with the consent's is reminded as the consent.
// Ordered by deadline. Show each, then MarkFired it.
func (s *Service) Due() ([]Reminder, error) {
	conns, err := s.Store.Connections()
	if err != nil {
		return nil, fmt.Errorf("reminders: read connections: %w", err)
	}
	rec, err := s.readRecord()
	if err != nil {
		return nil, err
	}
	now := s.now()
	var out []Reminder
	for _, c := range conns {
		info := Of(c, now)
		if info.Status != Active && info.Status != Expiring {
			continue // lost or ended: the connection list says so, louder
		}
		if until, ok := rec.Snoozed[c.ID]; ok && now.Before(until) {
			continue
		}
		for _, d := range deadlinesOf(info) {
			step, ok := StepReached(d.at, now)
			if !ok || rec.fired(c.ID, d.kind, d.at, step) {
				continue
			}
			out = append(out, reminder(info, d.kind, step, d.at, now))
		}
	}
	slices.SortFunc(out, func(a, b Reminder) int {
		return cmp.Or(a.Deadline.Compare(b.Deadline), cmp.Compare(a.ConnectionID, b.ConnectionID), cmp.Compare(a.Kind, b.Kind))
	})
	return out, nil
}

type deadline struct {
	kind string
	at   time.Time
}

// deadlinesOf lists what a connection's reminders are about: its consent,
// and its refresh token when that lapses first.
func deadlinesOf(info Info) []deadline {
	ds := []deadline{{KindConsent, info.ConsentExpiresAt}}
	if info.RefreshIdleDeadline.Before(info.ConsentExpiresAt) {
		ds = append(ds, deadline{KindRefresh, info.RefreshIdleDeadline})
	}
	return ds
}

// StepReached is the smallest step whose day before deadline has come, if
// the deadline itself has not: the one rule of when a reminder is due, for
// Due and for the reminders a locked vault leaves to the schedule file.
func StepReached(deadline, now time.Time) (int, bool) {
	if !now.Before(deadline) {
		return 0, false
	}
	for _, step := range slices.Sorted(slices.Values(Steps)) {
		if !now.Before(deadline.Add(-time.Duration(step) * 24 * time.Hour)) {
			return step, true
		}
	}
	return 0, false
}

func reminder(info Info, kind string, step int, deadline, now time.Time) Reminder {
	left := wholeDays(deadline.Sub(now))
	when := fmt.Sprintf("%s (%s)", InDays(left), deadline.Local().Format("2 January"))
	msg := fmt.Sprintf("Your consent for %s ends %s; renew it to keep your accounts up to date.", info.ProviderName, when)
	if kind == KindRefresh {
		msg = fmt.Sprintf("Bankdesk loses its access to %s %s unless it syncs before then; open Bankdesk or sync now to keep it.", info.ProviderName, when)
	}
	return Reminder{
		ConnectionID: info.ConnectionID, ProviderName: info.ProviderName, Kind: kind, Step: step,
		Deadline: deadline, DaysLeft: left, Message: msg,
	}
}

// InDays says n days left as a person would: today, tomorrow, in n days.
// Reminders word their deadlines with it; so can any other place that
// tells the user how long is left.
func InDays(n int) string {
	switch {
	case n <= 0:
		return "today"
	case n == 1:
		return "tomorrow"
	}
	return fmt.Sprintf("in %d days", n)
}

// MarkFired records that r was shown: Due will not return that step for
// that deadline again.
func (s *Service) MarkFired(r Reminder) error {
	if r.Kind != KindConsent && r.Kind != KindRefresh || !slices.Contains(Steps, r.Step) || r.Deadline.IsZero() {
		return fmt.Errorf("mark reminder fired: %w: kind %q, step %d", store.ErrInvalid, r.Kind, r.Step)
	}
	return s.updateRecord(func(rec *reminderRecord) error {
		if !rec.fired(r.ConnectionID, r.Kind, r.Deadline, r.Step) {
			rec.Fired = append(rec.Fired, firedStep{ConnectionID: r.ConnectionID, Kind: r.Kind, Deadline: r.Deadline.UTC(), Step: r.Step})
		}
		return nil
	})
}

// Snooze holds back every reminder of a connection until the given time;
// steps reached meanwhile are due after it (the newest only). A zero until
// lifts the snooze.
func (s *Service) Snooze(connectionID string, until time.Time) error {
	if _, err := s.Store.Connection(connectionID); err != nil {
		return fmt.Errorf("snooze reminders of %s: %w", connectionID, err)
	}
	return s.updateRecord(func(rec *reminderRecord) error {
		if until.IsZero() {
			delete(rec.Snoozed, connectionID)
			return nil
		}
		if rec.Snoozed == nil {
			rec.Snoozed = map[string]time.Time{}
		}
		rec.Snoozed[connectionID] = until.UTC()
		return nil
	})
}

func (s *Service) readRecord() (reminderRecord, error) {
	rec, err := store.GetSetting[reminderRecord](s.Store, remindersSetting)
	if errors.Is(err, store.ErrNotFound) {
		return reminderRecord{}, nil
	}
	if err != nil {
		return rec, fmt.Errorf("read reminders: %w", err)
	}
	return rec, nil
}

// updateRecord changes the record and writes it back, dropping what can no
// longer matter: steps of deadlines passed, snoozes over, and entries of
// connections that are gone.
func (s *Service) updateRecord(edit func(*reminderRecord) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, err := s.readRecord()
	if err != nil {
		return err
	}
	if err := edit(&rec); err != nil {
		return err
	}
	conns, err := s.Store.Connections()
	if err != nil {
		return fmt.Errorf("reminders: read connections: %w", err)
	}
	known := map[string]bool{}
	for _, c := range conns {
		known[c.ID] = true
	}
	now := s.now()
	rec.Fired = slices.DeleteFunc(rec.Fired, func(f firedStep) bool {
		return !known[f.ConnectionID] || !now.Before(f.Deadline)
	})
	for id, until := range rec.Snoozed {
		if !known[id] || !now.Before(until) {
			delete(rec.Snoozed, id)
		}
	}
	return store.PutSettingJSON(s.Store, remindersSetting, rec)
}
