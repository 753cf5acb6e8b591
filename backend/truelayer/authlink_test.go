package truelayer

import (
	"net/url"
	"strings"
	"testing"
)

func authLinkClient(t *testing.T) *Client {
	c, err := New(Config{
		AuthURL:     "https://auth.truelayer-sandbox.com/",
		APIURL:      "https://api.truelayer-sandbox.com",
		ClientID:    "sandbox-bankdesk",
		RedirectURI: "bankdesk://callback",
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestAuthLinkExact(t *testing.T) {
	c := authLinkClient(t)
	got := c.AuthLink(AuthLinkParams{
		Scopes:        []string{"info", "accounts", "balance"},
		State:         "st 1+2",
		Providers:     []string{"uk-ob-all", "uk-oauth-all"},
		ProviderID:    "ob-monzo",
		ResponseMode:  "form_post",
		CodeChallenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
	})
	want := "https://auth.truelayer-sandbox.com/?response_type=code&client_id=sandbox-bankdesk" +
		"&redirect_uri=bankdesk%3A%2F%2Fcallback&scope=info%20accounts%20balance&state=st%201%2B2" +
		"&providers=uk-ob-all%20uk-oauth-all&provider_id=ob-monzo&response_mode=form_post" +
		"&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"
	if got != want {
		t.Errorf("AuthLink:\n got %s\nwant %s", got, want)
	}
}

func TestAuthLinkDefaultsAndEncoding(t *testing.T) {
	c := authLinkClient(t)
	link := c.AuthLink(AuthLinkParams{State: "abc"})
	if strings.Contains(link, "+") {
		t.Errorf("link uses '+' for spaces: %s", link)
	}
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	if u.Path != "/" {
		t.Errorf("path %q, want host root", u.Path)
	}
	q := u.Query()
	if got := q.Get("scope"); got != strings.Join(DefaultScopes, " ") {
		t.Errorf("scope %q", got)
	}
	for _, k := range []string{"providers", "provider_id", "response_mode", "code_challenge", "code_challenge_method"} {
		if q.Has(k) {
			t.Errorf("unexpected %s in %s", k, link)
		}
	}
	if q.Get("redirect_uri") != "bankdesk://callback" || q.Get("response_type") != "code" || q.Get("client_id") != "sandbox-bankdesk" {
		t.Errorf("query %v", q)
	}
}

func TestAuthLinkProviderID(t *testing.T) {
	c := authLinkClient(t)
	tests := []struct {
		providers []string
		id        string
		want      string // providers value
	}{
		{nil, "ob-monzo", "ob-monzo"},
		{[]string{"uk-ob-all"}, "ob-monzo", "uk-ob-all"},
		{[]string{"uk-ob-all"}, "uk-ob-monzo", "uk-ob-all"},
		{[]string{"uk-oauth-all"}, "ob-monzo", "uk-oauth-all ob-monzo"},
		{[]string{"ob-monzo"}, "ob-monzo", "ob-monzo"},
		{[]string{"uk-cs-mock"}, "mock", "uk-cs-mock mock"},
		{[]string{"ie-ob-all"}, "ob-monzo", "ie-ob-all ob-monzo"},
		{[]string{"de-xs2a-all"}, "de-xs2a-commerzbank", "de-xs2a-all"},
	}
	for _, tt := range tests {
		in := append([]string(nil), tt.providers...)
		u, _ := url.Parse(c.AuthLink(AuthLinkParams{Providers: in, ProviderID: tt.id}))
		q := u.Query()
		if got := q.Get("providers"); got != tt.want || q.Get("provider_id") != tt.id {
			t.Errorf("providers %v + %s: got providers=%q provider_id=%q, want %q", tt.providers, tt.id, got, q.Get("provider_id"), tt.want)
		}
		if strings.Join(in, ",") != strings.Join(tt.providers, ",") {
			t.Errorf("AuthLink modified the caller's Providers: %v", in)
		}
	}
}

func TestAuthLinkOverridesAndExtra(t *testing.T) {
	c := authLinkClient(t)
	link := c.AuthLink(AuthLinkParams{
		RedirectURI:  "http://127.0.0.1:5555/callback",
		ResponseMode: "query",
		Extra:        url.Values{"enable_mock": {"true"}, "disable_providers": {"a b"}},
	})
	u, _ := url.Parse(link)
	q := u.Query()
	if q.Get("redirect_uri") != "http://127.0.0.1:5555/callback" || q.Get("response_mode") != "query" || q.Get("enable_mock") != "true" {
		t.Errorf("query %v", q)
	}
	if !strings.HasSuffix(link, "&disable_providers=a%20b&enable_mock=true") {
		t.Errorf("extra params not appended in key order: %s", link)
	}
}

func TestPKCE(t *testing.T) {
	// RFC 7636 appendix B.
	if got := S256Challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"); got != "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" {
		t.Errorf("S256Challenge = %s", got)
	}
	a, b := NewVerifier(), NewVerifier()
	if len(a) != 43 || a == b {
		t.Errorf("NewVerifier: %q %q", a, b)
	}
}
