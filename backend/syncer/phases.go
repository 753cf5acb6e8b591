package syncer

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"bankdesk/backend/store"
	"bankdesk/backend/truelayer"
)

// backfill walks the account's history back in windows of WindowMonths,
// newest first, from the day it began (the checkpoint's anchor) to
// HistoryYears back or the first empty window, checkpointing after each.
// It reports whether it fetched through today in this run, which makes an
// incremental fetch redundant.
func (r *accountRun) backfill(ctx context.Context) (coveredToday bool, err error) {
	b := &r.cp.Backfill
	if b.Done {
		return false, nil
	}
	if b.Anchor.IsZero() {
		b.Anchor = r.today
	}
	o := r.e.o
	limit := historyLimit(b.Anchor, o.HistoryYears)
	windows := windowsBetween(limit, b.Anchor, o.WindowMonths)
	for !b.Done {
		to := b.Anchor
		if !b.Cursor.IsZero() {
			to = b.Cursor.AddDate(0, 0, -1)
		}
		if to.Before(limit) {
			b.Done = true
			break
		}
		w := windowEndingAt(to, o.WindowMonths, limit)
		txs, err := r.fetchBooked(ctx, w)
		if err != nil {
			if r.historyRefused(err, w) {
				return coveredToday, r.limitHistory(ctx, w, err)
			}
			return coveredToday, fmt.Errorf("backfill %s: %w", w, err)
		}
		// The checkpoint advances in the same commit that stores the window.
		b.Cursor, b.Windows = w.from, b.Windows+1
		r.cp.HistoryFrom = w.from
		b.Done = len(txs) == 0 || !w.from.After(limit)
		added, updated, err := r.storeBooked(txs, true)
		if err != nil {
			return coveredToday, err
		}
		coveredToday = coveredToday || w.to.Equal(r.today)
		r.emitWindow(PhaseBackfill, w, b.Windows, max(windows, b.Windows), added, updated)
	}
	return coveredToday, r.save()
}

// historyRefused reports a bank refusing an old window while recent data
// is readable: sca_exceeded (the 5-minute window after consent is over),
// or access_denied on a window reaching past 90 days once an earlier one
// worked (some banks word it that way; limitHistory then checks that
// recent data really is still readable).
func (r *accountRun) historyRefused(err error, w window) bool {
	if truelayer.IsSCAExceeded(err) {
		return true
	}
	return accessDenied(err) && r.cp.Backfill.Windows > 0 && w.from.Before(r.recentFrom())
}

// limitHistory ends a backfill the bank cut short: it fetches the part of
// w that is still readable (the last 90 days), then records how far back
// the history reaches, so the app can say "since <date>".
func (r *accountRun) limitHistory(ctx context.Context, w window, cause error) error {
	b := &r.cp.Backfill
	from := b.Cursor
	recent := r.recentFrom()
	switch {
	case !w.to.Before(recent):
		part := window{from: later(w.from, recent), to: w.to}
		txs, err := r.fetchBooked(ctx, part)
		if err != nil {
			// Even recent data is refused: the consent is gone after all.
			return fmt.Errorf("backfill %s: %w", part, err)
		}
		from = part.from
		b.Cursor, b.Windows = part.from, b.Windows+1
		added, updated, err := r.storeBooked(txs, true)
		if err != nil {
			return err
		}
		r.emitWindow(PhaseBackfill, part, b.Windows, b.Windows, added, updated)
	case accessDenied(cause):
		// access_denied also means a revoked consent: believe it is only
		// about old data if today's is still readable.
		if _, err := r.fetchBooked(ctx, window{from: r.today, to: r.today}); err != nil {
			return fmt.Errorf("backfill %s: %w", w, err)
		}
	}
	if from.IsZero() {
		from = recent
	}
	b.Done = true
	r.cp.HistoryFrom, r.cp.HistoryLimited = from, true
	r.rep.Notes = append(r.rep.Notes, fmt.Sprintf("the bank only gives history since %s now (%s); it allows older transactions in the 5 minutes after you reconnect",
		from.Format(time.DateOnly), errorCode(cause)))
	r.log.Info("history limited by the bank", "from", from.Format(time.DateOnly), "err", cause)
	return r.save()
}

// incremental fetches from the newest stored booking minus Overlap (late
// postings, changed details) through today, oldest window first, so that
// an interrupted run leaves no gap behind the newest stored booking.
func (r *accountRun) incremental(ctx context.Context) error {
	newest, ok, err := r.e.o.Store.NewestBookedAt(r.acct.ID)
	if err != nil {
		return fmt.Errorf("read newest transaction: %w", err)
	}
	from := r.recentFrom()
	if ok {
		from = earlier(dayOf(newest.Add(-r.e.o.Overlap)), r.today)
	}
	for _, w := range oldestFirst(from, r.today, r.e.o.WindowMonths) {
		txs, err := r.fetchBooked(ctx, w)
		if truelayer.IsSCAExceeded(err) && w.from.Before(r.recentFrom()) {
			// Not synced for 90 days and past the SCA window: what is
			// older cannot be read without the user re-authenticating.
			r.rep.Notes = append(r.rep.Notes, fmt.Sprintf("transactions from %s to %s could not be read: the bank needs you to reconnect for data older than 90 days",
				w.from.Format(time.DateOnly), r.recentFrom().AddDate(0, 0, -1).Format(time.DateOnly)))
			if w.to.Before(r.recentFrom()) {
				continue
			}
			w.from = r.recentFrom()
			txs, err = r.fetchBooked(ctx, w)
		}
		if err != nil {
			return fmt.Errorf("fetch %s: %w", w, err)
		}
		added, updated, err := r.storeBooked(txs, false)
		if err != nil {
			return err
		}
		r.emitWindow(PhaseIncremental, w, 0, 0, added, updated)
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
		if r.acct.Kind == store.KindCard {
			txs, err = r.e.o.Client.CardPendingTransactions(ctx, at, r.acct.ID, w.from, w.to, opts...)
		} else {
			txs, err = r.e.o.Client.AccountPendingTransactions(ctx, at, r.acct.ID, w.from, w.to, opts...)
		}
		return err
	})
	p := r.event(PhasePending)
	switch {
	case truelayer.IsNotSupported(err):
		p.Message = "not offered by the bank"
		r.emit(p)
		return nil
	case err != nil:
		return fmt.Errorf("fetch pending transactions: %w", err)
	}
	set, skipped := toStore(r.acct.ID, store.TxPending, txs)
	r.noteSkipped(skipped)
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
		now := r.e.o.Now()
		if r.acct.Kind == store.KindCard {
			b, err := r.e.o.Client.CardBalance(ctx, at, r.acct.ID, opts...)
			if err == nil {
				bal = cardBalance(r.acct.ID, b, r.acct.Currency, now)
			}
			return err
		}
		b, err := r.e.o.Client.AccountBalance(ctx, at, r.acct.ID, opts...)
		if err == nil {
			bal = accountBalance(r.acct.ID, b, r.acct.Currency, now)
		}
		return err
	})
	p := r.event(PhaseBalance)
	switch {
	case truelayer.IsNotSupported(err):
		p.Message = "not offered by the bank"
		r.emit(p)
		return nil
	case err != nil:
		return fmt.Errorf("fetch balance: %w", err)
	}
	if err := r.e.o.Store.PutBalance(bal); err != nil {
		return fmt.Errorf("store balance: %w", err)
	}
	p.Message = bal.Current.String() + " " + bal.Currency
	r.emit(p)
	return nil
}

func (r *accountRun) standingOrders(ctx context.Context) error {
	var got []truelayer.StandingOrder
	err := r.call(ctx, epStandingOrders, nil, func(ctx context.Context, at string, opts ...truelayer.CallOption) (err error) {
		got, err = r.e.o.Client.StandingOrders(ctx, at, r.acct.ID, opts...)
		return err
	})
	return r.recurring(epStandingOrders, PhaseStandingOrders, len(got), err, func() error {
		return r.e.o.Store.PutStandingOrders(r.acct.ID, standingOrders(got))
	})
}

func (r *accountRun) directDebits(ctx context.Context) error {
	var got []truelayer.DirectDebit
	err := r.call(ctx, epDirectDebits, nil, func(ctx context.Context, at string, opts ...truelayer.CallOption) (err error) {
		got, err = r.e.o.Client.DirectDebits(ctx, at, r.acct.ID, opts...)
		return err
	})
	return r.recurring(epDirectDebits, PhaseDirectDebits, len(got), err, func() error {
		return r.e.o.Store.PutDirectDebits(r.acct.ID, directDebits(got))
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
		r.setRecurring(ep, notApplicable)
		r.rep.NotApplicable = append(r.rep.NotApplicable, ep)
		p.Message = "not applicable"
		r.emit(p)
		return nil
	default:
		return fmt.Errorf("fetch %s: %w", phaseLabel(ep), err)
	}
	if err := store(); err != nil {
		return fmt.Errorf("store %s: %w", phaseLabel(ep), err)
	}
	r.setRecurring(ep, available)
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
		if r.acct.Kind == store.KindCard {
			txs, err = r.e.o.Client.CardTransactions(ctx, at, r.acct.ID, w.from, w.to, opts...)
		} else {
			txs, err = r.e.o.Client.AccountTransactions(ctx, at, r.acct.ID, w.from, w.to, opts...)
		}
		return err
	})
	return txs, err
}

// storeBooked converts and stores a window's transactions, with the
// checkpoint in the same commit when withCheckpoint (so progress is never
// recorded ahead of the data). The store's dedupe (stable id, else bank id,
// else content hash) makes storing a window twice harmless, which is what
// makes a crash anywhere safe: the next sync fetches it again.
func (r *accountRun) storeBooked(txs []truelayer.Transaction, withCheckpoint bool) (added, updated int, err error) {
	recs, skipped := toStore(r.acct.ID, store.TxBooked, txs)
	r.noteSkipped(skipped)
	if withCheckpoint {
		var cp []byte
		if cp, err = encodeCheckpoint(r.cp); err == nil {
			added, updated, err = r.e.o.Store.PutTransactionsAndCheckpoint(r.acct.ID, recs, cp)
		}
	} else {
		added, updated, err = r.e.o.Store.PutTransactions(r.acct.ID, recs)
	}
	if err != nil {
		return 0, 0, fmt.Errorf("store transactions: %w", err)
	}
	r.rep.Added += added
	r.rep.Updated += updated
	r.total += added
	return added, updated, nil
}

func (r *accountRun) noteSkipped(n int) {
	if n > 0 {
		r.log.Warn("transactions without a usable timestamp left out", "count", n)
		r.rep.Notes = append(r.rep.Notes, fmt.Sprintf("%d transaction(s) without a readable date were left out", n))
	}
}

func (r *accountRun) emitWindow(phase string, w window, n, of, added, updated int) {
	p := r.event(phase)
	p.WindowFrom, p.WindowTo, p.Window, p.Windows = w.from, w.to, n, of
	p.Added, p.Updated = added, updated
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

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
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
