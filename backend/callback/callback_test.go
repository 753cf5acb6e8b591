package callback

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

const deepLink = "bankdesk://callback"

// What Parse accepts, and what it reads from it. TrueLayer adds scope to
// the redirect, and may add more; what Bankdesk does not read is ignored
// (within size limits), never "malformed". An error redirect without state
// (a cancel the dialog could not tie to the attempt) is a result, not a
// malformed URL: it names no attempt.
func TestParseAccepts(t *testing.T) {
	ok := Result{Code: "abc123", State: "s1"}
	for _, tc := range []struct {
		name, raw string
		redirect  string // deepLink when empty
		want      Result
		cancelled bool
	}{
		{name: "code and state", raw: "bankdesk://callback?code=abc123&state=s1", want: ok},
		{name: "slash and scope", raw: "bankdesk://callback/?code=abc123&state=s1&scope=info%20accounts", want: ok},
		{name: "upper-case scheme", raw: "BANKDESK://callback?state=s1&code=abc123", want: ok},
		{name: "every scope", raw: "bankdesk://callback?code=abc123&state=s1&scope=info%20accounts%20balance%20cards%20transactions%20offline_access", want: ok},
		{name: "repeated scope", raw: "bankdesk://callback?code=abc123&state=s1&scope=info&scope=accounts", want: ok},
		{name: "unknown extras", raw: "bankdesk://callback?code=abc123&state=s1&redirect=https://evil.example&tracking_id=x&consent_id=c-1", want: ok},
		{name: "non-ascii extra", raw: "bankdesk://callback?code=abc123&state=s1&note=caf%C3%A9%20ol%C3%A9", want: ok},
		{name: "empty extra", raw: "bankdesk://callback?code=abc123&state=s1&empty=", want: ok},
		{
			name: "cancelled", raw: "bankdesk://callback?error=access_denied&error_description=User%20cancelled&state=s2",
			want: Result{State: "s2", Error: "access_denied", ErrorDescription: "User cancelled"}, cancelled: true,
		},
		{
			name: "stateless cancel", raw: "bankdesk://callback?error=access_denied&error_description=User%20cancelled%20at%20the%20bank&scope=info",
			want: Result{Error: "access_denied", ErrorDescription: "User cancelled at the bank"}, cancelled: true,
		},
		{
			name: "stateless error", raw: "bankdesk://callback?error=temporarily_unavailable&error_description=The%20bank%20is%20down",
			want: Result{Error: "temporarily_unavailable", ErrorDescription: "The bank is down"},
		},
		{name: "loopback", raw: "http://127.0.0.1:43123/callback?code=c&state=s", redirect: "http://127.0.0.1:43123/callback", want: Result{Code: "c", State: "s"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			redirect := tc.redirect
			if redirect == "" {
				redirect = deepLink
			}
			r, err := Parse(tc.raw, redirect)
			if err != nil {
				t.Fatalf("%s: %v", tc.raw, err)
			}
			if r != tc.want || r.Cancelled() != tc.cancelled {
				t.Fatalf("%s: %+v (cancelled %v), want %+v (cancelled %v)", tc.raw, r, r.Cancelled(), tc.want, tc.cancelled)
			}
		})
	}
}

func TestParseLoopbackOtherPort(t *testing.T) {
	if _, err := Parse("http://127.0.0.1:9999/callback?code=c&state=s", "http://127.0.0.1:43123/callback"); !errors.Is(err, ErrMalformed) {
		t.Fatalf("other port accepted: %v", err)
	}
}

func TestParseRejects(t *testing.T) {
	long := strings.Repeat("a", MaxCodeLength+1)
	for name, raw := range map[string]string{
		"other scheme":                "https://callback?code=c&state=s",
		"other host":                  "bankdesk://evil?code=c&state=s",
		"other path":                  "bankdesk://callback/x?code=c&state=s",
		"no state":                    "bankdesk://callback?code=c",
		"no code or error":            "bankdesk://callback?state=s",
		"both":                        "bankdesk://callback?code=c&error=access_denied&state=s",
		"duplicate state":             "bankdesk://callback?code=c&state=s&state=t",
		"duplicate code":              "bankdesk://callback?code=c&code=d&state=s",
		"duplicate error":             "bankdesk://callback?error=access_denied&error=x&state=s",
		"duplicate error description": "bankdesk://callback?error=access_denied&error_description=a&error_description=b",
		"stateless code":              "bankdesk://callback?code=c&scope=info",
		"huge extra":                  "bankdesk://callback?code=c&state=s&x=" + strings.Repeat("x", MaxExtraLength+1),
		"control in extra":            "bankdesk://callback?code=c&state=s&x=a%1Bb",
		"bad extra name":              "bankdesk://callback?code=c&state=s&a%0Ab=1",
		"too many parameters":         "bankdesk://callback?code=c&state=s" + strings.Repeat("&x=1", MaxParams),
		"escape in description":       "bankdesk://callback?error=server_error&state=s&error_description=%1B%5B2J",
		"invalid utf-8 description":   "bankdesk://callback?error=server_error&state=s&error_description=%FF",
		"huge description":            "bankdesk://callback?error=server_error&state=s&error_description=" + strings.Repeat("d", MaxDescriptionLength+1),
		"control characters":          "bankdesk://callback?code=c%0Ad&state=s",
		"non-ascii state":             "bankdesk://callback?code=c&state=%C3%A9",
		"huge code":                   "bankdesk://callback?state=s&code=" + long,
		"userinfo":                    "bankdesk://user@callback?code=c&state=s",
		"fragment":                    "bankdesk://callback?code=c&state=s#frag",
		"opaque":                      "bankdesk:callback?code=c&state=s",
		"bad escape":                  "bankdesk://callback?code=%zz&state=s",
		"empty":                       "",
		"over the size limit":         "bankdesk://callback?code=c&state=" + strings.Repeat("s", MaxURLLength),
	} {
		t.Run(name, func(t *testing.T) {
			if r, err := Parse(raw, deepLink); !errors.Is(err, ErrMalformed) {
				t.Fatalf("accepted %q as %+v (err %v)", raw, r, err)
			}
		})
	}
}

func TestStringRedactsCode(t *testing.T) {
	r := Result{Code: "secret-code", State: "s"}
	if strings.Contains(r.String(), "secret-code") {
		t.Fatal(r.String())
	}
}

func TestIsCallbackURL(t *testing.T) {
	if !IsCallbackURL("bankdesk://callback?x") || IsCallbackURL("sandbox") || IsCallbackURL("https://x") {
		t.Fatal("IsCallbackURL misclassifies")
	}
}

// FuzzParse: whatever the input, Parse never panics, and anything it accepts
// satisfies the invariants the connect flow relies on.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"bankdesk://callback?code=abc&state=xyz",
		"bankdesk://callback?error=access_denied&state=xyz",
		"bankdesk://callback/?code=a&state=b&scope=info%20accounts",
		"http://127.0.0.1:5000/callback?code=a&state=b",
		"bankdesk://callback?code=a&code=b&state=c",
		"bankdesk://callback?code=%00&state=b",
		"bankdesk:callback",
		"bankdesk://callback?state=" + strings.Repeat("x", 600),
		"",
		"%",
		"bankdesk://callback?;code=a&state=b",
		"bankdesk://callback?error=access_denied",
		"bankdesk://callback?code=a&state=b&scope=info&x=y",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		r, err := Parse(raw, deepLink)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error not classified as malformed: %v", err)
			}
			return
		}
		if (r.Code != "" && r.State == "") || (r.Code == "") == (r.Error == "") {
			t.Fatalf("accepted inconsistent result %+v from %q", r, raw)
		}
		if len(r.Code) > MaxCodeLength || len(r.State) > MaxStateLength || !printable(r.Code) || !printable(r.State) {
			t.Fatalf("accepted oversize or unprintable fields from %q", raw)
		}
		u, _ := url.Parse(raw)
		if u == nil || !strings.EqualFold(u.Scheme, "bankdesk") || !strings.EqualFold(u.Host, "callback") {
			t.Fatalf("accepted a URL for someone else: %q", raw)
		}
	})
}
