// Package sandbox is Bankdesk's built-in, in-process TrueLayer sandbox: a faithful
// mock of TrueLayer's auth server and Data API v1 with its "Mock" bank, on two local
// listeners (like auth.truelayer-sandbox.com and api.truelayer-sandbox.com).
// Data is deterministic (a pure function of user, account and date), time comes from
// an injectable clock, and faults can be injected from Go or over HTTP.
package sandbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// ClientID is the only client the sandbox knows.
const ClientID = "sandbox-bankdesk"

// ClientSecret is public on purpose: the sandbox guards nothing real.
const ClientSecret = "sandbox-bankdesk-secret"

// Options configure a Server. The zero value is usable.
type Options struct {
	Now        func() time.Time // injectable clock; nil = time.Now
	TokenTTL   time.Duration    // access token expires_in; 0 = 1h
	AsyncPolls int              // polls answered Queued/Running before Succeeded; 0 = 1 (the async_ms fault overrides)
	Logger     *slog.Logger     // nil = discard

	// EnforceUnattendedLimit turns on the PSD2 cap of 4 unattended calls per day per
	// credential, account and endpoint (calls without X-PSU-IP). Off by default because
	// it would make ordinary tests flaky.
	EnforceUnattendedLimit bool

	// State restores what a previous run issued (Server.State): its
	// connections, their consents and live refresh tokens, and pending
	// codes, so a restart does not forget its bank. nil starts afresh.
	State []byte
	// Persist, when set, is handed the state after every request that may
	// change it (each POST), to keep for the next run's State.
	Persist func(state []byte)
}

// Server is a running sandbox: an auth server and an API host.
type Server struct {
	opts   Options
	log    *slog.Logger
	offset atomic.Int64 // Advance() shift added to Options.Now, in nanoseconds

	authLn, apiLn   net.Listener
	authSrv, apiSrv *http.Server
	authURL, apiURL string

	signer *signer

	mu       sync.Mutex // guards the auth state below
	dialogs  map[string]*dialog
	codes    map[string]*authCode
	creds    map[string]*credential
	refresh  map[string]*refreshToken
	access   map[string]*accessToken // by jti
	tasks    map[string]*task
	unattend map[string]int

	faultMu      sync.Mutex
	faults       Faults
	removeAnchor day // sandbox day remove_bookings was set

	bank *bank // generated account data, own locking

	bgCtx    context.Context
	bgCancel context.CancelFunc
	bg       sync.WaitGroup
	closed   atomic.Bool
}

// Start runs a sandbox with both listeners on 127.0.0.1 and random ports.
func Start(opts Options) (*Server, error) {
	return Listen("127.0.0.1:0", "127.0.0.1:0", opts)
}

// Listen runs a sandbox with the auth server on authAddr and the API host on apiAddr.
func Listen(authAddr, apiAddr string, opts Options) (*Server, error) {
	if opts.TokenTTL <= 0 {
		opts.TokenTTL = time.Hour
	}
	if opts.AsyncPolls <= 0 {
		opts.AsyncPolls = 1
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	sg, err := defaultSigner()
	if err != nil {
		return nil, fmt.Errorf("sandbox: signing key: %w", err)
	}
	s := &Server{
		opts:     opts,
		log:      log,
		signer:   sg,
		dialogs:  map[string]*dialog{},
		codes:    map[string]*authCode{},
		creds:    map[string]*credential{},
		refresh:  map[string]*refreshToken{},
		access:   map[string]*accessToken{},
		tasks:    map[string]*task{},
		unattend: map[string]int{},
	}
	if err := s.restore(opts.State); err != nil {
		return nil, fmt.Errorf("sandbox: restore state: %w", err)
	}
	s.bgCtx, s.bgCancel = context.WithCancel(context.Background())
	s.bank = newBank(s.now())

	s.authLn, err = net.Listen("tcp", authAddr)
	if err != nil {
		return nil, fmt.Errorf("sandbox: listen auth %s: %w", authAddr, err)
	}
	s.apiLn, err = net.Listen("tcp", apiAddr)
	if err != nil {
		_ = s.authLn.Close() // the listen error is the one to report
		return nil, fmt.Errorf("sandbox: listen api %s: %w", apiAddr, err)
	}
	s.authURL = "http://" + loopbackAddr(s.authLn.Addr())
	s.apiURL = "http://" + loopbackAddr(s.apiLn.Addr())

	s.authSrv = &http.Server{Handler: s.logged("auth", s.authHandler()), ReadHeaderTimeout: 10 * time.Second}
	s.apiSrv = &http.Server{Handler: s.logged("api", s.apiHandler()), ReadHeaderTimeout: 10 * time.Second}
	go s.serve(s.authSrv, s.authLn)
	go s.serve(s.apiSrv, s.apiLn)
	log.Info("sandbox started", "auth", s.authURL, "api", s.apiURL)
	return s, nil
}

func (s *Server) serve(srv *http.Server, ln net.Listener) {
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		s.log.Error("sandbox listener stopped", "err", err)
	}
}

// loopbackAddr turns a wildcard listen address into one a client can dial.
func loopbackAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok || tcp.IP == nil || tcp.IP.IsUnspecified() {
		if ok {
			return fmt.Sprintf("127.0.0.1:%d", tcp.Port)
		}
		return a.String()
	}
	return tcp.String()
}

// AuthURL is the auth server's host root, e.g. "http://127.0.0.1:PORT".
func (s *Server) AuthURL() string { return s.authURL }

// APIURL is the API host's root; the Data API lives under /data/v1.
func (s *Server) APIURL() string { return s.apiURL }

// Close stops both listeners and any background webhook deliveries.
func (s *Server) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	s.bgCancel()
	err := errors.Join(s.authSrv.Close(), s.apiSrv.Close())
	s.bg.Wait()
	return err
}

// now is the sandbox clock: Options.Now (or wall time) plus any Advance offset.
func (s *Server) now() time.Time {
	var t time.Time
	if s.opts.Now != nil {
		t = s.opts.Now()
	} else {
		t = time.Now()
	}
	return t.Add(time.Duration(s.offset.Load())).UTC()
}

// Advance moves the sandbox clock forward by d on top of Options.Now. It exists so
// other processes (end-to-end tests) can age tokens and consents over HTTP.
func (s *Server) Advance(d time.Duration) { s.offset.Add(int64(d)) }

// logged wraps a handler with a debug line per request; it never logs query strings
// because they can carry codes and tokens.
func (s *Server) logged(host string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(sw, r)
		s.log.Debug("sandbox request", "host", host, "method", r.Method, "path", r.URL.Path, "status", sw.status)
		if r.Method == http.MethodPost {
			s.persist() // token grants, logins, revocations, extends
		}
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the underlying writer (e.g. to hijack).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
