package consent_test

import (
	"bankdesk/backend/internal/testenv"
	"errors"
	"testing"
	"time"

	"bankdesk/backend/consent"
	"bankdesk/backend/store"
	"bankdesk/backend/syncer"
	"bankdesk/backend/tokens"
	"bankdesk/backend/truelayer"
)

// Day 0 connect, then nothing: the refresh reminders come at 14, 7, 3 and
// 1 days before the idle deadline, once each; on day 35 the refresh token
// is refused, the connection needs a reconnect, and every byte of data is
// still readable. One reconnect brings it back.
func TestAnUnusedConnectionLapsesAndKeepsItsData(t *testing.T) {
	e, id := connected(t, "john", "doe")
	e.syncOK(id)
	before := e.history(id)

	// The app is open (reminders checked hourly) but nothing uses the token.
	var fired []firing
	for h := 0; h <= 30*24; h++ {
		e.toDay(float64(h) / 24)
		fired = append(fired, e.fireDue(nil)...)
		if h == 16*24 {
			if i := e.info(id); i.Status != consent.Expiring || i.RefreshIdleDaysLeft != 14 || i.DaysLeft != 74 {
				t.Fatalf("day 16: %+v", i)
			}
		}
	}
	wantSteps(t, fired, consent.KindRefresh, day(30), 16, 23, 27, 29)
	if i := e.info(id); i.Status != consent.ReconnectNeeded || i.RefreshIdleDaysLeft != 0 {
		t.Fatalf("at the idle deadline: %+v", i)
	}

	e.toDay(35)
	res, err := e.Consent.KeepAlive(ctx)
	if err != nil || len(res) != 1 {
		t.Fatalf("keep alive: %v %+v", err, res)
	}
	var te *truelayer.Error
	if r := res[0]; r.Action != consent.Lost || !errors.Is(r.Err, tokens.ErrReconnectNeeded) || !errors.As(r.Err, &te) || te.Code != "invalid_grant" {
		t.Fatalf("day 35 keep alive: %+v", r)
	}
	if c := e.Connection(e.t, id); c.Status != store.StatusReconnectNeeded {
		t.Fatalf("stored status %q", c.Status)
	}
	if i := e.info(id); i.Status != consent.ReconnectNeeded || i.RefreshIdleDaysLeft != -5 || i.DaysLeft != 55 {
		t.Fatalf("day 35: %+v", i)
	}
	if due, _ := e.Consent.Due(); len(due) != 0 {
		t.Fatalf("a lost connection is shown as such, not reminded: %+v", due)
	}
	if after := e.history(id); !sameHistory(before, after) {
		t.Fatalf("data changed when the connection was lost:\n%+v\n%+v", before, after)
	}
	rep, err := e.Syncer.Sync(ctx, id, syncer.Attended, nil)
	if err != nil || !errors.Is(rep.Err, tokens.ErrReconnectNeeded) {
		t.Fatalf("sync of a lost connection: %v %+v", err, rep.Err)
	}

	link, err := e.Flow.Reconnect(ctx, id)
	if err != nil || testenv.Query(t, link.URL).Get("provider_id") != "mock" {
		t.Fatalf("reconnect link %v %v", link.URL, err)
	}
	done, err := e.Flow.Complete(ctx, e.login(link.URL, "john", "doe"))
	if err != nil || done.ConnectionID != id {
		t.Fatalf("reconnect: %v %+v", err, done)
	}
	if i := e.info(id); i.Status != consent.Active || !i.ConsentCreatedAt.Equal(day(35)) {
		t.Fatalf("after reconnecting: %+v", i)
	}
	e.syncOK(id)
}

// The app started on days 20 and 40 only: each start uses the refresh
// token, so the connection never lapses and day 40's sync works.
func TestKeepAliveAtEachStartNeverLapses(t *testing.T) {
	e, id := connected(t, "john", "doe")
	e.syncOK(id)
	for _, d := range []float64{20, 40} {
		e.toDay(d)
		res, err := e.Consent.KeepAlive(ctx)
		if err != nil || len(res) != 1 || res[0].Action != consent.Refreshed || res[0].Err != nil {
			t.Fatalf("day %v: %v %+v", d, err, res)
		}
		if i := res[0].Info; i.Status != consent.Active || !i.RefreshIdleDeadline.Equal(day(d+30)) {
			t.Fatalf("day %v after keep alive: %+v", d, i)
		}
		// Started again the same day: nothing to do.
		res, _ = e.Consent.KeepAlive(ctx)
		if res[0].Action != consent.UsedRecently {
			t.Fatalf("day %v, second start: %+v", d, res[0])
		}
	}
	if i := e.info(id); i.Status != consent.Active || i.RefreshIdleDaysLeft != 30 || i.DaysLeft != 50 {
		t.Fatalf("day 40: %+v", i)
	}
	rep, err := e.Syncer.Sync(ctx, id, syncer.Background, nil)
	if err != nil || !rep.OK() {
		t.Fatalf("day 40 sync: %v %+v", err, rep)
	}
	added := 0
	for _, a := range rep.Accounts {
		added += a.Added
	}
	if added == 0 {
		t.Fatal("day 40's sync brought nothing of the 40 days since")
	}
}

// KeepAlive goes to the connection closest to its idle deadline first, and
// leaves alone what only the user can fix.
func TestKeepAliveOrderAndSkips(t *testing.T) {
	e := newEnv(t)
	first := e.connect("john", "doe") // stored first...
	e.toDay(1)
	second := e.connect("john1", "doe")
	e.toDay(5)
	if _, err := e.Tokens.Refresh(ctx, first); err != nil { // ...but now further from its deadline
		t.Fatal(err)
	}
	e.toDay(6)
	lost := e.connect("john2", "doe")
	if err := e.Tokens.MarkReconnectNeeded(lost, errors.New("revoked at the bank")); !errors.Is(err, tokens.ErrReconnectNeeded) {
		t.Fatal(err)
	}
	e.toDay(10)
	res, err := e.Consent.KeepAlive(ctx)
	if err != nil || len(res) != 3 {
		t.Fatalf("%v %+v", err, res)
	}
	if res[0].ConnectionID != second || res[0].Action != consent.Refreshed ||
		res[1].ConnectionID != first || res[1].Action != consent.Refreshed ||
		res[2].ConnectionID != lost || res[2].Action != consent.Skipped {
		t.Fatalf("order or actions: %+v", res)
	}
}

// firing is a reminder and when Due first returned it.
type firing struct {
	consent.Reminder
	At time.Time
}

// fireDue fires the reminders due now as the app does: each is recorded and
// marked fired, except those hold deals with itself (a snooze, say).
func (e *env) fireDue(hold func(consent.Reminder) bool) []firing {
	e.t.Helper()
	due, err := e.Consent.Due()
	if err != nil {
		e.t.Fatal(err)
	}
	var out []firing
	for _, r := range due {
		if hold != nil && hold(r) {
			continue
		}
		out = append(out, firing{r, e.Clock.Now()})
		if err := e.Consent.MarkFired(r); err != nil {
			e.t.Fatal(err)
		}
	}
	return out
}

// wantSteps checks that the reminders of kind about deadline came on
// exactly the given days, one per step in Steps order (the last ones when
// fewer days are given).
func wantSteps(t *testing.T, fired []firing, kind string, deadline time.Time, days ...float64) {
	t.Helper()
	var got []firing
	for _, f := range fired {
		if f.Kind == kind && f.Deadline.Equal(deadline) {
			got = append(got, f)
		}
	}
	if len(got) != len(days) {
		t.Fatalf("%s reminders for %s: %+v, want %d", kind, deadline, got, len(days))
	}
	for i, f := range got {
		if f.Step != consent.Steps[i] || !f.At.Equal(day(days[i])) || f.DaysLeft != wholeDays(deadline.Sub(f.At)) || f.Message == "" {
			t.Errorf("%s reminder %d: %+v, want step %d on day %v", kind, i, f, consent.Steps[i], days[i])
		}
	}
}

func wholeDays(d time.Duration) int { return int(d / (24 * time.Hour)) }

func sameHistory(a, b history) bool {
	if len(a) != len(b) {
		return false
	}
	for k, x := range a {
		y, ok := b[k]
		if !ok || x.ID != y.ID || x.Booked != y.Booked || x.Balance != y.Balance || !x.SyncedAt.Equal(y.SyncedAt) {
			return false
		}
	}
	return true
}

// The bank's 403 access_denied (consent revoked at the bank) makes the
// connection reconnect_needed with all its data; one login brings it back.
func TestAccessDeniedNeedsAReconnectAndKeepsTheData(t *testing.T) {
	e, id := connected(t, "john", "doe")
	e.syncOK(id)
	before := e.history(id)
	if err := e.Flow.Client.Revoke(ctx, e.Connection(e.t, id).AccessToken); err != nil { // as the bank's app would
		t.Fatal(err)
	}
	e.Clock.Add(time.Minute) // the access token still lives: the data call says it
	rep, err := e.Syncer.Sync(ctx, id, syncer.Attended, nil)
	var te *truelayer.Error
	if err != nil || !errors.Is(rep.Err, tokens.ErrReconnectNeeded) || !errors.As(rep.Err, &te) || te.Code != "access_denied" {
		t.Fatalf("sync after the revoke: %v %v", err, rep.Err)
	}
	if i := e.info(id); i.Status != consent.ReconnectNeeded {
		t.Fatalf("info %+v", i)
	}
	if after := e.history(id); !sameHistory(before, after) {
		t.Fatalf("data changed:\n%+v\n%+v", before, after)
	}
	link, err := e.Flow.Reconnect(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if res, err := e.Flow.Complete(ctx, e.login(link.URL, "john", "doe")); err != nil || res.ConnectionID != id {
		t.Fatalf("reconnect: %v %+v", err, res)
	}
	if i := e.info(id); i.Status != consent.Active {
		t.Fatalf("after reconnecting: %+v", i)
	}
	e.syncOK(id)
}
