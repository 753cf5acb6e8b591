package syncer

import (
	"bankdesk/backend/internal/testclock"
	"context"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"bankdesk/backend/connect"
	"bankdesk/backend/internal/spectest"
	"bankdesk/backend/internal/testbank"
	"bankdesk/backend/sandbox"
	"bankdesk/backend/store"
	"bankdesk/backend/tokens"
	"bankdesk/backend/truelayer"
)

// Every sandbox response these tests receive is checked against TrueLayer's
// OpenAPI specs.
func TestMain(m *testing.M) { os.Exit(spectest.Main(m)) }

var ctx = context.Background()

// start is the sandbox's (and the engine's) clock at the beginning of each
// test: a weekday afternoon in mid-March.
var start = time.Date(2026, 3, 11, 14, 30, 0, 0, time.UTC)

// clock is the injectable time given to the sandbox and the code under test.
type clock = testclock.Clock

// wire counts the Data API requests the engine makes (async polls apart),
// by path, and remembers whether each carried X-PSU-IP.
type wire struct {
	base http.RoundTripper
	mu   sync.Mutex
	hits []hit
	// refuse, when set, answers a request itself with the returned error
	// body and status instead of the bank (status 0: pass through).
	refuse func(*http.Request) (status int, body string)
}

type hit struct {
	path     string
	from, to string // the query's date bounds, if any
	attended bool
}

func (w *wire) RoundTrip(req *http.Request) (*http.Response, error) {
	if p := req.URL.Path; strings.HasPrefix(p, "/data/v1/") && !strings.HasPrefix(p, "/data/v1/results/") {
		w.mu.Lock()
		q := req.URL.Query()
		w.hits = append(w.hits, hit{path: p, from: q.Get("from"), to: q.Get("to"), attended: req.Header.Get("X-PSU-IP") != ""})
		refuse := w.refuse
		w.mu.Unlock()
		if refuse != nil {
			if status, body := refuse(req); status != 0 {
				return &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"application/json"}},
					Body: io.NopCloser(strings.NewReader(body)), Request: req}, nil
			}
		}
	}
	return w.base.RoundTrip(req)
}

// windows lists the date windows of booked transaction requests whose
// path contains accountID, in the order they were made.
func (w *wire) windows(accountID string) []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []string
	for _, h := range w.hits {
		if strings.Contains(h.path, accountID) && strings.HasSuffix(h.path, "/transactions") {
			out = append(out, h.from+".."+h.to)
		}
	}
	return out
}

func (w *wire) reset() {
	w.mu.Lock()
	w.hits = nil
	w.mu.Unlock()
}

// calls counts requests whose path ends with suffix, made with or without
// the user present.
func (w *wire) calls(suffix string, attended bool) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for _, h := range w.hits {
		if strings.HasSuffix(h.path, suffix) && h.attended == attended {
			n++
		}
	}
	return n
}

// sleeps records the waits the engine asked for, instead of waiting.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) Sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeps) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.d)
}

type env struct {
	t      testing.TB
	clk    *clock
	sb     *sandbox.Server
	st     *store.Store
	client *truelayer.Client
	keeper *tokens.Keeper
	wire   *wire
	sleeps *sleeps
	connID string
	opts   Options
	// loggedIn is when the user logged in at the bank (wall clock): the
	// SCA window's start.
	loggedIn time.Time
}

type envOptions struct {
	sandbox sandbox.Options
	scopes  []string
	years   int // HistoryYears; 0 = the default six
	// faults are set before the user logs in (a slow bank is slow from the
	// first call).
	faults sandbox.Faults
	// realTime runs the clock from start at the wall clock's pace, for
	// tests where the bank's real latency meets its SCA window.
	realTime bool
	// pollInterval is the client's first wait between async polls;
	// 0 = 1ms.
	pollInterval time.Duration
	// unvalidated bypasses the OpenAPI validator, for benchmarks that
	// measure the pipeline rather than the validator.
	unvalidated bool
}

// newEnv starts a sandbox on a fake clock and connects john/doe to it
// through the real connect flow, as `bankdesk callback` does.
func newEnv(t testing.TB, eo envOptions) *env {
	t.Helper()
	clk := testclock.New(start)
	now := clk.Now
	if eo.realTime {
		t0 := time.Now()
		now = func() time.Time { return clk.Now().Add(time.Since(t0)) }
	}
	so := eo.sandbox
	so.Now = now
	sb := testbank.SandboxWith(t, so)
	sb.SetFaults(eo.faults)
	poll := eo.pollInterval
	if poll == 0 {
		poll = time.Millisecond
	}
	st := testbank.Store(t)
	w := &wire{base: http.DefaultTransport}
	if eo.unvalidated {
		w.base = spectest.Unvalidated(w.base)
	}
	client := testbank.Client(t, sb, func(c *truelayer.Config) {
		c.HTTPClient = &http.Client{Transport: w, Timeout: 30 * time.Second}
		c.PollInterval = poll
	})
	flow := &connect.Flow{Store: st, Client: client, Now: now, Scopes: eo.scopes}
	cb := johnCallback(t, flow)
	loggedIn := time.Now()
	res, err := flow.Complete(ctx, cb)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, clk: clk, sb: sb, st: st, client: client, wire: w, sleeps: &sleeps{}, connID: res.ConnectionID, loggedIn: loggedIn}
	e.keeper = &tokens.Keeper{Store: st, Client: client, Now: now}
	e.opts = Options{
		Store: st, Client: client, Tokens: e.keeper, Now: now, Sleep: e.sleeps.Sleep,
		HistoryYears: eo.years, PSUIP: "192.0.2.10",
	}
	return e
}

// johnCallback begins a connection to the mock bank on flow and logs
// john in: the callback URL the bank sends back.
func johnCallback(t testing.TB, flow *connect.Flow) string {
	t.Helper()
	link, err := flow.Begin(ctx, "mock")
	if err != nil {
		t.Fatal(err)
	}
	return testbank.Login(t, link.URL, "john", "doe")
}

// engine returns a new Engine, as a new process would make.
func (e *env) engine() *Engine { return New(e.opts) }

// sync runs one sync with a fresh Engine and collects its progress.
func (e *env) sync(mode Mode) (Report, []Progress) {
	e.t.Helper()
	var events []Progress
	rep, err := e.engine().Sync(ctx, e.connID, mode, func(p Progress) { events = append(events, p) })
	if err != nil {
		e.t.Fatalf("Sync: %v", err)
	}
	return rep, events
}

func (e *env) mustSync(mode Mode) (Report, []Progress) {
	e.t.Helper()
	rep, events := e.sync(mode)
	if !rep.OK() {
		e.t.Fatalf("sync not OK: %s", describe(rep))
	}
	return rep, events
}

func describe(rep Report) string {
	var b strings.Builder
	if rep.Err != nil {
		b.WriteString("connection: " + rep.Err.Error() + "; ")
	}
	for _, a := range rep.Accounts {
		if a.Err != nil {
			b.WriteString(a.Name + ": " + a.Err.Error() + "; ")
		}
	}
	return b.String()
}

func (e *env) conn() store.Connection {
	e.t.Helper()
	c, err := e.st.Connection(e.connID)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// signed is the truth's amount with money out negative: the sandbox sends
// card purchases as positive DEBITs, as TrueLayer does.
func signed(tt sandbox.TruthTransaction) decimal.Decimal {
	if tt.Type == "DEBIT" {
		return tt.Amount.Abs().Neg()
	}
	return tt.Amount.Abs()
}

func truthKey(tt sandbox.TruthTransaction) string {
	if tt.NormalisedProviderID != "" {
		return "n:" + tt.NormalisedProviderID
	}
	return "p:" + tt.ProviderTransactionID
}

// storedBooked returns the account's booked transactions by dedupe key,
// failing on a key seen twice.
func storedBooked(t *testing.T, st *store.Store, accountID string) map[string]store.Transaction {
	t.Helper()
	got := map[string]store.Transaction{}
	err := st.Transactions(accountID, 0, 0, func(tx store.Transaction) error {
		if _, dup := got[tx.Key]; dup {
			t.Errorf("%s: transaction %s stored twice", accountID, tx.Key)
		}
		got[tx.Key] = tx
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// assertTruth checks that the store holds exactly what the bank has: every
// booked transaction once, on the bank's day, with its exact signed amount
// and details; the pending set; the balance. Booked transactions before
// since (zero: all) are left out of the comparison, and so are bookings
// the store has marked removed. A bank may reuse an id, so transactions
// are matched by id, day and direction.
func assertTruth(t *testing.T, st *store.Store, truth sandbox.Truth, since time.Time) {
	t.Helper()
	for _, acct := range append(slices.Clone(truth.Accounts), truth.Cards...) {
		type match struct{ base, day, typ string }
		stored := map[match][]store.Transaction{}
		live := 0
		for _, g := range storedBooked(t, st, acct.AccountID) {
			if !g.Counts() {
				continue
			}
			base := g.Key
			if i := strings.LastIndexByte(base, '@'); i > 0 {
				base = base[:i]
			}
			k := match{base, g.Day().String(), g.Type}
			stored[k] = append(stored[k], g)
			live++
		}
		want := 0
		for _, tt := range acct.Booked {
			if tt.Timestamp.Before(since) {
				continue
			}
			want++
			k := match{truthKey(tt), tt.BookingDate, tt.Type}
			cands := stored[k]
			if len(cands) == 0 {
				t.Errorf("%s: %s %s %s missing", acct.DisplayName, tt.BookingDate, tt.Description, tt.Amount)
				continue
			}
			i := slices.IndexFunc(cands, func(g store.Transaction) bool { return g.Amount.Equal(signed(tt)) && g.Description == tt.Description })
			if i < 0 {
				i = 0
			}
			g := cands[i]
			stored[k] = slices.Delete(cands, i, i+1)
			switch {
			case !g.Amount.Equal(signed(tt)) || g.Type != tt.Type:
				t.Errorf("%s: %s amount %s %s, want %s %s", acct.DisplayName, g.Key, g.Amount, g.Type, signed(tt), tt.Type)
			case !g.BookedAt.Equal(tt.Timestamp) || g.Day().String() != tt.BookingDate || g.Description != tt.Description || g.Merchant != tt.Merchant ||
				g.Category != tt.Category || !slices.Equal(g.Classification, nilIfEmpty(tt.Classification)) || g.Status != store.TxBooked:
				t.Errorf("%s: %s details differ: got %+v (day %s) want %+v", acct.DisplayName, g.Key, g, g.Day(), tt)
			case g.RunningBalance == nil || !g.RunningBalance.Equal(tt.RunningBalance):
				t.Errorf("%s: %s running balance %v, want %s", acct.DisplayName, g.Key, g.RunningBalance, tt.RunningBalance)
			}
		}
		if live != want {
			t.Errorf("%s: %d booked transactions stored, the bank has %d", acct.DisplayName, live, want)
		}

		pend, err := st.Pending(acct.AccountID)
		if err != nil {
			t.Fatal(err)
		}
		byKey := map[string]store.Transaction{}
		for _, p := range pend {
			byKey[p.Key] = p
		}
		if len(byKey) != len(acct.Pending) || len(pend) != len(acct.Pending) {
			t.Errorf("%s: %d pending stored, the bank has %d", acct.DisplayName, len(pend), len(acct.Pending))
		}
		for _, tt := range acct.Pending {
			g, ok := byKey[truthKey(tt)]
			if !ok || !g.Amount.Equal(signed(tt)) || !g.BookedAt.Equal(tt.Timestamp) || g.Day().String() != tt.BookingDate || g.Status != store.TxPending {
				t.Errorf("%s: pending %s %s: got %+v", acct.DisplayName, tt.Description, tt.Amount, g)
			}
		}

		bal, err := st.Balance(acct.AccountID)
		if err != nil {
			t.Errorf("%s: balance: %v", acct.DisplayName, err)
		} else if !bal.Current.Equal(acct.Balance.Current) {
			t.Errorf("%s: balance %s, want %s", acct.DisplayName, bal.Current, acct.Balance.Current)
		}
	}
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

// syncedYear is newEnv with one year of history, synced once: the bank's
// truth and how many transactions the store then holds, for the tests that
// check a failure keeps them all.
func syncedYear(t *testing.T) (e *env, truth sandbox.Truth, stored int) {
	t.Helper()
	e = newEnv(t, envOptions{years: 1})
	e.mustSync(Attended)
	truth = e.sb.Truth("john")
	return e, truth, countBooked(t, e.st, truth)
}

func countBooked(t testing.TB, st *store.Store, truth sandbox.Truth) int {
	t.Helper()
	n := 0
	for _, a := range append(slices.Clone(truth.Accounts), truth.Cards...) {
		c, err := st.CountTransactions(a.AccountID)
		if err != nil {
			t.Fatal(err)
		}
		n += c
	}
	return n
}
