package syncer

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"bankdesk/backend/truelayer"
)

// The deep history, everything older than 90 days, is what a bank serves
// only in the minutes after the user authenticated (TrueLayer answers
// sca_exceeded afterwards: https://docs.truelayer.com/docs/error-codes-1).
// A slow bank can take seconds per call and per async job, so a backfill
// that read it one window at a time, after the recent windows that stay
// available anyway, lost most of it. The deep phase therefore runs first,
// before anything else of the sync, and reads the windows of every account
// side by side (DeepAtOnce), newest first, through the connection's gate.

// deepJob is one deep window of one account.
type deepJob struct {
	r *accountRun
	w window
}

// deep reads the deep windows every account still needs, at most
// inFlight at a time.
func (s *syncRun) deep(ctx context.Context, runs []*accountRun, inFlight int) {
	var queues [][]deepJob
	for _, r := range runs {
		if js := r.deepJobs(); len(js) > 0 {
			queues = append(queues, js)
		}
	}
	// Round robin over the accounts, each newest first: if the bank's
	// window closes part-way, every account has its most recent years.
	var jobs []deepJob
	for i := 0; ; i++ {
		more := false
		for _, q := range queues {
			if i < len(q) {
				jobs, more = append(jobs, q[i]), true
			}
		}
		if !more {
			break
		}
	}
	feed := make(chan deepJob)
	var wg sync.WaitGroup
	for range min(inFlight, len(jobs)) {
		wg.Go(func() {
			for j := range feed {
				j.r.deepWindow(ctx, j.w)
			}
		})
	}
	for _, j := range jobs {
		if ctx.Err() != nil || s.connErr() != nil {
			break
		}
		feed <- j
	}
	close(feed)
	wg.Wait()
	complete := ctx.Err() == nil && s.connErr() == nil
	for _, r := range runs {
		r.endRetry(complete)
	}
}

// endRetry closes a "fetch older history" (RetryOlder): the floor is the
// lower of the old one and what the bank said now (a horizon moves later
// day by day, but what was stored stays stored), and if the bank gave
// nothing older, things are as they were. complete says the deep phase
// ran through (not cancelled, the connection still usable).
func (r *accountRun) endRetry(complete bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	b := r.cp.Backfill
	if b.RetryFloor.IsZero() {
		return
	}
	next := r.cp.clone()
	nb := &next.Backfill
	if nb.Floor.IsZero() && !r.deepStopped && complete {
		// Everything was served this time: no floor at all.
	} else if nb.Floor.IsZero() || !nb.Floor.Before(b.RetryFloor) {
		nb.Floor = b.RetryFloor
		for _, k := range b.RetryDeep {
			if !slices.Contains(nb.Deep, k) {
				nb.Deep = append(nb.Deep, k)
			}
		}
	}
	nb.RetryFloor, nb.RetryDeep = time.Time{}, nil
	r.adopt(next)
}

// adopt saves next as the account's checkpoint and makes it the current
// one; on failure it records the account's failure and keeps the current.
// Caller holds mu.
func (r *accountRun) adopt(next checkpoint) bool {
	raw, err := r.encode(&next)
	if err == nil {
		err = r.e.o.Store.PutCheckpoint(r.acct.ID, raw)
	}
	if err != nil {
		r.fail(fmt.Errorf("save sync checkpoint: %w", err))
		return false
	}
	r.cp = next
	return true
}

// recentWindows is how many windows the backfill's recent days take, for
// Progress.Windows.
func (r *accountRun) recentWindows() int {
	return len(oldestFirst(r.plan.recentFrom, r.today, r.e.o.WindowMonths))
}

// deepJobs are the account's deep windows not yet stored nor refused.
func (r *accountRun) deepJobs() []deepJob {
	r.mu.Lock()
	defer r.mu.Unlock()
	b := &r.cp.Backfill
	if b.Done || !r.hasScope("transactions") {
		return nil
	}
	var out []deepJob
	for _, w := range r.plan.deep {
		if !slices.Contains(b.Deep, w.key()) && !r.belowFloor(w) {
			out = append(out, deepJob{r, w})
		}
	}
	return out
}

// belowFloor reports a window the bank has said it will not serve. Caller
// holds mu.
func (r *accountRun) belowFloor(w window) bool {
	f := r.cp.Backfill.Floor
	return !f.IsZero() && w.to.Before(f)
}

// deepWindow fetches and stores one deep window, or learns from the
// bank's refusal where its history ends.
func (r *accountRun) deepWindow(ctx context.Context, w window) {
	r.mu.Lock()
	skip := r.deepStopped || r.belowFloor(w)
	r.mu.Unlock()
	if skip || ctx.Err() != nil {
		return
	}
	txs, err := r.fetchBooked(ctx, w)
	switch {
	case err == nil:
		r.storeDeep(w, w, txs, time.Time{}, nil)
	case truelayer.IsDateRangeRefused(err):
		r.horizon(ctx, w)
	default:
		r.endDeep(ctx, w, err)
	}
}

// endDeep ends the account's deep phase on err from fetching w: the bank
// refusing old history (refuseDeep), or anything else (stopDeep).
func (r *accountRun) endDeep(ctx context.Context, w window, err error) {
	if r.historyRefused(err) {
		r.refuseDeep(ctx, w, err)
		return
	}
	r.stopDeep(fmt.Errorf("backfill %s: %w", w, err))
}

// storeDeep stores what the bank answered for the days of served, with
// the checkpoint that records deep window w as done; floor (when set) as
// where the bank's history starts, note (when set) for the report.
func (r *accountRun) storeDeep(w, served window, txs []truelayer.Transaction, floor time.Time, note func() string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	next := r.cp.clone()
	next.Backfill.Deep = append(next.Backfill.Deep, w.key())
	if floor.After(next.Backfill.Floor) {
		next.Backfill.Floor = floor
	}
	res, err := r.storeWindow(served, txs, &next)
	if err != nil {
		r.deepStopped = true
		r.fail(err)
		return
	}
	r.cp = next
	if note != nil {
		r.rep.Notes = append(r.rep.Notes, note())
	}
	r.emitWindow(PhaseBackfill, w, len(next.Backfill.Deep), len(r.plan.deep)+r.recentWindows(), res)
}

// horizon handles invalid_date_range for a deep window: the bank will not
// answer for some of its days. If it answers for the window's first day on
// its own, the window was too long for it: the halves are fetched instead.
// If it refuses the last day too, its history starts after the window: the
// floor rises past it. Otherwise the first day it answers for is found by
// halving (a few calls, once per account). What lies before the floor is
// never asked for again.
func (r *accountRun) horizon(ctx context.Context, w window) {
	probe := func(day time.Time) (bool, error) {
		_, err := r.fetchBooked(ctx, window{from: day, to: day})
		if truelayer.IsDateRangeRefused(err) {
			return false, nil
		}
		return err == nil, err
	}
	ok, err := probe(w.from)
	switch {
	case err != nil:
		r.endDeep(ctx, w, err)
		return
	case ok:
		txs, err := r.fetchSplit(ctx, w, 3)
		if err != nil {
			r.endDeep(ctx, w, err)
			return
		}
		r.storeDeep(w, w, txs, time.Time{}, nil)
		return
	}
	if ok, err = probe(w.to); err != nil || !ok {
		if err != nil {
			r.endDeep(ctx, w, err)
			return
		}
		r.raiseFloor(w.to.AddDate(0, 0, 1))
		return
	}
	// Refused from lo; answered from hi.
	lo, hi := w.from, w.to
	var got []truelayer.Transaction
	fetched := false
	for hi.Sub(lo) > 24*time.Hour {
		mid := lo.AddDate(0, 0, int(hi.Sub(lo)/(24*time.Hour))/2)
		txs, err := r.fetchBooked(ctx, window{from: mid, to: w.to})
		switch {
		case err == nil:
			hi, got, fetched = mid, txs, true
		case truelayer.IsDateRangeRefused(err):
			lo = mid
		default:
			r.endDeep(ctx, window{from: mid, to: w.to}, err)
			return
		}
	}
	if !fetched { // only the last day is served
		if got, err = r.fetchBooked(ctx, window{from: hi, to: w.to}); err != nil {
			r.endDeep(ctx, window{from: hi, to: w.to}, err)
			return
		}
	}
	r.log.Info("the bank keeps history from a date", "from", hi.Format(time.DateOnly))
	r.storeDeep(w, window{from: hi, to: w.to}, got, hi, func() string {
		return fmt.Sprintf("the bank keeps history only since %s; Bankdesk has everything from then on and will not ask for older transactions again", hi.Format(time.DateOnly))
	})
}

// raiseFloor records that the bank serves nothing before floor.
func (r *accountRun) raiseFloor(floor time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.raiseFloorLocked(floor)
}

// raiseFloorLocked is raiseFloor for a caller holding mu; it reports
// whether the floor rose.
func (r *accountRun) raiseFloorLocked(floor time.Time) bool {
	if !floor.After(r.cp.Backfill.Floor) {
		return false
	}
	next := r.cp.clone()
	next.Backfill.Floor = floor
	return r.adopt(next)
}

// fetchSplit fetches w in halves, each halved again (depth times at most)
// while the bank refuses its range.
func (r *accountRun) fetchSplit(ctx context.Context, w window, depth int) ([]truelayer.Transaction, error) {
	if w.days() < 2 || depth == 0 {
		return r.fetchBooked(ctx, w)
	}
	mid := w.from.AddDate(0, 0, w.days()/2)
	var out []truelayer.Transaction
	for _, half := range []window{{from: w.from, to: mid.AddDate(0, 0, -1)}, {from: mid, to: w.to}} {
		txs, err := r.fetchBooked(ctx, half)
		if truelayer.IsDateRangeRefused(err) {
			txs, err = r.fetchSplit(ctx, half, depth-1)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, txs...)
	}
	return out, nil
}

// historyRefused reports a bank refusing an old window while recent data
// is readable: sca_exceeded (the 5-minute window after consent is over),
// or access_denied on a deep window (some banks word it that way;
// refuseDeep then checks that recent data really is still readable).
func (r *accountRun) historyRefused(err error) bool {
	return truelayer.IsSCAExceeded(err) || accessDenied(err)
}

// refuseDeep ends the account's deep history at w: the bank no longer
// serves it (until the user authenticates again). Everything newer that
// was or will be stored stays; nothing older is asked for again.
func (r *accountRun) refuseDeep(ctx context.Context, w window, cause error) {
	if accessDenied(cause) {
		// access_denied also means a revoked consent: believe it is only
		// about old data if today's is still readable.
		if _, err := r.fetchBooked(ctx, window{from: r.today, to: r.today}); err != nil {
			r.stopDeep(fmt.Errorf("backfill %s: %w", w, err))
			return
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	floor := w.to.AddDate(0, 0, 1)
	first := !r.deepStopped
	r.deepStopped = true
	if !r.raiseFloorLocked(floor) {
		return
	}
	switch {
	case !first:
	case !r.cp.Backfill.RetryFloor.IsZero():
		r.rep.Notes = append(r.rep.Notes, fmt.Sprintf("the bank gave no older history this time (%s); it allows older transactions in the 5 minutes after you reconnect", errorCode(cause)))
	default:
		r.rep.Notes = append(r.rep.Notes, fmt.Sprintf("the bank gave history only since %s this time (%s); it allows older transactions in the 5 minutes after you reconnect",
			floor.Format(time.DateOnly), errorCode(cause)))
	}
	r.log.Info("history limited by the bank", "from", floor.Format(time.DateOnly), "err", cause)
}

// stopDeep ends the account's deep phase for this sync on err: a spent
// budget is a skip, anything else the account's failure (its recent data
// still syncs). Windows not stored are asked for again next time.
func (r *accountRun) stopDeep(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.deepStopped = true
	if errors.Is(err, errBudgetSpent) {
		r.skip(epTransactions)
		return
	}
	r.fail(err)
}
