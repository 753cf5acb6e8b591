package syncer

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"time"

	"bankdesk/backend/store"
	"bankdesk/backend/tokens"
	"bankdesk/backend/truelayer"
)

// syncRun is one Sync of one connection.
type syncRun struct {
	e           *Engine
	conn        store.Connection
	mode        Mode
	progress    func(Progress)
	callOptions []truelayer.CallOption
	today       time.Time // UTC midnight
	todayKey    string    // today as YYYY-MM-DD, the budget's day
	log         *slog.Logger
	emitMu      sync.Mutex // accounts sync concurrently; progress sees one event at a time
}

func (e *Engine) newRun(conn store.Connection, mode Mode, progress func(Progress)) *syncRun {
	s := &syncRun{
		e:        e,
		conn:     conn,
		mode:     mode,
		progress: progress,
		today:    dayOf(e.o.Now()),
		log:      e.o.Log.With("connection", conn.ID, "mode", mode),
	}
	s.todayKey = s.today.Format(time.DateOnly)
	if mode == Attended {
		ip := e.o.PSUIP
		if ip == "" {
			ip = LocalIP()
		}
		s.callOptions = append(s.callOptions, truelayer.WithPSUIP(ip))
	}
	return s
}

// hasScope reports whether the consent covers scope; a connection that
// does not record its scopes is assumed to have them all.
func (s *syncRun) hasScope(scope string) bool {
	return len(s.conn.Scopes) == 0 || slices.Contains(s.conn.Scopes, scope)
}

// accountRun is the sync of one account or card within a syncRun.
type accountRun struct {
	*syncRun
	acct  store.Account
	cp    checkpoint
	rep   *AccountReport
	total int          // added so far, for Progress.Total
	log   *slog.Logger // shadows syncRun.log: this account's
}

func (s *syncRun) untried(a store.Account) AccountReport {
	ar := AccountReport{AccountID: a.ID, Name: a.DisplayName, Kind: a.Kind}
	if st, err := ReadState(s.e.o.Store, a.ID); err == nil {
		ar.HistoryFrom, ar.HistoryLimited = st.HistoryFrom, st.HistoryLimited
	}
	return ar
}

// syncAccount runs every phase for one account. The first phase that fails
// ends the account's sync (the next would most likely fail the same way,
// and the checkpoint keeps what is done); a skipped or not-applicable
// endpoint does not.
func (s *syncRun) syncAccount(ctx context.Context, a store.Account) AccountReport {
	ar := AccountReport{AccountID: a.ID, Name: a.DisplayName, Kind: a.Kind}
	r := &accountRun{syncRun: s, acct: a, rep: &ar, log: s.log.With("account", a.ID)}
	cp, err := loadCheckpoint(s.e.o.Store, a.ID)
	if err == nil {
		r.cp = cp
		err = r.run(ctx)
	}
	if err != nil {
		if truelayer.NeedsReconnect(err) && !errors.Is(err, tokens.ErrReconnectNeeded) {
			// A data call said the consent is gone (403 access_denied).
			err = s.e.o.Tokens.MarkReconnectNeeded(s.conn.ID, err)
		}
		ar.Err = err // the report names the account
		r.log.Warn("account sync failed", "err", err)
	}
	ar.HistoryFrom, ar.HistoryLimited = r.cp.HistoryFrom, r.cp.HistoryLimited
	p := r.event(PhaseDone)
	p.Added, p.Updated, p.Total = ar.Added, ar.Updated, ar.Added
	if ar.Err != nil {
		p.Message = ar.Err.Error()
	}
	r.emit(p)
	return ar
}

func (r *accountRun) run(ctx context.Context) error {
	if r.hasScope("transactions") {
		coveredToday, err := r.backfill(ctx)
		if err = r.skippable(epTransactions, err); err != nil {
			return err
		}
		if !coveredToday {
			if err := r.skippable(epTransactions, r.incremental(ctx)); err != nil {
				return err
			}
		}
		if err := r.skippable(epPending, r.pending(ctx)); err != nil {
			return err
		}
	}
	if r.hasScope("balance") {
		if err := r.skippable(epBalance, r.balance(ctx)); err != nil {
			return err
		}
	}
	if r.acct.Kind == store.KindAccount {
		if r.hasScope("standing_orders") {
			if err := r.skippable(epStandingOrders, r.standingOrders(ctx)); err != nil {
				return err
			}
		}
		if r.hasScope("direct_debits") {
			if err := r.skippable(epDirectDebits, r.directDebits(ctx)); err != nil {
				return err
			}
		}
	}
	if len(r.rep.Skipped) == 0 {
		r.cp.LastSyncAt = r.e.o.Now().UTC()
	}
	return r.save()
}

// skippable turns a spent budget into a note in the report: the data stays
// consistent and a later sync catches up, so it is not a failure.
func (r *accountRun) skippable(ep string, err error) error {
	if !errors.Is(err, errBudgetSpent) {
		return err
	}
	if !slices.Contains(r.rep.Skipped, ep) {
		r.rep.Skipped = append(r.rep.Skipped, ep)
	}
	p := r.event(phaseOf(ep))
	p.Message = "skipped: " + errBudgetSpent.Error()
	r.emit(p)
	return nil
}

func phaseOf(ep string) string {
	if ep == epTransactions {
		return PhaseIncremental
	}
	return ep // the other endpoints share their phase's name
}

func (r *accountRun) save() error { return saveCheckpoint(r.e.o.Store, r.acct.ID, r.cp) }

func (r *accountRun) event(phase string) Progress {
	return Progress{
		ConnectionID: r.conn.ID,
		AccountID:    r.acct.ID,
		AccountName:  r.acct.DisplayName,
		Kind:         r.acct.Kind,
		Phase:        phase,
		Total:        r.total,
	}
}

func (r *accountRun) emit(p Progress) {
	if r.progress != nil {
		r.emitMu.Lock()
		defer r.emitMu.Unlock()
		r.progress(p)
	}
}
