// Package testenv is the backend's shared test environment: a fresh
// encrypted store, an in-process sandbox, a TrueLayer client on it whose
// every response is checked against TrueLayer's OpenAPI specs, and
// Connected, the whole backend wired as desk.Open wires it (package
// wiring) with a user logged in at the Mock bank. Everything it starts is
// stopped by t.Cleanup.
//
// It imports connect, tokens, syncer and consent, so their own in-package
// tests cannot import it (an import cycle); their external test packages
// (package connect_test, ...) can, and their in-package tests can use the
// primitives beneath it, package testbank.
package testenv

import (
	"context"
	"testing"
	"time"

	"bankdesk/backend/connect"
	"bankdesk/backend/internal/testbank"
	"bankdesk/backend/internal/testclock"
	"bankdesk/backend/internal/wiring"
	"bankdesk/backend/sandbox"
	"bankdesk/backend/store"
	"bankdesk/backend/syncer"
	"bankdesk/backend/truelayer"
)

// The primitives live in package testbank, which in-package tests of the
// services can import; they are named here too so that a test needs one
// import.
var (
	Store       = testbank.Store
	Sandbox     = testbank.Sandbox
	SandboxWith = testbank.SandboxWith
	Transport   = testbank.Transport
	HTTP        = testbank.HTTP
	Client      = testbank.Client
	Login       = testbank.Login
	Query       = testbank.Query
)

// Start is day 0 of Connected's clock unless Options.Clock says otherwise.
var Start = testbank.Start

// RedirectURI is the test client's redirect, the app's own.
const RedirectURI = testbank.RedirectURI

// Callback begins a connection to the Mock bank on flow and logs user in
// (Login); it returns the callback URL.
func Callback(t testing.TB, flow *connect.Flow, user, pass string) string {
	t.Helper()
	link, err := flow.Begin(context.Background(), "mock")
	if err != nil {
		t.Fatalf("begin: %v", err)
	}
	return Login(t, link.URL, user, pass)
}

// Connect logs user in at the Mock bank (Callback) and completes the
// connection.
func Connect(t testing.TB, flow *connect.Flow, user, pass string) connect.Result {
	t.Helper()
	res, err := flow.Complete(context.Background(), Callback(t, flow, user, pass))
	if err != nil {
		t.Fatalf("complete %s: %v", user, err)
	}
	return res
}

// Options configure Connected. The zero value is a backend on a test clock
// at Start with no one connected.
type Options struct {
	// Clock is the test clock (nil: a new one at Start).
	Clock *testclock.Clock
	// Now is the time the sandbox and the services read; nil is Clock.Now.
	Now func() time.Time
	// Sandbox starts the sandbox; its Now is replaced by Now.
	Sandbox sandbox.Options
	// Faults are set before the login: a slow bank is slow from the first call.
	Faults sandbox.Faults
	// Client adjusts the TrueLayer client's configuration (see Client), e.g.
	// to wrap its transport or change its poll interval.
	Client func(*truelayer.Config)

	// User and Pass log in at the Mock bank; an empty User connects no one.
	User, Pass string
	// Scopes the connect flow asks for; empty is truelayer.DefaultScopes.
	Scopes []string
	// HistoryYears is how far the sync engine's backfill reaches; 0 is its
	// default (six years).
	HistoryYears int
	// Sleep is the engine's wait between retries; nil returns at once, so
	// Retry-After and backoff cost no time.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Env is a wired backend on the sandbox: the services (Tokens, Syncer,
// Flow, Consent) over its store and client.
type Env struct {
	wiring.Services
	Clock   *testclock.Clock
	Sandbox *sandbox.Server
	Store   *store.Store
	Client  *truelayer.Client
	// ConnID is the connection Options.User made; "" when none.
	ConnID string
}

// Connected starts a sandbox and wires the store, client, keeper, flow,
// sync engine and consent service on it, as desk.Open does (wiring.New);
// with Options.User set, that user is connected through the real flow.
func Connected(t testing.TB, o Options) *Env {
	t.Helper()
	clk := o.Clock
	if clk == nil {
		clk = testclock.New(Start)
	}
	now := o.Now
	if now == nil {
		now = clk.Now
	}
	so := o.Sandbox
	so.Now = now
	sb := SandboxWith(t, so)
	st := Store(t)
	var adjust []func(*truelayer.Config)
	if o.Client != nil {
		adjust = append(adjust, o.Client)
	}
	client := Client(t, sb, adjust...)
	sleep := o.Sleep
	if sleep == nil {
		sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	}
	s := wiring.New(wiring.Options{
		Store: st, Client: client, Now: now, RedirectURI: RedirectURI,
		Sync: syncer.Options{HistoryYears: o.HistoryYears, Sleep: sleep},
	})
	s.Flow.Scopes = o.Scopes
	// Tests need not wait between /me retries.
	s.Flow.MeRetryWaits = []time.Duration{time.Millisecond, time.Millisecond}
	e := &Env{Services: s, Clock: clk, Sandbox: sb, Store: st, Client: client}
	sb.SetFaults(o.Faults)
	if o.User != "" {
		e.ConnID = Connect(t, e.Flow, o.User, o.Pass).ConnectionID
	}
	return e
}

// Connection is the stored connection id; t fails if there is none.
func (e *Env) Connection(t testing.TB, id string) store.Connection {
	t.Helper()
	c, err := e.Store.Connection(id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
