package consent_test

import (
	"context"
	"os"
	"testing"
	"time"

	"bankdesk/backend/consent"
	"bankdesk/backend/internal/spectest"
	"bankdesk/backend/internal/testenv"
	"bankdesk/backend/store"
	"bankdesk/backend/syncer"
)

// These tests talk to the built-in sandbox; every response is validated
// against TrueLayer's OpenAPI specs.
func TestMain(m *testing.M) { os.Exit(spectest.Main(m)) }

var ctx = context.Background()

// start is day 0: the sandbox and everything under test share one clock.
var start = testenv.Start

// env is the backend as desk wires it, on a test clock.
type env struct {
	t *testing.T
	*testenv.Env
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e, _ := connected(t, "", "")
	return e
}

// connected is newEnv with user logged in at the Mock bank through the
// connect flow (none when user is ""); it returns the connection's id.
func connected(t *testing.T, user, pass string) (*env, string) {
	t.Helper()
	// One year of history keeps the backfill short; the lifecycle does not
	// depend on its depth.
	b := testenv.Connected(t, testenv.Options{HistoryYears: 1, User: user, Pass: pass})
	return &env{t: t, Env: b}, b.ConnID
}

// day is the time n days after day 0.
func day(n float64) time.Time { return start.Add(time.Duration(n * float64(24*time.Hour))) }

// toDay moves the shared clock forward to day n.
func (e *env) toDay(n float64) {
	e.t.Helper()
	d := day(n).Sub(e.Clock.Now())
	if d < 0 {
		e.t.Fatalf("the clock cannot go back to day %v", n)
	}
	e.Clock.Add(d)
}

// connect logs user in at the Mock bank and completes the connection.
func (e *env) connect(user, pass string) string {
	e.t.Helper()
	return testenv.Connect(e.t, e.Flow, user, pass).ConnectionID
}

// login goes through the sandbox dialog as the user would and returns the
// callback URL the bank sends back.
func (e *env) login(link, user, pass string) string {
	e.t.Helper()
	return testenv.Login(e.t, link, user, pass)
}

// syncOK syncs the connection as the user would and wants it to succeed.
func (e *env) syncOK(connID string) {
	e.t.Helper()
	rep, err := e.Syncer.Sync(ctx, connID, syncer.Attended, nil)
	if err != nil || !rep.OK() {
		e.t.Fatalf("sync: %v %+v", err, rep)
	}
}

func (e *env) info(connID string) consent.Info {
	e.t.Helper()
	infos, err := e.Consent.Infos()
	if err != nil {
		e.t.Fatal(err)
	}
	for _, i := range infos {
		if i.ConnectionID == connID {
			return i
		}
	}
	e.t.Fatalf("no info for %s", connID)
	return consent.Info{}
}

// history is what the store holds for a connection, by account number (or
// card number): booked transactions and whether a balance is stored. The
// bank's ids may change; the numbers say which account is which.
type history map[string]accountHistory

type accountHistory struct {
	ID       string
	Booked   int
	Keys     map[string]bool
	Balance  bool
	SyncedAt time.Time
}

func (e *env) history(connID string) history {
	e.t.Helper()
	accts, err := e.Store.AccountsOf(connID)
	if err != nil {
		e.t.Fatal(err)
	}
	out := history{}
	for _, a := range accts {
		h := accountHistory{ID: a.ID, Keys: map[string]bool{}}
		err := e.Store.Transactions(a.ID, 0, 0, func(tx store.Transaction) error {
			h.Booked++
			h.Keys[tx.Key] = true
			return nil
		})
		if err != nil {
			e.t.Fatal(err)
		}
		_, err = e.Store.Balance(a.ID)
		h.Balance = err == nil
		if s, err := syncer.ReadState(e.Store, a.ID); err == nil {
			h.SyncedAt = s.LastSyncAt
		}
		out[a.Kind+" "+a.SortCode+a.Number+a.PartialCardNumber] = h
	}
	return out
}
