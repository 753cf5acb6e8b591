// Package loopback receives the bank's redirect on http://127.0.0.1:PORT/
// callback, for systems (or TrueLayer clients) where the bankdesk:// scheme
// cannot be used. The browser lands on a small page that says what happened.
//
// Any web page the user visits can make the browser send a request to this
// port (an <img>, a cross-site form), and so can any local program. So the
// listener answers only requests addressed to the loopback host itself, and
// its handler tells it which callbacks belong to a login in progress: the
// others are refused and change nothing.
package loopback

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"bankdesk/backend/callback"
)

// Limits on one request. A real callback is one URL or one small form
// (callback.MaxURLLength); the headers leave room for the cookies a browser
// keeps for 127.0.0.1 and localhost, which other local apps set.
const (
	MaxHeaderBytes    = 64 << 10
	MaxBodyBytes      = callback.MaxURLLength
	ReadHeaderTimeout = 10 * time.Second
	ReadTimeout       = 30 * time.Second // headers and body: a slow sender cannot hold a connection
	IdleTimeout       = 30 * time.Second
)

// ErrIgnored, wrapped by a Handler's error, means the callback belongs to
// no login in progress (an unknown state): the request is answered 400 and
// forgotten, and the listener keeps waiting for the real one.
var ErrIgnored = errors.New("not a callback for a login in progress")

// IsLoopback reports whether a redirect URI points at this machine over
// plain HTTP, which is the loopback mode.
func IsLoopback(redirectURI string) bool {
	u, err := url.Parse(redirectURI)
	if err != nil || u.Scheme != "http" {
		return false
	}
	switch u.Hostname() {
	case "127.0.0.1", "localhost", "::1":
		return u.Port() != ""
	}
	return false
}

// FreeRedirectURI is a loopback redirect URI on a port free right now, for
// a login whose redirect nobody registered in advance: the built-in
// sandbox accepts any loopback port (backend/sandbox/auth.go).
func FreeRedirectURI() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("find a free loopback port: %w", err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	if err := ln.Close(); err != nil {
		return "", fmt.Errorf("find a free loopback port: %w", err)
	}
	return fmt.Sprintf("http://127.0.0.1:%d/callback", port), nil
}

// Handler completes a callback and returns a sentence for the browser page.
// An error's text is shown there as it is, so the handler words it for a
// person. An error wrapping ErrIgnored refuses the callback as not ours.
type Handler func(ctx context.Context, cb callback.Result) (message string, err error)

// Server listens on the redirect URI's address.
type Server struct {
	srv   *http.Server
	ln    net.Listener
	path  string
	hosts map[string]bool // the Host values a browser sends for the redirect URI
}

// Listen starts serving the redirect URI's path on its host and port.
func Listen(redirectURI string, h Handler) (*Server, error) {
	if !IsLoopback(redirectURI) {
		return nil, fmt.Errorf("loopback: %q is not an http://127.0.0.1:PORT/... redirect", redirectURI)
	}
	u, _ := url.Parse(redirectURI)
	ln, err := net.Listen("tcp", u.Host)
	if err != nil {
		return nil, fmt.Errorf("loopback: listen on %s (is another Bankdesk running?): %w", u.Host, err)
	}
	s := &Server{ln: ln, path: strings.TrimRight(u.Path, "/"), hosts: hostsFor(u.Hostname(), ln.Addr().(*net.TCPAddr).Port)}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { s.serve(w, r, h) })
	s.srv = &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout:       ReadTimeout,
		IdleTimeout:       IdleTimeout,
		MaxHeaderBytes:    MaxHeaderBytes,
	}
	go func() { _ = s.srv.Serve(ln) }() // http.ErrServerClosed once Close shuts it down
	return s, nil
}

// hostsFor lists the Host headers that name this listener: the redirect's
// own host, and its loopback synonyms, each with the port. Anything else
// (attacker.example resolving to 127.0.0.1, say) is a request meant for
// another site.
func hostsFor(host string, port int) map[string]bool {
	p := strconv.Itoa(port)
	hosts := map[string]bool{net.JoinHostPort(host, p): true, "localhost:" + p: true}
	if host != "::1" {
		hosts["127.0.0.1:"+p] = true
	}
	return hosts
}

// Close stops the listener.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return s.srv.Shutdown(ctx)
}

// Addr is where the server listens.
func (s *Server) Addr() string { return s.ln.Addr().String() }

func (s *Server) serve(w http.ResponseWriter, r *http.Request, h Handler) {
	if !s.hosts[strings.ToLower(r.Host)] {
		http.Error(w, "misdirected request", http.StatusMisdirectedRequest)
		return
	}
	if strings.TrimRight(r.URL.Path, "/") != s.path {
		http.NotFound(w, r)
		return
	}
	var q url.Values
	switch r.Method {
	case http.MethodGet:
		q = r.URL.Query()
	case http.MethodPost: // response_mode=form_post keeps the code out of the URL
		r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
		if err := r.ParseForm(); err != nil {
			page(w, http.StatusBadRequest, "Bankdesk could not read the bank's answer.", false)
			return
		}
		q = r.PostForm
	default:
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	cb, err := callback.FromValues(q)
	if err != nil {
		page(w, http.StatusBadRequest, "This is not a bank answer Bankdesk understands.", false)
		return
	}
	msg, err := h(r.Context(), cb)
	switch {
	case errors.Is(err, ErrIgnored):
		page(w, http.StatusBadRequest, "This answer belongs to no login Bankdesk is waiting for: it may be from an earlier attempt, or used already.", false)
	case err != nil:
		page(w, http.StatusOK, err.Error(), false)
	default:
		page(w, http.StatusOK, msg, true)
	}
}

// Advice ends every page the browser shows, whatever happened: the login
// continues (or starts again) in Bankdesk's window, not in this tab.
const Advice = "You can close this tab and return to Bankdesk."

// pageTmpl is self-contained (its CSP allows nothing but its own inline
// style): the logo is inline SVG, the fonts are the system's.
var pageTmpl = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{if .OK}}Connected{{else}}Not connected{{end}} · Bankdesk</title>
<style>
body{margin:0;min-height:100vh;display:grid;place-items:center;background:#f6f7f9;color:#1c2430;
font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Cantarell,sans-serif}
main{box-sizing:border-box;width:min(30rem,calc(100vw - 2rem));background:#fff;border:1px solid #e3e6ea;
border-top:4px solid #1f6f5c;border-radius:12px;padding:1.75rem 2rem;text-align:center}
main.bad{border-top-color:#a11d1d}
h1{font-size:1.3rem;margin:.75rem 0 .5rem}.ok h1{color:#1f6f5c}.bad h1{color:#a11d1d}
p{margin:.5rem 0}.advice{font-weight:600;margin-top:1rem}
</style></head>
<body><main class="{{if .OK}}ok{{else}}bad{{end}}">
<svg aria-hidden="true" viewBox="0 0 32 32" width="40" height="40"><rect width="32" height="32" rx="7" fill="#1f6f5c"/>
<path d="M7 13 16 7l9 6v2H7zM9 17h3v7H9zm5.5 0h3v7h-3zM20 17h3v7h-3zM7 25h18v2H7z" fill="#fff"/></svg>
<h1>{{if .OK}}Connected{{else}}Not connected{{end}}</h1>
<p class="message">{{.Message}}</p>
<p class="advice">{{.Advice}}</p>
</main></body></html>
`))

func page(w http.ResponseWriter, status int, msg string, ok bool) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	w.WriteHeader(status)
	if err := pageTmpl.Execute(w, struct {
		OK              bool
		Message, Advice string
	}{ok, msg, Advice}); err != nil && !errors.Is(err, http.ErrHandlerTimeout) {
		return
	}
}
