package syncer

import (
	"time"

	"bankdesk/backend/bankday"
	"bankdesk/backend/store"
)

// window is a range of whole bank days, both ends included, as the Data API
// reads from and to. Days are carried as midnight UTC of the bank's date
// (the date is what counts; see bankday).
type window struct{ from, to time.Time }

func (w window) days() int { return int(w.to.Sub(w.from)/(24*time.Hour)) + 1 }

// dayOf is midnight UTC of t's date in t's location.
func dayOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func monthStart(t time.Time) time.Time {
	y, m, _ := t.Date()
	return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
}

// historyLimit is the first day a backfill that began on anchor reaches:
// the first of the month HistoryYears back, so history starts on a month
// boundary ("since March 2020") like the windows.
func historyLimit(anchor time.Time, years int) time.Time {
	return monthStart(anchor).AddDate(-years, 0, 0)
}

// windowEndingAt is the window that ends on to and starts on the first of
// a month, months months back counting to's own, but not before limit.
// Windows after the first thus cover whole calendar months.
func windowEndingAt(to time.Time, months int, limit time.Time) window {
	from := monthStart(to).AddDate(0, -(months - 1), 0)
	if from.Before(limit) {
		from = limit
	}
	return window{from: from, to: to}
}

// windowsBetween counts the windows of months months that cover limit
// through anchor.
func windowsBetween(limit, anchor time.Time, months int) int {
	span := (anchor.Year()-limit.Year())*12 + int(anchor.Month()-limit.Month()) + 1
	return (span + months - 1) / months
}

// oldestFirst splits [from, to] into windows of at most months calendar
// months, oldest first: an incremental sync stores them in date order, so
// after a crash the newest stored booking still marks where to resume.
func oldestFirst(from, to time.Time, months int) []window {
	var newest []window
	for end := to; !end.Before(from); {
		w := windowEndingAt(end, months, from)
		newest = append(newest, w)
		end = w.from.AddDate(0, 0, -1)
	}
	out := make([]window, len(newest))
	for i, w := range newest {
		out[len(newest)-1-i] = w
	}
	return out
}

// key names a window in a checkpoint: its first day.
func (w window) key() string { return w.from.Format(time.DateOnly) }

// bankDays is w as store days.
func (w window) bankDays() (from, to bankday.Day) { return bankday.Of(w.from), bankday.Of(w.to) }

// served is the part of w whose days the bank answered in full, for
// spotting bookings it no longer returns (store.PutWindow): w without its
// first and last day, where a bank's idea of a day's edges (its own zone,
// or UTC) may differ from the request's. False when nothing is left.
func (w window) served() (store.Window, bool) {
	if w.days() < 3 {
		return store.Window{}, false
	}
	from, to := w.bankDays()
	return store.Window{From: from.AddDays(1), To: to.AddDays(-1)}, true
}

// backfillPlan is the shape of a backfill that began on anchor.
type backfillPlan struct {
	limit      time.Time // the first day it reaches back to
	recentFrom time.Time // anchor − 89 days: older days need a fresh SCA
	// deep are the windows before recentFrom, newest first: calendar
	// months, months at a time, the newest ending the day before
	// recentFrom.
	deep []window
}

func plan(anchor time.Time, months, years int) backfillPlan {
	p := backfillPlan{limit: historyLimit(anchor, years), recentFrom: anchor.AddDate(0, 0, -recentDays)}
	for to := p.recentFrom.AddDate(0, 0, -1); !to.Before(p.limit); {
		w := windowEndingAt(to, months, p.limit)
		p.deep = append(p.deep, w)
		to = w.from.AddDate(0, 0, -1)
	}
	return p
}
