// Package callback parses the URL a bank's auth dialog redirects to: the
// custom-scheme deep link bankdesk://callback?... or, in loopback mode,
// http://127.0.0.1:PORT/callback?... It arrives from outside (the OS passes it
// to a second process, anyone can craft one), so it is parsed strictly and
// nothing in it is trusted until its state matches a pending attempt.
package callback

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits keep a hostile URL from costing memory or ending up in storage.
const (
	MaxURLLength         = 8 << 10
	MaxCodeLength        = 4 << 10
	MaxStateLength       = 512
	MaxDescriptionLength = 1 << 10
	// MaxParams bounds the parameters (values, counting repeats) of one
	// callback, and MaxExtraLength each one Bankdesk does not read.
	MaxParams      = 32
	MaxExtraLength = 2 << 10
	maxNameLength  = 64
)

// read are the parameters Bankdesk uses; each may appear once. Anything
// else the dialog adds (TrueLayer's scope, error_uri, whatever comes
// next) is checked for size and ignored: it decides nothing.
var read = map[string]bool{"code": true, "state": true, "error": true, "error_description": true}

// ErrMalformed is wrapped by every parse failure.
var ErrMalformed = errors.New("not a valid bank callback")

// Result is a parsed callback. Exactly one of Code or Error is set. State
// is set with every Code; an Error may come without it (Stateless), when
// the user cancelled somewhere the dialog no longer knew the attempt.
type Result struct {
	Code             string
	State            string
	Error            string // e.g. access_denied when the user cancelled
	ErrorDescription string
}

// Cancelled reports whether the user cancelled at the bank or in the dialog.
func (r Result) Cancelled() bool { return r.Error == "access_denied" }

// Stateless reports an error redirect that names no attempt: it can be
// shown, but it matches, consumes and stores nothing.
func (r Result) Stateless() bool { return r.Error != "" && r.State == "" }

// String never shows the code: it is a credential until exchanged.
func (r Result) String() string {
	if r.Error != "" {
		return fmt.Sprintf("callback{error=%s state=%s}", r.Error, r.State)
	}
	return fmt.Sprintf("callback{code=[redacted] state=%s}", r.State)
}

// Parse checks raw against the redirect URI Bankdesk registered and extracts
// the result. The redirect must match on scheme, host (and port) and path;
// the query carries code and state, or error (and error_description, and
// state when the dialog still had it), plus extras such as TrueLayer's
// scope, which are ignored.
func Parse(raw, redirectURI string) (Result, error) {
	if len(raw) > MaxURLLength {
		return Result{}, malformed("longer than %d bytes", MaxURLLength)
	}
	want, err := url.Parse(redirectURI)
	if err != nil || want.Scheme == "" {
		return Result{}, fmt.Errorf("callback: bad redirect URI %q", redirectURI)
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return Result{}, malformed("unparsable URL")
	}
	if u.Opaque != "" || u.User != nil || u.Fragment != "" {
		return Result{}, malformed("unexpected URL form")
	}
	if !strings.EqualFold(u.Scheme, want.Scheme) || !strings.EqualFold(u.Host, want.Host) || trimSlash(u.Path) != trimSlash(want.Path) {
		return Result{}, malformed("expected %s, got %s://%s%s", redirectURI, u.Scheme, u.Host, u.Path)
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return Result{}, malformed("bad query")
	}
	return FromValues(q)
}

// FromValues checks the fields of a callback that arrived as a query or as a
// form_post body.
func FromValues(q url.Values) (Result, error) {
	n := 0
	for k, vs := range q {
		n += len(vs)
		if n > MaxParams {
			return Result{}, malformed("more than %d parameters", MaxParams)
		}
		if read[k] {
			if len(vs) != 1 {
				return Result{}, malformed("parameter %q given %d times", k, len(vs))
			}
			continue
		}
		if len(k) > maxNameLength || !printable(k) {
			return Result{}, malformed("bad parameter name")
		}
		for _, v := range vs {
			if len(v) > MaxExtraLength || !displayable(v) {
				return Result{}, malformed("bad parameter %q", k)
			}
		}
	}
	r := Result{
		Code:             q.Get("code"),
		State:            q.Get("state"),
		Error:            q.Get("error"),
		ErrorDescription: q.Get("error_description"),
	}
	switch {
	case r.Code != "" && r.Error != "":
		return Result{}, malformed("both code and error")
	case r.Code == "" && r.Error == "":
		return Result{}, malformed("neither code nor error")
	case r.Code != "" && r.State == "":
		return Result{}, malformed("no state")
	case len(r.State) > MaxStateLength || !printable(r.State):
		return Result{}, malformed("bad state")
	case len(r.Code) > MaxCodeLength || !printable(r.Code):
		return Result{}, malformed("bad code")
	case len(r.Error) > 64 || !printable(r.Error):
		return Result{}, malformed("bad error code")
	case len(r.ErrorDescription) > MaxDescriptionLength || !displayable(r.ErrorDescription):
		return Result{}, malformed("bad error description")
	}
	return r, nil
}

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, args...))
}

func trimSlash(p string) string { return strings.TrimRight(p, "/") }

// displayable accepts text that may be shown (the bank's error
// description) or that is ignored: valid UTF-8 without control
// characters, which could rewrite a terminal or a log line.
func displayable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// printable accepts visible ASCII only: codes and states are URL-safe tokens,
// and anything else is a sign of a forged or mangled URL.
func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

// IsCallbackURL reports whether an argument looks like a deep link for
// Bankdesk, so the process hands it to the window instead of treating it as
// a command.
func IsCallbackURL(arg string) bool {
	return strings.HasPrefix(strings.ToLower(arg), "bankdesk:")
}
