package schedule

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"bankdesk/backend/consent"
)

func localDay(s string) time.Time {
	t, err := time.ParseInLocation(time.DateOnly, s, time.Local)
	if err != nil {
		panic(err)
	}
	return t
}

// The schedule lists the connections that can still be kept, with dates
// only, an id that is not the connection's, and the generic label unless
// the user chose to name the bank.
func TestEntriesHoldDatesAndTheChosenLabelOnly(t *testing.T) {
	ends := localDay("2026-03-31").Add(10 * time.Hour)
	infos := []consent.Info{
		{ConnectionID: "conn-active", ProviderName: "Mock", ConsentExpiresAt: ends, RefreshIdleDeadline: ends.AddDate(0, 0, -20), Status: consent.Active},
		{ConnectionID: "conn-lost", ProviderName: "Mock", ConsentExpiresAt: ends, RefreshIdleDeadline: ends, Status: consent.ReconnectNeeded},
		{ConnectionID: "conn-ended", ProviderName: "Mock", ConsentExpiresAt: ends, RefreshIdleDeadline: ends, Status: consent.Expired},
	}
	for _, named := range []bool{false, true} {
		got := Entries(infos, named)
		want := Entry{ID: OpaqueID("conn-active"), Label: "your bank", ConsentEnds: "2026-03-31", RefreshBy: "2026-03-11"}
		if named {
			want.Label = "Mock"
		}
		if len(got) != 1 || got[0] != want {
			t.Fatalf("named %v: %+v", named, got)
		}
		raw, _ := json.Marshal(got)
		if strings.Contains(string(raw), "conn-active") || strings.Contains(string(raw), "T10:") {
			t.Fatalf("the schedule holds an id or a time: %s", raw)
		}
	}
}

// Each step is due once, the newest one reached, before the earlier of
// the two deadlines; the message names the day before it. A deadline that
// moved (the app refreshed) starts its steps afresh, and a deadline passed
// reminds of nothing.
func TestDueFiresEachStepOnceBeforeTheFirstDeadline(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "schedule.json")
	e := Entry{ID: OpaqueID("c"), Label: "your bank", ConsentEnds: "2026-03-31", RefreshBy: "2026-03-20"}
	if err := Update(path, []Entry{e}); err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time { return localDay(s).Add(9 * time.Hour) }
	for _, step := range []struct {
		now  string
		step int // 0: none due
	}{
		{"2026-03-01", 0}, // the 20th is 19 days away
		{"2026-03-08", 14},
		{"2026-03-08", 0}, // shown already
		{"2026-03-14", 7},
		{"2026-03-14", 0},
		{"2026-03-19", 1}, // 3 was skipped: only the newest step reached shows
		{"2026-03-20", 0}, // the deadline day has begun
	} {
		f, err := Read(path)
		if err != nil {
			t.Fatal(err)
		}
		due := f.Due(at(step.now))
		if step.step == 0 {
			if len(due) != 0 {
				t.Fatalf("%s: due %+v", step.now, due)
			}
			continue
		}
		if len(due) != 1 || due[0].Step != step.step || due[0].Message != "Open Bankdesk by Thursday 19 March to keep your bank connected." {
			t.Fatalf("%s: due %+v", step.now, due)
		}
		f.MarkNotified(due[0])
		if err := Write(path, f); err != nil {
			t.Fatal(err)
		}
	}
	// The app refreshed: the refresh deadline moved, steps start afresh.
	e.RefreshBy = "2026-04-10"
	if err := Update(path, []Entry{e}); err != nil {
		t.Fatal(err)
	}
	f, _ := Read(path)
	if len(f.Notified) != 0 {
		t.Fatalf("steps of a deadline gone are kept: %+v", f.Notified)
	}
	if due := f.Due(at("2026-03-25")); len(due) != 1 || due[0].Step != 7 || !strings.Contains(due[0].Message, "by Monday 30 March") {
		t.Fatalf("after the move: %+v", due)
	}
}

// The file is private and written whole; an unreadable one is replaced by
// Update, refused by Read; Remove tolerates a missing file.
func TestTheFileIsPrivateAndReplaceable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "schedule.json")
	if f, err := Read(path); err != nil || len(f.Connections) != 0 {
		t.Fatalf("missing file: %+v %v", f, err)
	}
	if err := os.WriteFile(path, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(path); err == nil {
		t.Fatal("read a damaged file")
	}
	if err := Update(path, []Entry{{ID: "x", Label: GenericLabel, ConsentEnds: "2026-03-31", RefreshBy: "2026-03-31"}}); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v %v", info.Mode(), err)
	}
	if f, err := Read(path); err != nil || len(f.Connections) != 1 {
		t.Fatalf("after update: %+v %v", f, err)
	}
	for range 2 {
		if err := Remove(path); err != nil {
			t.Fatal(err)
		}
	}
}
