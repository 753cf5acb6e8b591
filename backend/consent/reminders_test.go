package consent_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"bankdesk/backend/consent"
	"bankdesk/backend/store"
)

// The app runs daily (KeepAlive each day) and checks reminders hourly. The
// consent's steps come exactly 14, 7, 3 and 1 days before it ends, once
// each; a snooze holds them back and they resume after it; extending the
// consent starts the steps again for the new end. The refresh token never
// comes near its deadline, so no refresh reminder is ever due.
func TestConsentRemindersFireOnceAtEachStep(t *testing.T) {
	e, id := connected(t, "john", "eternal")
	user := store.User{Name: "John Doe", Email: "john@doe.com"}

	var fired []firing
	for h := 0; h <= 175*24; h++ {
		e.toDay(float64(h) / 24)
		if h%24 == 0 {
			if _, err := e.Consent.KeepAlive(ctx); err != nil {
				t.Fatal(err)
			}
		}
		fired = append(fired, e.fireDue(func(r consent.Reminder) bool {
			if r.Kind != consent.KindConsent || r.Step != 14 || !e.Clock.Now().Equal(day(76)) {
				return false
			}
			// First sight of the 14-day step: "remind me in two days".
			if err := e.Consent.Snooze(id, day(78)); err != nil {
				t.Fatal(err)
			}
			return true
		})...)
		if again, _ := e.Consent.Due(); len(again) != 0 {
			t.Fatalf("day %.2f: due again after being fired or snoozed: %+v", float64(h)/24, again)
		}
		if h == 85*24 {
			out, err := e.Consent.Extend(ctx, id, user)
			if err != nil || !out.Extended || !out.NewExpiry.Equal(day(175)) {
				t.Fatalf("extend on day 85: %v %+v", err, out)
			}
		}
	}
	// The snoozed 14-day step shows when the snooze ends, two days late;
	// the steps 3 and 1 of the first consent never come: it was renewed.
	wantSteps(t, fired, consent.KindConsent, day(90), 78, 83)
	wantSteps(t, fired, consent.KindConsent, day(175), 161, 168, 172, 174)
	for _, f := range fired {
		r := f.Reminder
		if r.Kind != consent.KindConsent || r.ProviderName != "Mock" || !strings.Contains(r.Message, "Mock") {
			t.Errorf("reminder %+v", r)
		}
	}
}

// Steps reached while the app was closed are not replayed: only the newest
// is due, and a fired step is keyed by its deadline.
func TestOnlyTheNewestStepIsDue(t *testing.T) {
	e, id := connected(t, "john", "eternal")
	for _, d := range []float64{25, 50, 70} { // the app runs now and then...
		e.toDay(d)
		if res, err := e.Consent.KeepAlive(ctx); err != nil || res[0].Action != consent.Refreshed {
			t.Fatalf("day %v: %v %+v", d, err, res)
		}
	}
	e.toDay(84.5) // ...and was closed from day 70 to now, past the steps 14 and 7
	due, err := e.Consent.Due()
	if err != nil || len(due) != 1 {
		t.Fatalf("due %+v %v", due, err)
	}
	if r := due[0]; r.Kind != consent.KindConsent || r.Step != 7 || r.DaysLeft != 5 || !r.Deadline.Equal(day(90)) ||
		!strings.Contains(r.Message, "in 5 days") {
		t.Fatalf("reminder %+v", r)
	}
	if err := e.Consent.MarkFired(due[0]); err != nil {
		t.Fatal(err)
	}
	e.toDay(87)
	if due, _ := e.Consent.Due(); len(due) != 1 || due[0].Step != 3 || due[0].ConnectionID != id {
		t.Fatalf("day 87: %+v", due)
	}
}

func TestMarkFiredAndSnoozeValidate(t *testing.T) {
	e, id := connected(t, "john", "doe")
	for _, r := range []consent.Reminder{
		{ConnectionID: id, Kind: "nope", Step: 7, Deadline: day(90)},
		{ConnectionID: id, Kind: consent.KindConsent, Step: 5, Deadline: day(90)},
		{ConnectionID: id, Kind: consent.KindConsent, Step: 7},
	} {
		if err := e.Consent.MarkFired(r); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("MarkFired(%+v): %v", r, err)
		}
	}
	if err := e.Consent.Snooze("nope", day(1)); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("snooze of an unknown connection: %v", err)
	}
	e.toDay(17)
	if err := e.Consent.Snooze(id, day(30)); err != nil {
		t.Fatal(err)
	}
	if due, _ := e.Consent.Due(); len(due) != 0 {
		t.Fatalf("snoozed: %+v", due)
	}
	if err := e.Consent.Snooze(id, time.Time{}); err != nil { // lifted
		t.Fatal(err)
	}
	if due, _ := e.Consent.Due(); len(due) != 1 || due[0].Kind != consent.KindRefresh || due[0].Step != 14 {
		t.Fatalf("after lifting the snooze: %+v", due)
	}
}

func TestInDaysSpeaksToAPerson(t *testing.T) {
	for n, want := range map[int]string{-3: "today", 0: "today", 1: "tomorrow", 2: "in 2 days", 14: "in 14 days"} {
		if got := consent.InDays(n); got != want {
			t.Errorf("InDays(%d) = %q, want %q", n, got, want)
		}
	}
}
