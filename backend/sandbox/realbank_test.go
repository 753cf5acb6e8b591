package sandbox

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"bankdesk/backend/internal/testclock"
	"bankdesk/backend/internal/testhost"
)

// Tests for the real-bank behaviour: the London calendar (default) and the knobs
// history_horizon_days, reused_ids, remove_bookings, delay_jitter_ms, async_ms and
// sca_window_seconds.

// sandboxAt runs a sandbox whose clock starts at t.
func sandboxAt(t *testing.T, at time.Time, opts Options) (*Server, *testclock.Clock) {
	t.Helper()
	clk := testclock.New(at)
	opts.Now = clk.Now
	s, _ := newSandbox(t, opts)
	return s, clk
}

// setFaultsHTTP sets the faults the way other processes do.
func setFaultsHTTP(t *testing.T, s *Server, body string) {
	t.Helper()
	if r := do(t, http.MethodPost, s.AuthURL()+"/__sandbox/faults", "", strings.NewReader(body)); r.Status != 200 {
		t.Fatalf("set faults %s: %d %s", body, r.Status, r.Body)
	}
}

func truthHTTP(t *testing.T, s *Server, user string) Truth {
	t.Helper()
	var tr Truth
	if err := json.Unmarshal(do(t, http.MethodGet, s.AuthURL()+"/__sandbox/truth?username="+user, "", nil).Body, &tr); err != nil {
		t.Fatal(err)
	}
	return tr
}

func dateOf(d day) string { return string(appendDate(nil, d)) }

// idOf is the id a client dedupes on.
func idOf(tx map[string]any) string {
	if id, _ := tx["normalised_provider_transaction_id"].(string); id != "" {
		return id
	}
	return tx["provider_transaction_id"].(string)
}

var (
	summerMidnight = regexp.MustCompile(`^\d{4}-\d\d-\d\dT00:00:00(\+01:00)?$`)
	winterMidnight = regexp.MustCompile(`^\d{4}-\d\d-\d\dT00:00:00(\+00:00|Z)?$`)
)

// The Mock bank books at London midnight: +01:00 in summer, +00:00 or Z in winter,
// some stamps without a zone; the truth keeps the instant and the bank's day.
func TestLondonMidnightStamps(t *testing.T) {
	s, _ := sandboxAt(t, time.Date(2026, 7, 15, 10, 0, 0, 0, time.UTC), Options{})
	tk := connect(t, s, "john", "doe")
	cur, _, card := accountIDs(t, s, tk.AccessToken)
	tr := s.Truth("john")
	byKey := map[string]TruthTransaction{}
	for _, tx := range tr.Accounts[0].Booked {
		byKey[tx.ID+" "+tx.BookingDate] = tx
	}

	zoneless, summer := 0, 0
	for _, tx := range get(t, s, tk.AccessToken, "/accounts/"+cur+"/transactions?from=2026-06-01&to=2026-07-14").results(t) {
		ts := tx["timestamp"].(string)
		if !summerMidnight.MatchString(ts) {
			t.Fatalf("summer booking stamped %q", ts)
		}
		if strings.HasSuffix(ts, "+01:00") {
			summer++
		} else {
			zoneless++
		}
		w, ok := byKey[idOf(tx)+" "+ts[:10]]
		if !ok {
			t.Fatalf("%s on %s not in the truth on that day", idOf(tx), ts[:10])
		}
		// The bank's day is the stamp's date; the instant is 23:00 UTC the day before.
		if !parseLenient(t, ts).Equal(w.Timestamp) || w.Timestamp.UTC().Hour() != 23 ||
			w.Timestamp.UTC().AddDate(0, 0, 1).Format(time.DateOnly) != w.BookingDate {
			t.Fatalf("stamp %s, truth instant %s on %s", ts, w.Timestamp, w.BookingDate)
		}
	}
	if summer == 0 || zoneless == 0 {
		t.Fatalf("stamps: %d with +01:00, %d without a zone", summer, zoneless)
	}
	for _, tx := range get(t, s, tk.AccessToken, "/cards/"+card+"/transactions?from=2026-01-05&to=2026-03-20").results(t) {
		if ts := tx["timestamp"].(string); !winterMidnight.MatchString(ts) {
			t.Fatalf("winter booking stamped %q", ts)
		}
	}

	// A summer booking: stamp, truth instant and booking day.
	var rent TruthTransaction
	for _, tx := range tr.Accounts[0].Booked {
		if tx.BookingDate == "2026-07-01" && tx.Description == tplRent.Desc {
			rent = tx
		}
	}
	if !rent.Timestamp.Equal(time.Date(2026, 6, 30, 23, 0, 0, 0, time.UTC)) {
		t.Fatalf("rent on 1 July: truth %+v", rent)
	}
	found := false
	for _, tx := range get(t, s, tk.AccessToken, "/accounts/"+cur+"/transactions?from=2026-07-01&to=2026-07-01").results(t) {
		if idOf(tx) == rent.ID {
			found = true
			if ts := tx["timestamp"].(string); ts != "2026-07-01T00:00:00+01:00" && ts != "2026-07-01T00:00:00" {
				t.Fatalf("rent stamped %q", ts)
			}
		}
	}
	if !found {
		t.Fatal("the 1 July rent is not served for from=to=2026-07-01")
	}

	// Pending transactions carry their London time of day with the offset.
	pend := get(t, s, tk.AccessToken, "/accounts/"+cur+"/transactions/pending").results(t)
	if len(pend) == 0 || len(pend) != len(tr.Accounts[0].Pending) {
		t.Fatalf("%d pending, truth %d", len(pend), len(tr.Accounts[0].Pending))
	}
	for i, p := range pend {
		ts := p["timestamp"].(string)
		got, err := time.Parse(time.RFC3339, ts)
		w := tr.Accounts[0].Pending[i]
		if err != nil || !strings.HasSuffix(ts, "+01:00") || !got.Equal(w.Timestamp) || ts[:10] != w.BookingDate {
			t.Fatalf("pending stamped %q, truth %s on %s", ts, w.Timestamp, w.BookingDate)
		}
	}
}

// In the default Mock some bookings come without any zone.
func TestZonelessStampsByDefault(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	tk := connect(t, s, "john", "doe")
	cur, _, _ := accountIDs(t, s, tk.AccessToken)
	zoneless := regexp.MustCompile(`^\d{4}-\d\d-\d\dT00:00:00$`)
	n, all := 0, get(t, s, tk.AccessToken, "/accounts/"+cur+"/transactions").results(t)
	for _, tx := range all {
		if zoneless.MatchString(tx["timestamp"].(string)) {
			n++
		}
	}
	if n == 0 || n*4 > len(all) {
		t.Fatalf("%d of %d bookings without a zone", n, len(all))
	}
}

// from=/to= days are London days; bounds with a zone are instants.
func TestDayBoundsAreLondonDays(t *testing.T) {
	s, _ := sandboxAt(t, time.Date(2026, 7, 15, 10, 0, 0, 0, time.UTC), Options{})
	tk := connect(t, s, "john", "doe")
	cur, _, _ := accountIDs(t, s, tk.AccessToken)
	tr := s.Truth("john")
	onDay := func(d string) map[string]bool {
		out := map[string]bool{}
		for _, tx := range tr.Accounts[0].Booked {
			if tx.BookingDate == d {
				out[tx.ID] = true
			}
		}
		return out
	}
	base := "/accounts/" + cur + "/transactions"
	for _, d := range []string{"2026-07-01", "2026-07-02", "2026-07-13"} {
		want := onDay(d)
		got := get(t, s, tk.AccessToken, base+"?from="+d+"&to="+d).results(t)
		if len(want) == 0 || len(got) != len(want) {
			t.Fatalf("%s: %d served, truth has %d", d, len(got), len(want))
		}
		for _, tx := range got {
			if !want[idOf(tx)] {
				t.Fatalf("%s: served %v", d, tx)
			}
		}
	}
	// 1 July 00:00 in London is 30 June 23:00 UTC: a from at 1 July 00:00 UTC is an
	// hour too late for that day's bookings, a from at 30 June 23:00 UTC just in time.
	july1 := len(onDay("2026-07-01"))
	if n := len(get(t, s, tk.AccessToken, base+"?from=2026-07-01T00:00:00Z&to=2026-07-01").results(t)); n != 0 {
		t.Fatalf("from 1 July 00:00 UTC served %d bookings of 1 July", n)
	}
	if n := len(get(t, s, tk.AccessToken, base+"?from=2026-06-30T23:00:00Z&to=2026-07-01").results(t)); n != july1 {
		t.Fatalf("from 30 June 23:00 UTC: %d, want %d", n, july1)
	}
	if n := len(get(t, s, tk.AccessToken, base+"?from=2026-07-01T00:00:00%2B01:00&to=2026-07-01T00:00:00").results(t)); n != july1 {
		t.Fatalf("from/to 1 July 00:00 London: %d, want %d", n, july1)
	}
	if n := len(get(t, s, tk.AccessToken, base+"?from=2026-06-30&to=2026-06-30T22:59:59Z").results(t)); n != len(onDay("2026-06-30")) {
		t.Fatalf("30 June up to 23:59:59 London: %d, want %d", n, len(onDay("2026-06-30")))
	}
}

// "Today" is the London day: at 00:30 BST on 1 July (23:30 UTC on 30 June) the bank
// has booked July's rent, and the 90-day rule counts London days.
func TestTodayIsTheLondonDay(t *testing.T) {
	s, clk := sandboxAt(t, time.Date(2026, 6, 30, 23, 30, 0, 0, time.UTC), Options{})
	tk := connect(t, s, "john", "doe")
	cur, _, _ := accountIDs(t, s, tk.AccessToken)
	tr := s.Truth("john")
	if tr.Today != "2026-07-01" {
		t.Fatalf("truth today = %s", tr.Today)
	}
	rent := false
	for _, tx := range get(t, s, tk.AccessToken, "/accounts/"+cur+"/transactions?from=2026-07-01").results(t) {
		rent = rent || tx["description"] == tplRent.Desc
	}
	if !rent {
		t.Fatal("July's rent not booked at 00:30 London time on 1 July")
	}
	clk.Add(scaWindow + time.Second)
	// today-90 is 2 April in London (1 April in UTC).
	get(t, s, tk.AccessToken, "/accounts/"+cur+"/transactions?from=2026-04-02").results(t)
	if r := get(t, s, tk.AccessToken, "/accounts/"+cur+"/transactions?from=2026-04-01"); r.Status != 403 || r.errCode(t) != "sca_exceeded" {
		t.Fatalf("from 1 April after the SCA window: %d %s", r.Status, r.Body)
	}
}

// history_horizon_days: from = today-N works, today-N-1 is refused with
// invalid_date_range, and the truth says where the kept history starts.
func TestHistoryHorizon(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	tk := connect(t, s, "john", "doe")
	cur, _, card := accountIDs(t, s, tk.AccessToken)
	today := dayOf(testStart)
	s.SetFaults(Faults{HistoryHorizonDays: 400})
	tr := s.Truth("john")
	if tr.Accounts[0].HistoryFrom != dateOf(today-400) {
		t.Fatalf("history_from = %s, want %s", tr.Accounts[0].HistoryFrom, dateOf(today-400))
	}
	for _, p := range []string{"/accounts/" + cur + "/transactions", "/accounts/" + cur + "/transactions/pending",
		"/cards/" + card + "/transactions", "/cards/" + card + "/transactions/pending"} {
		get(t, s, tk.AccessToken, p+"?from="+dateOf(today-400)).results(t)
		r := get(t, s, tk.AccessToken, p+"?from="+dateOf(today-401))
		var e errorBody
		mustUnmarshal(t, r.Body, &e)
		if r.Status != 400 || e.Error != "invalid_date_range" || e.ErrorDescription == "" {
			t.Fatalf("%s from today-401: %d %s", p, r.Status, r.Body)
		}
	}
	kept := tr.Accounts[0].BookedFrom(tr.Accounts[0].HistoryFrom)
	got := get(t, s, tk.AccessToken, "/accounts/"+cur+"/transactions?from="+tr.Accounts[0].HistoryFrom).results(t)
	if len(kept) == 0 || len(got) != len(kept) || idOf(got[len(got)-1]) != kept[0].ID {
		t.Fatalf("served %d from the horizon, truth keeps %d", len(got), len(kept))
	}
	if len(tr.Accounts[0].Booked) <= len(kept) {
		t.Fatal("the horizon cut nothing")
	}

	// Over HTTP, and shorter than the default 90-day window: the default starts at it.
	setFaultsHTTP(t, s, `{"history_horizon_days":30}`)
	if r := get(t, s, tk.AccessToken, "/accounts/"+cur+"/transactions?from="+dateOf(today-31)); r.Status != 400 || r.errCode(t) != "invalid_date_range" {
		t.Fatalf("from today-31 under a 30-day horizon: %d %s", r.Status, r.Body)
	}
	def := get(t, s, tk.AccessToken, "/accounts/"+cur+"/transactions").results(t)
	if oldest := def[len(def)-1]["timestamp"].(string)[:10]; oldest < dateOf(today-30) {
		t.Fatalf("default window reaches %s under a 30-day horizon", oldest)
	}
	if tr := truthHTTP(t, s, "john"); tr.Accounts[1].HistoryFrom != dateOf(today-30) {
		t.Fatalf("truth over HTTP: history_from %s", tr.Accounts[1].HistoryFrom)
	}
	s.SetFaults(Faults{})
	get(t, s, tk.AccessToken, "/accounts/"+cur+"/transactions?from="+dateOf(today-401)).results(t)
	if tr := s.Truth("john"); tr.Accounts[0].HistoryFrom != dateOf(s.bank.start) {
		t.Fatalf("history_from without a horizon = %s", tr.Accounts[0].HistoryFrom)
	}
}

// reused_ids: distinct transactions share normalised and provider ids, some booked
// far apart, some of the opposite direction a few days apart.
func TestReusedIDs(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	tk := connect(t, s, "john", "doe")
	cur, _, card := accountIDs(t, s, tk.AccessToken)
	unique := func(a TruthAccount) bool {
		seen := map[string]bool{}
		for _, tx := range a.Booked {
			if seen[tx.ID] {
				return false
			}
			seen[tx.ID] = true
		}
		return true
	}
	if !unique(s.Truth("john").Accounts[0]) {
		t.Fatal("ids repeat without reused_ids")
	}
	from := "?from=" + dateOf(s.bank.start)
	before := get(t, s, tk.AccessToken, "/accounts/"+cur+"/transactions"+from).results(t)

	setFaultsHTTP(t, s, `{"reused_ids":true}`)
	tr := s.Truth("john")
	for _, a := range append(tr.Accounts, tr.Cards...) {
		byKey := map[string]TruthTransaction{}
		keys := map[string]bool{}
		for _, tx := range a.Booked {
			byKey[tx.Key] = tx
			if keys[tx.Key] {
				t.Fatalf("%s: key %s repeats", a.AccountType, tx.Key)
			}
			keys[tx.Key] = true
		}
		far, opposite := 0, 0
		for _, tx := range a.Booked {
			if tx.ReusesIDsOf == "" {
				continue
			}
			o, ok := byKey[tx.ReusesIDsOf]
			if !ok {
				continue // its twin is older than the visible history
			}
			d1, _ := time.Parse(time.DateOnly, tx.BookingDate)
			d2, _ := time.Parse(time.DateOnly, o.BookingDate)
			gap := d1.Sub(d2).Hours() / 24
			if gap < 0 {
				gap = -gap // a purchase made earlier can book later
			}
			switch {
			case o.ID != tx.ID || o.ProviderTransactionID != tx.ProviderTransactionID ||
				o.NormalisedProviderID != tx.NormalisedProviderID || o.Key == tx.Key:
				t.Fatalf("pair does not share ids: %+v / %+v", tx, o)
			case gap > 7:
				far++
			case o.Type != tx.Type:
				opposite++
			default:
				t.Fatalf("pair neither far apart nor opposite: %+v / %+v", tx, o)
			}
		}
		t.Logf("%s: %d far, %d opposite of %d", a.AccountType, far, opposite, len(a.Booked))
		if a.AccountType != "SAVINGS" && (far < 5 || opposite < 5) {
			t.Fatalf("%s: %d far-apart and %d opposite pairs in six years", a.AccountType, far, opposite)
		}
	}

	// The API serves what the truth says: the same ids on two different bookings.
	for _, c := range []struct {
		path string
		want TruthAccount
	}{{"/accounts/" + cur, tr.Accounts[0]}, {"/cards/" + card, tr.Cards[0]}} {
		got := get(t, s, tk.AccessToken, c.path+"/transactions"+from).results(t)
		if len(got) != len(c.want.Booked) {
			t.Fatalf("%s: %d served, truth %d", c.path, len(got), len(c.want.Booked))
		}
		ids, txIDs := map[string]int{}, map[string]bool{}
		for i, g := range got {
			w := c.want.Booked[len(got)-1-i]
			if idOf(g) != w.ID || g["provider_transaction_id"] != w.ProviderTransactionID || g["description"] != w.Description {
				t.Fatalf("%s #%d: %v, truth %+v", c.path, i, g, w)
			}
			ids[idOf(g)]++
			txIDs[g["transaction_id"].(string)] = true
		}
		dup := 0
		for _, n := range ids {
			if n > 1 {
				dup++
			}
		}
		if dup == 0 || len(txIDs) != len(got) {
			t.Fatalf("%s: %d ids served twice, %d distinct transaction_ids of %d", c.path, dup, len(txIDs), len(got))
		}
	}
	s.SetFaults(Faults{})
	after := get(t, s, tk.AccessToken, "/accounts/"+cur+"/transactions"+from).results(t)
	for i := range before {
		if idOf(before[i]) != idOf(after[i]) {
			t.Fatal("ids differ once reused_ids is cleared")
		}
	}
}

// remove_bookings: the bank stops listing bookings strictly inside the last 7 days,
// for good, and the truth lists them as removed.
func TestRemoveBookings(t *testing.T) {
	s, clk := newSandbox(t, Options{TokenTTL: 30 * 24 * time.Hour})
	tk := connect(t, s, "john", "doe")
	cur, _, card := accountIDs(t, s, tk.AccessToken)
	today := dayOf(testStart)
	week := "/transactions?from=" + dateOf(today-7)
	ids := func(path string) map[string]bool {
		out := map[string]bool{}
		for _, tx := range get(t, s, tk.AccessToken, path).results(t) {
			out[idOf(tx)] = true
		}
		return out
	}
	before := ids("/accounts/" + cur + week)
	bookedBefore := len(s.Truth("john").Accounts[0].Booked)

	s.SetFaults(Faults{RemoveBookings: 2})
	tr := s.Truth("john")
	removed := tr.Accounts[0].Removed
	if len(removed) != 2 || len(tr.Accounts[0].Booked)+2 != bookedBefore {
		t.Fatalf("removed %d, booked %d of %d", len(removed), len(tr.Accounts[0].Booked), bookedBefore)
	}
	for _, a := range append(tr.Accounts, tr.Cards...) {
		if len(a.Removed) > 2 {
			t.Fatalf("%s: %d removed", a.AccountType, len(a.Removed))
		}
		for _, r := range a.Removed {
			if r.BookingDate < dateOf(today-5) || r.BookingDate > dateOf(today-2) {
				t.Fatalf("removed a booking of %s (today %s)", r.BookingDate, dateOf(today))
			}
			for _, b := range a.Booked {
				if b.Key == r.Key {
					t.Fatalf("removed %s still in booked", r.Key)
				}
			}
		}
	}
	check := func(when string) {
		t.Helper()
		got := ids("/accounts/" + cur + "/transactions?from=" + dateOf(today-7))
		for _, r := range removed {
			if !before[r.ID] || got[r.ID] {
				t.Fatalf("%s: removed %s served before %v, now %v", when, r.ID, before[r.ID], got[r.ID])
			}
		}
		for id := range before {
			if !got[id] && id != removed[0].ID && id != removed[1].ID {
				t.Fatalf("%s: %s is gone too", when, id)
			}
		}
	}
	check("at once")
	// A standing change: still gone three days later, and the same ones.
	clk.Add(3 * 24 * time.Hour)
	check("three days later")
	if r := s.Truth("john").Accounts[0].Removed; len(r) != 2 || r[0].Key != removed[0].Key || r[1].Key != removed[1].Key {
		t.Fatalf("removed set moved with the clock: %+v", r)
	}
	s.SetFaults(Faults{RemoveBookings: 2}) // the same knob again keeps its day
	check("after setting it again")
	s.SetFaults(Faults{})
	if got := ids("/accounts/" + cur + "/transactions?from=" + dateOf(today-7)); !got[removed[0].ID] || !got[removed[1].ID] {
		t.Fatal("cleared, the bookings did not come back")
	}

	// Over HTTP, limited by path to the card.
	cardBefore := ids("/cards/" + card + week)
	curBefore := ids("/accounts/" + cur + week)
	setFaultsHTTP(t, s, `{"remove_bookings":1,"path":"/cards/"}`)
	tr = truthHTTP(t, s, "john")
	if len(tr.Cards[0].Removed) != 1 || len(tr.Accounts[0].Removed) != 0 {
		t.Fatalf("path-limited removal: card %d, current %d", len(tr.Cards[0].Removed), len(tr.Accounts[0].Removed))
	}
	if got := ids("/cards/" + card + week); len(got) != len(cardBefore)-1 || got[tr.Cards[0].Removed[0].ID] {
		t.Fatalf("card: %d served of %d", len(got), len(cardBefore))
	}
	if got := ids("/accounts/" + cur + week); len(got) != len(curBefore) {
		t.Fatal("the current account lost bookings under a card-only removal")
	}
}

// async_ms: a task answers Queued, then Running, until that much real time passed.
func TestAsyncDuration(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	tk := connect(t, s, "john", "doe")
	const runs = 600 * time.Millisecond
	setFaultsHTTP(t, s, `{"async_ms":600}`)
	start := time.Now()
	r := get(t, s, tk.AccessToken, "/accounts?async=true")
	var acc asyncJSON
	mustUnmarshal(t, r.Body, &acc)
	if r.Status != 202 || acc.Status != "Queued" {
		t.Fatalf("202 = %d %s", r.Status, r.Body)
	}
	var seen []string
	for {
		p := do(t, http.MethodGet, acc.ResultsURI, tk.AccessToken, nil)
		var st asyncJSON
		mustUnmarshal(t, p.Body, &st)
		if st.Status == "Succeeded" {
			if len(p.results(t)) != 2 {
				t.Fatalf("result = %s", p.Body)
			}
			break
		}
		if st.Status != "Queued" && st.Status != "Running" {
			t.Fatalf("poll = %s", p.Body)
		}
		seen = append(seen, st.Status)
		time.Sleep(20 * time.Millisecond)
	}
	if elapsed := time.Since(start); elapsed < runs {
		t.Fatalf("result after %s, the task runs %s", elapsed, runs)
	}
	// Queued first, then Running, never back.
	if len(seen) < 2 || seen[0] != "Queued" || strings.Contains(strings.Join(seen, " "), "Running Queued") {
		t.Fatalf("statuses %v", seen)
	}

	// The webhook comes when the task is done (the knob set from Go this time).
	s.SetFaults(Faults{AsyncMS: int(runs / time.Millisecond)})
	got := make(chan time.Time, 1)
	hook := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got <- time.Now() })}
	ln := testhost.Listen(t)
	go func() { _ = hook.Serve(ln) }() // until hook.Close
	defer hook.Close()
	start = time.Now()
	get(t, s, tk.AccessToken, "/cards?async=true&webhook_uri=http://"+ln.Addr().String()+"/hook")
	select {
	case at := <-got:
		if at.Sub(start) < runs {
			t.Fatalf("webhook after %s, the task runs %s", at.Sub(start), runs)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no webhook")
	}
}

// delay_jitter_ms adds 0..N ms to delay_ms on every Data API call, polls included.
func TestLatencyJitter(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	tk := connect(t, s, "john", "doe")
	s.SetFaults(Faults{DelayMS: 20, DelayJitterMS: 10})
	seen := map[time.Duration]bool{}
	for range 200 {
		d := s.faultDelay("/data/v1/accounts")
		if d < 20*time.Millisecond || d > 30*time.Millisecond {
			t.Fatalf("delay %s outside 20..30 ms", d)
		}
		seen[d] = true
	}
	if len(seen) < 3 {
		t.Fatalf("jitter drew only %v", seen)
	}
	setFaultsHTTP(t, s, `{"delay_ms":20,"delay_jitter_ms":5}`)
	start := time.Now()
	r := get(t, s, tk.AccessToken, "/accounts?async=true")
	var acc asyncJSON
	mustUnmarshal(t, r.Body, &acc)
	if p := do(t, http.MethodGet, acc.ResultsURI, tk.AccessToken, nil); p.Status != 200 {
		t.Fatalf("poll: %d %s", p.Status, p.Body)
	}
	if d := time.Since(start); d < 40*time.Millisecond {
		t.Fatalf("a call and a poll took %s", d)
	}
}

// sca_window_seconds sets how long after login deep history is served.
func TestSCAWindowSeconds(t *testing.T) {
	s, clk := newSandbox(t, Options{TokenTTL: 24 * time.Hour})
	tk := connect(t, s, "john", "doe")
	cur, _, _ := accountIDs(t, s, tk.AccessToken)
	deep := "/accounts/" + cur + "/transactions?from=2020-01-01"
	s.SetFaults(Faults{SCAWindowSeconds: 60})
	clk.Add(59 * time.Second)
	get(t, s, tk.AccessToken, deep).results(t)
	clk.Add(2 * time.Second)
	if r := get(t, s, tk.AccessToken, deep); r.Status != 403 || r.errCode(t) != "sca_exceeded" {
		t.Fatalf("after 61 s of a 60 s window: %d %s", r.Status, r.Body)
	}
	setFaultsHTTP(t, s, `{"sca_window_seconds":3600}`)
	get(t, s, tk.AccessToken, deep).results(t)
	clk.Add(time.Hour)
	if r := get(t, s, tk.AccessToken, deep); r.Status != 403 {
		t.Fatalf("after an hour: %d", r.Status)
	}
}

func TestRealBankKnobsOverHTTP(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	body := `{"delay_jitter_ms":5,"async_ms":3000,"sca_window_seconds":60,"history_horizon_days":730,"reused_ids":true,"remove_bookings":1}`
	setFaultsHTTP(t, s, body)
	want := Faults{DelayJitterMS: 5, AsyncMS: 3000, SCAWindowSeconds: 60, HistoryHorizonDays: 730, ReusedIDs: true, RemoveBookings: 1}
	var f Faults
	mustUnmarshal(t, do(t, http.MethodGet, s.AuthURL()+"/__sandbox/faults", "", nil).Body, &f)
	if f != want || s.Faults() != want {
		t.Fatalf("faults = %+v", f)
	}
	for _, k := range []string{"delay_jitter_ms", "async_ms", "sca_window_seconds", "history_horizon_days", "remove_bookings"} {
		if r := do(t, http.MethodPost, s.AuthURL()+"/__sandbox/faults", "", strings.NewReader(`{"`+k+`":-1}`)); r.Status != 400 {
			t.Errorf("%s -1 accepted: %d", k, r.Status)
		}
	}
	if s.Faults() != want {
		t.Fatal("a refused body changed the faults")
	}
}

// The encoder's cached midnight offsets agree with the zone on every day, across
// the clock changes, whichever way the days are walked.
func TestMidnightZoneCache(t *testing.T) {
	first, last := dayFromDate(2019, 1, 1), dayFromDate(2028, 12, 31)
	var fwd, back midnightZone
	for d := first; d <= last; d++ {
		_, want := d.midnight().Zone()
		if got := fwd.offset(d); got != want {
			t.Fatalf("%s: offset %d, want %d", dateOf(d), got, want)
		}
		if got := back.offset(last - (d - first)); got != func() int { _, o := (last - (d - first)).midnight().Zone(); return o }() {
			t.Fatalf("%s walking back: offset %d", dateOf(last-(d-first)), got)
		}
	}
	for date, want := range map[string]int{"2026-03-29": 0, "2026-03-30": 3600, "2026-10-25": 3600, "2026-10-26": 0} {
		d, _ := time.Parse(time.DateOnly, date)
		var z midnightZone
		if got := z.offset(dayOf(d.Add(12 * time.Hour))); got != want {
			t.Errorf("midnight of %s: offset %d, want %d", date, got, want)
		}
	}
}
