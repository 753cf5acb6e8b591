// Package schedule is the schedule file: what a reminder may know while
// the vault is locked (datadir.ScheduleFileName). With a passphrase vault the background job
// (`bankdesk keepalive`) cannot open the sealed store, so the desk keeps,
// beside it and unsealed, each connection's next deadline dates and the
// label its reminder may show, and nothing else: no token, no amount, no
// account, no connection id (SECURITY.md, "Schedule file"). Due works out
// which reminder steps have come, by the consent package's rule
// (consent.StepReached), and the file remembers the ones notified.
package schedule

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"time"

	"bankdesk/backend/consent"
	"bankdesk/backend/internal/atomicfile"
)

// version is the file's format; a file of another version is not read.
const version = 1

// GenericLabel is the bank's name in a reminder unless the user chose to
// show it.
const GenericLabel = "your bank"

// File is the schedule file's content.
type File struct {
	Version     int     `json:"version"`
	Connections []Entry `json:"connections"`
	// Notified are the reminder steps shown already, so each shows once.
	Notified []Notified `json:"notified,omitempty"`
}

// Entry is one connection as the schedule shows it. Dates are days in the
// computer's zone (YYYY-MM-DD), never times.
type Entry struct {
	// ID tells entries apart from one write to the next; it is not the
	// connection's id (OpaqueID).
	ID string `json:"id"`
	// Label is how the reminder names the bank: GenericLabel, or the
	// bank's name if the user chose to show it.
	Label string `json:"label"`
	// ConsentEnds is the day the 90-day consent ends.
	ConsentEnds string `json:"consent_ends"`
	// RefreshBy is the day the refresh token lapses unused (never after
	// ConsentEnds).
	RefreshBy string `json:"refresh_by"`
}

// Notified is one reminder step shown for one deadline of one entry: a
// new deadline (the app refreshed or renewed) starts its steps afresh.
type Notified struct {
	ID       string `json:"id"`
	Deadline string `json:"deadline"`
	Step     int    `json:"step"`
}

// Deadline is the entry's first deadline: the day the connection lapses
// unless Bankdesk is opened.
func (e Entry) Deadline() string { return min(e.ConsentEnds, e.RefreshBy) }

// OpaqueID is the entry id of a connection: a hash of its id, stable from
// one write to the next, which does not give the id away.
func OpaqueID(connectionID string) string {
	sum := sha256.Sum256([]byte("bankdesk schedule entry\x00" + connectionID))
	return hex.EncodeToString(sum[:8])
}

// Entries is the schedule of the connections infos describes: those that
// can still be kept (active or expiring), labelled with the bank's name
// when nameBanks, else GenericLabel.
func Entries(infos []consent.Info, nameBanks bool) []Entry {
	out := []Entry{}
	for _, info := range infos {
		if info.Status != consent.Active && info.Status != consent.Expiring {
			continue // lost or ended: nothing opening Bankdesk in time could save
		}
		label := GenericLabel
		if nameBanks && info.ProviderName != "" {
			label = info.ProviderName
		}
		out = append(out, Entry{
			ID: OpaqueID(info.ConnectionID), Label: label,
			ConsentEnds: day(info.ConsentExpiresAt), RefreshBy: day(info.RefreshIdleDeadline),
		})
	}
	slices.SortFunc(out, func(a, b Entry) int { return cmp.Or(cmp.Compare(a.Deadline(), b.Deadline()), cmp.Compare(a.ID, b.ID)) })
	return out
}

func day(t time.Time) string { return t.In(time.Local).Format(time.DateOnly) }

// Reminder is a step reached before an entry's deadline.
type Reminder struct {
	Entry    Entry
	Step     int       // one of consent.Steps
	By       time.Time // the day to open Bankdesk by: the day before the deadline
	DaysLeft int       // whole days until the deadline day begins
	Message  string    // one sentence for the user
}

// Due returns the reminders whose step has come and was not notified:
// for each entry the newest step reached (consent.StepReached) before the
// start of its deadline day, which is earlier than the deadline itself
// (the file holds no time of day).
func (f File) Due(now time.Time) []Reminder {
	var out []Reminder
	for _, e := range f.Connections {
		deadline, err := time.ParseInLocation(time.DateOnly, e.Deadline(), time.Local)
		if err != nil {
			continue // not a day: written by something else
		}
		step, ok := consent.StepReached(deadline, now)
		if !ok || f.notified(e.ID, e.Deadline(), step) {
			continue
		}
		by := deadline.AddDate(0, 0, -1)
		out = append(out, Reminder{
			Entry: e, Step: step, By: by, DaysLeft: int(deadline.Sub(now) / (24 * time.Hour)),
			Message: fmt.Sprintf("Open Bankdesk by %s to keep %s connected.", by.Format("Monday 2 January"), e.Label),
		})
	}
	return out
}

func (f File) notified(id, deadline string, step int) bool {
	return slices.Contains(f.Notified, Notified{ID: id, Deadline: deadline, Step: step})
}

// MarkNotified records that r was shown: Due will not return that step
// for that deadline again.
func (f *File) MarkNotified(r Reminder) {
	if !f.notified(r.Entry.ID, r.Entry.Deadline(), r.Step) {
		f.Notified = append(f.Notified, Notified{ID: r.Entry.ID, Deadline: r.Entry.Deadline(), Step: r.Step})
	}
}

// prune drops the steps of deadlines no entry has any more: a connection
// gone, or a deadline moved by a refresh or a renewal.
func (f *File) prune() {
	current := map[[2]string]bool{}
	for _, e := range f.Connections {
		current[[2]string{e.ID, e.Deadline()}] = true
	}
	f.Notified = slices.DeleteFunc(f.Notified, func(n Notified) bool { return !current[[2]string{n.ID, n.Deadline}] })
}

// ErrVersion is a schedule file of a format this Bankdesk does not read.
var ErrVersion = errors.New("schedule file of another version")

// Read reads the schedule file at path; a missing one reads as empty.
func Read(path string) (File, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return File{Version: version}, nil
	}
	if err != nil {
		return File{}, fmt.Errorf("read schedule: %w", err)
	}
	var f File
	if err := json.Unmarshal(raw, &f); err != nil {
		return File{}, fmt.Errorf("read schedule %s: %w", path, err)
	}
	if f.Version != version {
		return File{}, fmt.Errorf("read schedule %s: %w (%d)", path, ErrVersion, f.Version)
	}
	return f, nil
}

// Write writes f to path atomically, private (0600), after dropping the
// steps of deadlines gone; a file that already says the same is left
// alone.
func Write(path string, f File) error {
	f.Version = version
	if f.Connections == nil {
		f.Connections = []Entry{}
	}
	f.prune()
	raw, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("write schedule: %w", err)
	}
	raw = append(raw, '\n')
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, raw) {
		return nil
	}
	if err := atomicfile.WriteFile(path, raw); err != nil {
		return fmt.Errorf("write schedule: %w", err)
	}
	return nil
}

// Update replaces the entries of the schedule file at path, keeping the
// steps notified for deadlines that did not move. A file that cannot be
// read is replaced: it holds nothing that cannot be written again.
func Update(path string, entries []Entry) error {
	f, err := Read(path)
	if err != nil {
		f = File{}
	}
	f.Connections = entries
	return Write(path, f)
}

// Remove deletes the schedule file at path; a missing one is no error.
func Remove(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove schedule: %w", err)
	}
	return nil
}
