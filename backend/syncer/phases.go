package syncer

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"bankdesk/backend/bankdata"
	"bankdesk/backend/store"
	"bankdesk/backend/truelayer"
)

// incremental fetches the recent days: on the backfill's first run the
// last 90 days as of its anchor (or from the bank's floor), later from the
// newest stored booking minus Overlap (late postings, changed details)
// through today. Windows go oldest first, so an interrupted run leaves no
// gap behind the newest stored booking; each is stored as served in full,
// which is how a booking the bank withdrew is noticed (store.PutWindow).
func (r *accountRun) incremental(ctx context.Context) error {
	r.mu.Lock()
	first := !r.cp.Backfill.Recent
	floor := r.cp.Backfill.Floor
	r.mu.Unlock()
	from := r.recentFrom()
	if first {
		from = r.plan.recentFrom
	} else {
		newest, ok, err := r.e.o.Store.NewestBookedAt(r.acct.ID)
		if err != nil {
			return fmt.Errorf("read newest transaction: %w", err)
		}
		if ok {
			from = earlier(dayOf(newest.In(r.loc)).Add(-r.e.o.Overlap), r.today)
		}
		// Stored transactions that no longer read are fetched again, and
		// overwritten, where the bank still serves their days without the
		// user (older ones wait for a repair from the snapshot).
		months, err := r.e.o.Store.DamagedMonths(r.acct.ID, r.recentFrom().UTC())
		if err != nil {
			return fmt.Errorf("read damaged months: %w", err)
		}
		for _, m := range months {
			if start := earlier(dayOf(m.In(r.loc)).AddDate(0, 0, -1), r.today); start.Before(from) {
				from = later(start, r.recentFrom())
			}
		}
	}
	from = dayOf(from)
	if !floor.IsZero() && from.Before(floor) {
		from = floor // the bank said it has nothing older
	}
	windows := oldestFirst(from, r.today, r.e.o.WindowMonths)
	for i, w := range windows {
		txs, err := r.fetchBooked(ctx, w)
		if (truelayer.IsSCAExceeded(err) || truelayer.IsDateRangeRefused(err)) && w.from.Before(r.recentFrom()) {
			// Not synced for 90 days and past the SCA window: what is
			// older cannot be read without the user re-authenticating.
			r.mu.Lock()
			r.rep.Notes = append(r.rep.Notes, fmt.Sprintf("transactions from %s to %s could not be read: the bank needs you to reconnect for data older than 90 days",
				w.from.Format(time.DateOnly), r.recentFrom().AddDate(0, 0, -1).Format(time.DateOnly)))
			r.mu.Unlock()
			if w.to.Before(r.recentFrom()) {
				continue
			}
			w.from = r.recentFrom()
			txs, err = r.fetchBooked(ctx, w)
		}
		if err != nil {
			return fmt.Errorf("fetch %s: %w", w, err)
		}
		r.mu.Lock()
		next := r.cp.clone()
		if first && i == len(windows)-1 {
			next.Backfill.Recent = true
		}
		res, err := r.storeWindow(w, txs, &next)
		if err == nil {
			r.cp = next
			phase := PhaseIncremental
			if first {
				phase = PhaseBackfill
			}
			n, of := 0, 0
			if first {
				n, of = len(next.Backfill.Deep)+i+1, len(r.plan.deep)+len(windows)
			}
			r.emitWindow(phase, w, n, of, res)
		}
		r.mu.Unlock()
		if err != nil {
			return err
		}
	}
	return nil
}

// pending replaces the stored pending set with the bank's, wholesale: an
// item that has since booked or vanished disappears with it. A bank that
// does not offer pending transactions keeps the set as it was.
func (r *accountRun) pending(ctx context.Context) error {
	var txs []truelayer.Transaction
	w := window{from: r.recentFrom(), to: r.today}
	err := r.call(ctx, epPending, nil, func(ctx context.Context, at string, opts ...truelayer.CallOption) (err error) {
		txs, err = r.e.o.Client.PendingTransactions(ctx, at, bankdata.Resource(r.acct), w.from, w.to, opts...)
		return err
	})
	p := r.event(PhasePending)
	if done, err := r.failed(p, "pending transactions", err); done {
		return err
	}
	set, skipped := bankdata.Transactions(r.acct.ID, store.TxPending, txs, r.loc)
	r.mu.Lock()
	r.noteSkipped(skipped)
	r.mu.Unlock()
	if err := r.e.o.Store.ReplacePending(r.acct.ID, set); err != nil {
		return fmt.Errorf("store pending transactions: %w", err)
	}
	p.Message = fmt.Sprintf("%d pending", len(set))
	r.emit(p)
	return nil
}

func (r *accountRun) balance(ctx context.Context) error {
	var bal store.Balance
	err := r.call(ctx, epBalance, nil, func(ctx context.Context, at string, opts ...truelayer.CallOption) error {
		b, err := r.e.o.Client.Balance(ctx, at, bankdata.Resource(r.acct), opts...)
		if err == nil {
			bal = bankdata.Balance(r.acct, b, r.e.o.Now())
		}
		return err
	})
	p := r.event(PhaseBalance)
	if done, err := r.failed(p, "balance", err); done {
		return err
	}
	if err := r.e.o.Store.PutBalance(bal); err != nil {
		return fmt.Errorf("store balance: %w", err)
	}
	p.Message = bal.Current.String() + " " + bal.Currency
	r.emit(p)
	return nil
}

// failed ends a phase whose fetch failed: a bank that does not offer it
// (501) is told in p and is no failure; another error is returned.
func (r *accountRun) failed(p Progress, what string, err error) (done bool, _ error) {
	switch {
	case truelayer.IsNotSupported(err):
		p.Message = "not offered by the bank"
		r.emit(p)
		return true, nil
	case err != nil:
		return true, fmt.Errorf("fetch %s: %w", what, err)
	}
	return false, nil
}

func (r *accountRun) standingOrders(ctx context.Context) error {
	o := r.e.o
	return fetchRecurring(ctx, r, epStandingOrders, PhaseStandingOrders, o.Client.StandingOrders, bankdata.StandingOrders, o.Store.PutStandingOrders)
}

func (r *accountRun) directDebits(ctx context.Context) error {
	o := r.e.o
	return fetchRecurring(ctx, r, epDirectDebits, PhaseDirectDebits, o.Client.DirectDebits, bankdata.DirectDebits, o.Store.PutDirectDebits)
}

// fetchRecurring fetches the account's standing orders or direct debits
// with get, converts them with conv and stores them with put (recurring).
func fetchRecurring[T, S any](ctx context.Context, r *accountRun, ep, phase string,
	get func(ctx context.Context, at, accountID string, opts ...truelayer.CallOption) ([]T, error),
	conv func([]T) []S, put func(accountID string, items []S) error) error {
	var got []T
	err := r.call(ctx, ep, nil, func(ctx context.Context, at string, opts ...truelayer.CallOption) (err error) {
		got, err = get(ctx, at, r.acct.ID, opts...)
		return err
	})
	return r.recurring(ep, phase, len(got), err, func() error {
		return put(r.acct.ID, conv(got))
	})
}

// recurring finishes a standing-orders or direct-debits fetch. Banks answer
// 501, or 403 for accounts that have none, where they do not offer the
// endpoint: that marks it not applicable rather than failed (and, unlike a
// 403 elsewhere, says nothing about the consent).
func (r *accountRun) recurring(ep, phase string, n int, err error, store func() error) error {
	p := r.event(phase)
	switch {
	case err == nil:
	case truelayer.IsNotSupported(err) || status(err) == http.StatusForbidden:
		r.mu.Lock()
		r.setRecurring(ep, notApplicable)
		r.rep.NotApplicable = append(r.rep.NotApplicable, ep)
		r.mu.Unlock()
		p.Message = "not applicable"
		r.emit(p)
		return nil
	default:
		return fmt.Errorf("fetch %s: %w", phaseLabel(ep), err)
	}
	if err := store(); err != nil {
		return fmt.Errorf("store %s: %w", phaseLabel(ep), err)
	}
	r.mu.Lock()
	r.setRecurring(ep, available)
	r.mu.Unlock()
	p.Message = fmt.Sprintf("%d", n)
	r.emit(p)
	return nil
}

func phaseLabel(ep string) string {
	switch ep {
	case epStandingOrders:
		return "standing orders"
	case epDirectDebits:
		return "direct debits"
	}
	return ep
}

// setRecurring records whether the bank offers ep. Caller holds mu.
func (r *accountRun) setRecurring(ep, state string) {
	if r.cp.Recurring == nil {
		r.cp.Recurring = map[string]string{}
	}
	r.cp.Recurring[ep] = state
}

// fetchBooked reads one window of booked transactions. Windows longer than
// AsyncDays go async: the bank prepares them while the client polls.
func (r *accountRun) fetchBooked(ctx context.Context, w window) ([]truelayer.Transaction, error) {
	var opts []truelayer.CallOption
	if w.days() > r.e.o.AsyncDays {
		opts = append(opts, truelayer.WithAsync())
	}
	var txs []truelayer.Transaction
	err := r.call(ctx, epTransactions, opts, func(ctx context.Context, at string, opts ...truelayer.CallOption) (err error) {
		txs, err = r.e.o.Client.Transactions(ctx, at, bankdata.Resource(r.acct), w.from, w.to, opts...)
		return err
	})
	return txs, err
}

// storeWindow converts and stores what the bank answered for w, with
// next as the checkpoint in the same commit (so progress is never recorded
// ahead of the data). Days of w served in full mark what the bank no
// longer returns (store.PutWindow). The store's dedupe makes storing a
// window twice harmless, which is what makes a crash anywhere safe: the
// next sync fetches it again. Caller holds mu.
func (r *accountRun) storeWindow(w window, txs []truelayer.Transaction, next *checkpoint) (store.PutResult, error) {
	recs, skipped := bankdata.Transactions(r.acct.ID, store.TxBooked, txs, r.loc)
	r.noteSkipped(skipped)
	raw, err := r.encode(next)
	if err != nil {
		return store.PutResult{}, err
	}
	var res store.PutResult
	if served, ok := w.served(); ok {
		res, err = r.e.o.Store.PutWindow(r.acct.ID, served, recs, raw)
	} else {
		res.Added, res.Updated, err = r.e.o.Store.PutTransactionsAndCheckpoint(r.acct.ID, recs, raw)
	}
	if err != nil {
		return store.PutResult{}, fmt.Errorf("store transactions: %w", err)
	}
	r.rep.Added += res.Added
	r.rep.Updated += res.Updated
	r.rep.Removed += res.Removed
	r.total += res.Added
	return res, nil
}

// noteSkipped notes transactions left out for want of a date. Caller holds mu.
func (r *accountRun) noteSkipped(n int) {
	if n > 0 {
		r.log.Warn("transactions without a usable timestamp left out", "count", n)
		r.rep.Notes = append(r.rep.Notes, fmt.Sprintf("%d transaction(s) without a readable date were left out", n))
	}
}

func (r *accountRun) emitWindow(phase string, w window, n, of int, res store.PutResult) {
	p := r.event(phase)
	p.WindowFrom, p.WindowTo, p.Window, p.Windows = w.from, w.to, n, of
	p.Added, p.Updated, p.Removed = res.Added, res.Updated, res.Removed
	r.emit(p)
}

// recentFrom is the oldest day readable without a fresh authentication.
func (r *accountRun) recentFrom() time.Time { return r.today.AddDate(0, 0, -recentDays) }

func (w window) String() string {
	return w.from.Format(time.DateOnly) + ".." + w.to.Format(time.DateOnly)
}

func accessDenied(err error) bool {
	var e *truelayer.Error
	return errors.As(err, &e) && e.Code == "access_denied"
}

func errorCode(err error) string {
	var e *truelayer.Error
	if errors.As(err, &e) && e.Code != "" {
		return e.Code
	}
	return err.Error()
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func status(err error) int {
	var e *truelayer.Error
	if errors.As(err, &e) {
		return e.Status
	}
	return 0
}
