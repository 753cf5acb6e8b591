package syncer

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"time"

	"bankdesk/backend/bankdata"
	"bankdesk/backend/bankday"
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
	gate        *gate          // the connection's limiter, shared by all its calls
	loc         *time.Location // the provider's zone: its days are the bank's
	today       time.Time      // the bank's today, as midnight UTC of its date
	todayKey    string         // today as YYYY-MM-DD, the budget's day
	deepUntil   time.Time      // when the bank stops serving deep history; zero if unknown or past
	log         *slog.Logger
	emitMu      sync.Mutex // accounts sync concurrently; progress sees one event at a time

	errMu sync.Mutex
	err   error // a problem of the whole connection (reconnect needed), once met
}

func (e *Engine) newRun(conn store.Connection, mode Mode, progress func(Progress)) *syncRun {
	country := ""
	if e.o.Country != nil {
		country = e.o.Country(conn.ProviderID)
	}
	loc := bankday.Zone(bankday.Country(conn.ProviderID, country))
	now := e.o.Now()
	s := &syncRun{
		e:        e,
		conn:     conn,
		mode:     mode,
		progress: progress,
		gate:     newGate(e.o.DeepAtOnce, e.o.Sleep),
		loc:      loc,
		today:    bankday.Today(now, loc).UTC(),
		log:      e.o.Log.With("connection", conn.ID, "mode", mode),
	}
	s.todayKey = s.today.Format(time.DateOnly)
	if !conn.ConsentCreatedAt.IsZero() {
		if until := conn.ConsentCreatedAt.Add(SCAWindow); until.After(now) {
			s.deepUntil = until
		}
	}
	if mode == Attended {
		ip := e.o.PSUIP
		if ip == "" {
			ip = LocalIP()
		}
		s.callOptions = append(s.callOptions, truelayer.WithPSUIP(ip))
	}
	return s
}

// SCAWindow is how long after the user authenticated a bank serves history
// older than 90 days (TrueLayer: "5 minutes", sca_exceeded afterwards).
const SCAWindow = 5 * time.Minute

// failConnection records a problem of the whole connection: the accounts
// not yet started are not tried. The bank's answer wins over an error that
// only says the connection is marked: windows run side by side, so one can
// read the mark before the call that set it records its error.
func (s *syncRun) failConnection(err error) {
	s.errMu.Lock()
	onlyMarked := errors.Is(s.err, tokens.ErrReconnectNeeded) && !truelayer.NeedsReconnect(s.err)
	if s.err == nil || onlyMarked && truelayer.NeedsReconnect(err) {
		s.err = err
	}
	s.errMu.Unlock()
}

func (s *syncRun) connErr() error {
	s.errMu.Lock()
	defer s.errMu.Unlock()
	return s.err
}

// hasScope reports whether the consent covers scope (bankdata.HasScope).
func (s *syncRun) hasScope(scope string) bool { return bankdata.HasScope(s.conn, scope) }

// accountRun is the sync of one account or card within a syncRun. Its deep
// windows are fetched concurrently: mu guards cp and rep.
type accountRun struct {
	*syncRun
	acct  store.Account
	plan  backfillPlan
	total int          // added so far, for Progress.Total
	log   *slog.Logger // shadows syncRun.log: this account's

	mu          sync.Mutex
	cp          checkpoint
	rep         *AccountReport
	errs        []error
	deepStopped bool // no more deep windows this sync
}

func (s *syncRun) newAccountRun(a store.Account) *accountRun {
	r := &accountRun{syncRun: s, acct: a, rep: &AccountReport{AccountID: a.ID, Name: a.DisplayName, Kind: a.Kind},
		log: s.log.With("account", a.ID)}
	cp, err := loadCheckpoint(s.e.o.Store, a.ID)
	if err != nil {
		r.fail(err)
		r.deepStopped = true
		return r
	}
	if cp.lost {
		// Unreadable: the account starts afresh (what is stored stays;
		// what the bank still has is fetched again).
		r.rep.Notes = append(r.rep.Notes, "its sync state could not be read, so its history is fetched again")
		r.log.Warn("sync checkpoint unreadable; starting the account afresh")
	}
	r.cp = cp
	if r.cp.Backfill.Anchor.IsZero() {
		r.cp.Backfill.Anchor = s.today
	}
	r.plan = plan(r.cp.Backfill.Anchor, s.e.o.WindowMonths, s.e.o.HistoryYears)
	return r
}

// fail records an account failure. Caller holds mu (or owns r alone).
func (r *accountRun) fail(err error) {
	if truelayer.NeedsReconnect(err) && !errors.Is(err, tokens.ErrReconnectNeeded) {
		// A data call said the consent is gone (403 access_denied).
		err = r.e.o.Tokens.MarkReconnectNeeded(r.conn.ID, err)
	}
	if connectionLevel(err) {
		r.failConnection(err)
	}
	r.errs = append(r.errs, err)
	r.log.Warn("account sync failed", "err", err)
}

// skip notes an endpoint left out because today's budget is spent: the
// data stays consistent and a later sync catches up, so it is not a
// failure. Caller holds mu.
func (r *accountRun) skip(ep string) {
	if !slices.Contains(r.rep.Skipped, ep) {
		r.rep.Skipped = append(r.rep.Skipped, ep)
	}
	p := r.event(phaseOf(ep))
	p.Message = "skipped: " + errBudgetSpent.Error()
	r.emit(p)
}

func (s *syncRun) untried(a store.Account) AccountReport {
	ar := AccountReport{AccountID: a.ID, Name: a.DisplayName, Kind: a.Kind}
	if st, err := ReadState(s.e.o.Store, a.ID); err == nil {
		ar.HistoryFrom, ar.HistoryLimited = st.HistoryFrom, st.HistoryLimited
	}
	return ar
}

// finish closes the account's report.
func (r *accountRun) finish() AccountReport {
	r.mu.Lock()
	defer r.mu.Unlock()
	ar := *r.rep
	ar.Err = errors.Join(r.errs...)
	ar.HistoryFrom, ar.HistoryLimited = r.cp.HistoryFrom, r.cp.HistoryLimited
	p := r.event(PhaseDone)
	p.Added, p.Updated, p.Total = ar.Added, ar.Updated, ar.Added
	if ar.Err != nil {
		p.Message = ar.Err.Error()
	}
	r.emit(p)
	return ar
}

// recent runs every phase after the deep history: the recent days (the
// backfill's last 90 days, or an incremental fetch), pending, balance,
// standing orders and direct debits. A failing phase does not stop the
// next: the checkpoint keeps what is done, and each endpoint is its own
// question to the bank.
func (r *accountRun) recent(ctx context.Context) {
	if r.loadFailed() {
		return
	}
	step := func(ep string, err error) {
		r.mu.Lock()
		defer r.mu.Unlock()
		switch {
		case err == nil:
		case errors.Is(err, errBudgetSpent):
			r.skip(ep)
		default:
			r.fail(err)
		}
	}
	// A phase not run because another account found the connection
	// unusable leaves this one with that error, not a silent success.
	var cut error
	phase := func(ep string, run func(context.Context) error) {
		if ctx.Err() != nil {
			return
		}
		if err := r.connErr(); err != nil {
			cut = err
			return
		}
		step(ep, run(ctx))
	}
	if r.hasScope("transactions") {
		phase(epTransactions, r.incremental)
		phase(epPending, r.pending)
	}
	if r.hasScope("balance") {
		phase(epBalance, r.balance)
	}
	if r.acct.Kind == store.KindAccount {
		if r.hasScope("standing_orders") {
			phase(epStandingOrders, r.standingOrders)
		}
		if r.hasScope("direct_debits") {
			phase(epDirectDebits, r.directDebits)
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if ctx.Err() != nil {
		return
	}
	if cut != nil && len(r.errs) == 0 {
		r.fail(cut)
	}
	if len(r.rep.Skipped) == 0 && len(r.errs) == 0 {
		r.cp.LastSyncAt = r.e.o.Now().UTC()
	}
	if err := r.saveLocked(); err != nil {
		r.fail(err)
	}
}

func (r *accountRun) loadFailed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.plan.limit.IsZero() // newAccountRun could not read the checkpoint
}

func phaseOf(ep string) string {
	if ep == epTransactions {
		return PhaseIncremental
	}
	return ep // the other endpoints share their phase's name
}

// encode settles what the checkpoint derives (how far the history
// reaches, whether the backfill is done) and encodes it. Caller holds mu.
func (r *accountRun) encode(cp *checkpoint) ([]byte, error) {
	r.settle(cp)
	return encodeCheckpoint(*cp)
}

// settle derives the backfill's state from the windows stored: Done once
// every deep window is stored or refused and the recent days are in, and
// HistoryFrom the first day of the unbroken history up to today.
func (r *accountRun) settle(cp *checkpoint) {
	b := &cp.Backfill
	deepDone := true
	from := time.Time{}
	if b.Recent {
		from = r.plan.recentFrom
	}
	gap := !b.Recent
	for _, w := range r.plan.deep {
		stored := slices.Contains(b.Deep, w.key())
		refused := !b.Floor.IsZero() && w.to.Before(b.Floor)
		if !stored && !refused {
			deepDone = false
		}
		if gap || !stored {
			gap = true
			continue
		}
		from = w.from
	}
	if !b.Floor.IsZero() && from.Before(b.Floor) && !from.IsZero() {
		from = b.Floor
	}
	b.Done = deepDone && b.Recent
	cp.HistoryFrom, cp.HistoryLimited = from, !b.Floor.IsZero()
}

// saveLocked writes the checkpoint. Caller holds mu.
func (r *accountRun) saveLocked() error {
	raw, err := r.encode(&r.cp)
	if err != nil {
		return err
	}
	if err := r.e.o.Store.PutCheckpoint(r.acct.ID, raw); err != nil {
		return err
	}
	return nil
}

func (r *accountRun) event(phase string) Progress {
	return Progress{
		ConnectionID:     r.conn.ID,
		AccountID:        r.acct.ID,
		AccountName:      r.acct.DisplayName,
		Kind:             r.acct.Kind,
		Phase:            phase,
		Total:            r.total,
		DeepHistoryUntil: r.deepUntil,
	}
}

func (r *accountRun) emit(p Progress) {
	if r.progress != nil {
		r.emitMu.Lock()
		defer r.emitMu.Unlock()
		r.progress(p)
	}
}
