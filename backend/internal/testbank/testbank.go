// Package testbank is the bottom of the backend's shared test environment:
// a fresh encrypted store, an in-process sandbox, a TrueLayer client on it
// whose every response is checked against TrueLayer's OpenAPI specs, and a
// login through the sandbox's dialog. Everything it starts is stopped by
// t.Cleanup.
//
// It imports none of the services (connect, tokens, syncer, consent), so
// their in-package tests can use it; package testenv builds the wired
// backend on it.
package testbank

import (
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"bankdesk/backend/internal/spectest"
	"bankdesk/backend/internal/testclock"
	"bankdesk/backend/sandbox"
	"bankdesk/backend/store"
	"bankdesk/backend/truelayer"
	"bankdesk/backend/vault"
)

// Start is day 0 of the tests' clocks.
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

// Query is the query of the URL raw (an auth link, a callback); t fails if
// raw does not parse.
func Query(t testing.TB, raw string) url.Values {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}
