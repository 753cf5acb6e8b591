// Package testenv is the backend's shared test environment: a fresh
// encrypted store, an in-process sandbox, a TrueLayer client on it whose
// every response is checked against TrueLayer's OpenAPI specs, and
// Connected, the whole backend wired as desk.Open wires it (package
// wiring) with a user logged in at the Mock bank. Everything it starts is
// stopped by t.Cleanup.
//
// It imports connect, tokens, syncer and consent, so their own in-package
// tests cannot import it (an import cycle); their external test packages
// (package connect_test, ...) can.
package testenv

import (
	"context"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"bankdesk/backend/connect"
	"bankdesk/backend/internal/spectest"
	"bankdesk/backend/internal/testclock"
	"bankdesk/backend/internal/wiring"
	"bankdesk/backend/sandbox"
	"bankdesk/backend/store"
	"bankdesk/backend/syncer"
	"bankdesk/backend/truelayer"
	"bankdesk/backend/vault"
)

// Start is day 0 of Connected's clock unless Options.Clock says otherwise.
var Start = time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)

// RedirectURI is the test client's redirect, the app's own.
const RedirectURI = "bankdesk://callback"

// Store is a fresh encrypted store (a real XChaCha20-Poly1305 vault with a
// throwaway key) in a temporary directory.
func Store(t testing.TB) *store.Store {
	t.Helper()
	v, err := vault.NewEphemeral()
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(filepath.Join(t.TempDir(), "bankdesk.db"), v, store.Options{})
	if err != nil {
		_ = v.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close(); _ = v.Close() })
	return st
}

// Sandbox is an in-process sandbox on clk (nil: the wall clock).
func Sandbox(t testing.TB, clk *testclock.Clock) *sandbox.Server {
	t.Helper()
	var o sandbox.Options
	if clk != nil {
		o.Now = clk.Now
	}
	return SandboxWith(t, o)
}

// SandboxWith is an in-process sandbox started with o.
func SandboxWith(t testing.TB, o sandbox.Options) *sandbox.Server {
	t.Helper()
	sb, err := sandbox.Start(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sb.Close() })
	return sb
}

// Transport validates every response against TrueLayer's OpenAPI specs and
// fails t for each violation. Under spectest.Main (which validates
// http.DefaultTransport for the whole package) it is http.DefaultTransport.
func Transport(t testing.TB) http.RoundTripper {
	t.Helper()
	if _, ok := http.DefaultTransport.(*spectest.Recorder); ok {
		return http.DefaultTransport
	}
	rec := spectest.NewRecorder(http.DefaultTransport)
	spectest.Check(t, rec)
	return rec
}

// HTTP is an http.Client over Transport.
func HTTP(t testing.TB) *http.Client {
	t.Helper()
	return &http.Client{Transport: Transport(t), Timeout: time.Minute}
}

// Client is a TrueLayer client for sb with its built-in credentials; opts
// adjust its configuration. Its traffic is validated (HTTP) unless an
// option sets HTTPClient, which then should validate it.
func Client(t testing.TB, sb *sandbox.Server, opts ...func(*truelayer.Config)) *truelayer.Client {
	t.Helper()
	cfg := truelayer.Config{
		AuthURL: sb.AuthURL(), APIURL: sb.APIURL(), ClientID: sandbox.ClientID, ClientSecret: sandbox.ClientSecret,
		RedirectURI: RedirectURI,
		// The sandbox's async tasks are ready at the first poll.
		PollInterval: 5 * time.Millisecond,
	}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = HTTP(t)
	}
	c, err := truelayer.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Login follows an auth link (a new connection's or a consent renewal's)
// through the sandbox's dialog as a person would and returns the callback
// URL the bank sends back.
func Login(t testing.TB, link, user, pass string) string {
	t.Helper()
	cb, err := sandbox.Login(context.Background(), HTTP(t), link, user, pass)
	if err != nil {
		t.Fatalf("login %s: %v", user, err)
	}
	return cb
}

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
