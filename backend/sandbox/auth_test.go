package sandbox

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestLoginReturnsCodeAndState(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	cb, err := Login(context.Background(), nil, link(s), "john", "doe")
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(cb)
	if u.Scheme != "bankdesk" || u.Host != "callback" {
		t.Fatalf("callback = %s", cb)
	}
	q := u.Query()
	if q.Get("code") == "" || q.Get("state") != "st-123" || q.Get("scope") != fullScope {
		t.Fatalf("callback query = %v", q)
	}
	tk := exchange(t, s, q.Get("code"))
	if tk.TokenType != "Bearer" || tk.ExpiresIn != 3600 || tk.Scope != fullScope {
		t.Fatalf("tokens = %+v", tk)
	}
	if !regexp.MustCompile(`^[0-9A-F]{64}$`).MatchString(tk.RefreshToken) {
		t.Fatalf("refresh token %q is not 64 upper-case hex", tk.RefreshToken)
	}
}

func TestLoopbackRedirectAndPlusScopes(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	l := link(s, "redirect_uri", "http://127.0.0.1:53682/callback")
	l = strings.ReplaceAll(l, "%20", "+")
	q := login(t, s, l, "john7", "doe42")
	st, b := postToken(t, s, url.Values{"grant_type": {"authorization_code"}, "code": {q.Get("code")},
		"redirect_uri": {"http://127.0.0.1:53682/callback"}})
	if st != 200 {
		t.Fatalf("exchange: %d %s", st, b)
	}
}

func TestAccessTokenClaims(t *testing.T) {
	s, _ := newSandbox(t, Options{TokenTTL: 10 * time.Minute})
	tk := connect(t, s, "john", "doe")
	parts := strings.Split(tk.AccessToken, ".")
	if len(parts) != 3 {
		t.Fatal("not a JWT")
	}
	var hdr, claims map[string]any
	h, _ := base64.RawURLEncoding.DecodeString(parts[0])
	c, _ := base64.RawURLEncoding.DecodeString(parts[1])
	mustUnmarshal(t, h, &hdr)
	mustUnmarshal(t, c, &claims)
	if hdr["alg"] != "RS256" || hdr["typ"] != "at+jwt" || hdr["kid"] == nil {
		t.Fatalf("header = %v", hdr)
	}
	me := get(t, s, tk.AccessToken, "/me").results(t)[0]
	if claims["sub"] != me["credentials_id"] || claims["connector_id"] != "mock" || claims["consent_id"] == "" {
		t.Fatalf("claims = %v, me = %v", claims, me)
	}
	if claims["exp"].(float64)-claims["iat"].(float64) != 600 || claims["auth_time"] == nil {
		t.Fatalf("exp/iat/auth_time = %v", claims)
	}
	if tk.ExpiresIn != 600 {
		t.Fatalf("expires_in = %d", tk.ExpiresIn)
	}
	if sc, ok := claims["scope"].([]any); !ok || len(sc) != 8 {
		t.Fatalf("scope claim = %v", claims["scope"])
	}
}

// dialogPage fetches a dialog page and returns its form's hidden fields.
func dialogForm(t *testing.T, c *http.Client, u string) (string, string, url.Values) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	f, ok := parseForm(string(b))
	if !ok {
		t.Fatalf("no form on %s: %s", u, b)
	}
	return pageKind(string(b)), f.action, f.values
}

// nextForm posts vals to the dialog's action and returns the form of the
// page it redirects to.
func nextForm(t *testing.T, c *http.Client, s *Server, action string, vals url.Values) (string, string, url.Values) {
	t.Helper()
	resp, err := c.PostForm(s.AuthURL()+action, vals)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return dialogForm(t, c, s.AuthURL()+resp.Header.Get("Location"))
}

// postLogin posts the login form vals as user with pass and returns the
// answer and its page.
func postLogin(t *testing.T, c *http.Client, s *Server, action string, vals url.Values, user, pass string) (*http.Response, string) {
	t.Helper()
	vals.Set("username", user)
	vals.Set("password", pass)
	vals.Set("action", "login")
	resp, err := c.PostForm(s.AuthURL()+action, vals)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func noRedirect() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func TestCancelReturnsAccessDenied(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	c := noRedirect()
	for _, page := range []string{"consent", "providers", "login"} {
		t.Run(page, func(t *testing.T) {
			u := link(s)
			kind, action, vals := dialogForm(t, c, u)
			// Walk forward to the page under test.
			for kind != page {
				switch kind {
				case "consent":
					vals.Set("action", "allow")
				case "providers":
					vals.Set("provider_id", "ob-kestrel")
				}
				kind, action, vals = nextForm(t, c, s, action, vals)
			}
			vals.Set("action", "cancel")
			resp, err := c.PostForm(s.AuthURL()+action, vals)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			loc, _ := url.Parse(resp.Header.Get("Location"))
			q := loc.Query()
			if resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc.String(), "bankdesk://callback?") ||
				q.Get("error") != "access_denied" || q.Get("state") != "st-123" || q.Get("error_description") == "" {
				t.Fatalf("cancel = %d %s", resp.StatusCode, loc)
			}
		})
	}
}

func TestFormPost(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	cb, err := Login(context.Background(), nil, link(s, "response_mode", "form_post"), "john", "doe")
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(cb)
	if u.Scheme != "bankdesk" || u.Query().Get("code") == "" || u.Query().Get("state") != "st-123" {
		t.Fatalf("form_post result = %s", cb)
	}
	exchange(t, s, u.Query().Get("code"))
}

func TestFormPostPageAutoSubmits(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	c := noRedirect()
	_, action, vals := dialogForm(t, c, link(s, "response_mode", "form_post", "provider_id", "mock"))
	vals.Set("action", "allow")
	_, action, vals = nextForm(t, c, s, action, vals)
	_, page := postLogin(t, c, s, action, vals, "john", "doe")
	for _, want := range []string{`action="bankdesk://callback"`, `name="code"`, `name="state" id="state" value="st-123"`, "<noscript>", `.submit()`} {
		if !strings.Contains(page, want) {
			t.Errorf("form_post page lacks %q:\n%s", want, page)
		}
	}
}

func TestProviderIDSkipsSelection(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	c := noRedirect()
	_, action, vals := dialogForm(t, c, link(s, "provider_id", "ob-northbank", "providers", "uk-ob-all"))
	vals.Set("action", "allow")
	kind, _, _ := nextForm(t, c, s, action, vals)
	if kind != "login" {
		t.Fatalf("after consent got %q, want the login page", kind)
	}
	tk := connect(t, s, "john", "doe", "provider_id", "ob-northbank")
	me := get(t, s, tk.AccessToken, "/me").results(t)[0]
	if p := me["provider"].(map[string]any); p["provider_id"] != "ob-northbank" || p["display_name"] != "Northbank" {
		t.Fatalf("provider = %v", p)
	}
	acc := get(t, s, tk.AccessToken, "/accounts").results(t)[0]
	if acc["provider"].(map[string]any)["provider_id"] != "ob-northbank" {
		t.Fatalf("account provider = %v", acc["provider"])
	}
}

func TestLoginPicksMockByDefault(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	tk := connect(t, s, "john", "doe")
	me := get(t, s, tk.AccessToken, "/me").results(t)[0]
	if me["provider"].(map[string]any)["provider_id"] != "mock" {
		t.Fatalf("provider = %v", me["provider"])
	}
}

func TestWrongCredentialsReshowLogin(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	_, err := Login(context.Background(), nil, link(s), "john", "wrong")
	if err == nil || !strings.Contains(err.Error(), "incorrect") {
		t.Fatalf("err = %v", err)
	}
	c := noRedirect()
	_, action, vals := dialogForm(t, c, link(s, "provider_id", "mock"))
	vals.Set("action", "allow")
	_, action, vals = nextForm(t, c, s, action, vals)
	_, b := postLogin(t, c, s, action, vals, "john", "nope")
	if pageKind(b) != "login" || !strings.Contains(b, `id="error"`) || !strings.Contains(b, `value="john"`) {
		t.Fatalf("wrong password page: %s", b)
	}
	// The same session still works with the right password.
	resp, _ := postLogin(t, c, s, action, vals, "john", "doe")
	if resp.StatusCode != http.StatusFound || !strings.Contains(resp.Header.Get("Location"), "code=") {
		t.Fatalf("retry = %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestInvalidAuthLinks(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	cases := map[string][]string{
		"response_type":  {"response_type", "token"},
		"client_id":      {"client_id", "someone-else"},
		"no redirect":    {"redirect_uri", ""},
		"bad redirect":   {"redirect_uri", "https://evil.example/callback"},
		"loopback path":  {"redirect_uri", "http://127.0.0.1:9/other"},
		"no scope":       {"scope", ""},
		"unknown scope":  {"scope", "accounts payments"},
		"response_mode":  {"response_mode", "fragment"},
		"pkce method":    {"code_challenge", "abc", "code_challenge_method", "plain"},
		"provider_id":    {"provider_id", "ob-nowhere"},
		"not in group":   {"providers", "uk-ob-all", "provider_id", "mock"},
		"empty provider": {"providers", "uk-oauth-all"},
	}
	for name, extra := range cases {
		t.Run(name, func(t *testing.T) {
			resp, err := noRedirect().Get(link(s, extra...))
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 400 || resp.Header.Get("Location") != "" || pageKind(string(b)) != "error" {
				t.Fatalf("got %d %q", resp.StatusCode, resp.Header.Get("Location"))
			}
		})
	}
}

func TestCodeSingleUseAndExpiry(t *testing.T) {
	s, clk := newSandbox(t, Options{})
	code := login(t, s, link(s), "john", "doe").Get("code")
	exchange(t, s, code)
	st, b := postToken(t, s, url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {"bankdesk://callback"}})
	if st != 400 || !strings.Contains(string(b), `"invalid_grant"`) {
		t.Fatalf("reuse: %d %s", st, b)
	}

	code = login(t, s, link(s), "john", "doe").Get("code")
	clk.Add(5*time.Minute + time.Second)
	st, b = postToken(t, s, url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {"bankdesk://callback"}})
	if st != 400 || !strings.Contains(string(b), `"invalid_grant"`) {
		t.Fatalf("expired: %d %s", st, b)
	}

	code = login(t, s, link(s), "john", "doe").Get("code")
	clk.Add(4*time.Minute + 59*time.Second)
	exchange(t, s, code)
}

func TestTokenEndpointErrors(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	code := login(t, s, link(s), "john", "doe").Get("code")
	cases := []struct {
		name   string
		form   url.Values
		status int
		code   string
	}{
		{"wrong secret", url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {"bankdesk://callback"}, "client_secret": {"nope"}}, 401, "unauthorized_client"},
		{"wrong client", url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {"bankdesk://callback"}, "client_id": {"other"}}, 401, "unauthorized_client"},
		{"no grant", url.Values{"code": {code}}, 400, "invalid_request"},
		{"no code", url.Values{"grant_type": {"authorization_code"}, "redirect_uri": {"bankdesk://callback"}}, 400, "invalid_request"},
		{"bad grant", url.Values{"grant_type": {"password"}}, 400, "invalid_request"},
		{"redirect mismatch", url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {"http://localhost:1/callback"}}, 400, "invalid_grant"},
		{"unknown code", url.Values{"grant_type": {"authorization_code"}, "code": {"nope"}, "redirect_uri": {"bankdesk://callback"}}, 400, "invalid_grant"},
		{"no refresh token", url.Values{"grant_type": {"refresh_token"}}, 400, "invalid_request"},
	}
	for _, tc := range cases {
		st, b := postToken(t, s, tc.form)
		var e authErrorBody
		mustUnmarshal(t, b, &e)
		if st != tc.status || e.Error != tc.code {
			t.Errorf("%s: %d %s, want %d %s", tc.name, st, b, tc.status, tc.code)
		}
	}
	// None of the failures consumed the code.
	exchange(t, s, code)

	resp, err := http.Post(s.AuthURL()+"/connect/token", "application/json", strings.NewReader(`{"grant_type":`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("malformed JSON: %d", resp.StatusCode)
	}
}

func TestTokenEndpointAcceptsJSON(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	code := login(t, s, link(s), "john", "doe").Get("code")
	body, _ := json.Marshal(map[string]string{"grant_type": "authorization_code", "client_id": ClientID,
		"client_secret": ClientSecret, "code": code, "redirect_uri": "bankdesk://callback"})
	resp, err := http.Post(s.AuthURL()+"/connect/token", "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var raw map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&raw); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("JSON exchange: %d %v", resp.StatusCode, raw)
	}
	for k := range raw {
		switch k {
		case "access_token", "expires_in", "token_type", "refresh_token", "scope":
		default:
			t.Errorf("unexpected token response field %q", k)
		}
	}
}

func TestPKCE(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	verifier, challenge := pkcePair()
	l := link(s, "code_challenge", challenge, "code_challenge_method", "S256")

	code := login(t, s, l, "john", "doe").Get("code")
	for _, v := range []string{"", "wrong-verifier"} {
		form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {"bankdesk://callback"}}
		if v != "" {
			form.Set("code_verifier", v)
		}
		st, b := postToken(t, s, form)
		if st != 400 || !strings.Contains(string(b), `"invalid_grant"`) {
			t.Fatalf("verifier %q: %d %s", v, st, b)
		}
	}
	exchange(t, s, code, "code_verifier", verifier)
}

func TestNoRefreshTokenWithoutOfflineAccess(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	tk := connect(t, s, "john", "doe", "scope", "info accounts")
	if tk.RefreshToken != "" || tk.Scope != "info accounts" {
		t.Fatalf("tokens = %+v", tk)
	}
}

func TestRefreshRotation(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	tk := connect(t, s, "john", "doe")
	st, tk2, b := refresh(t, s, tk.RefreshToken)
	if st != 200 || tk2.RefreshToken == "" || tk2.RefreshToken == tk.RefreshToken || tk2.AccessToken == "" {
		t.Fatalf("refresh: %d %s", st, b)
	}
	if st, _, b := refresh(t, s, tk.RefreshToken); st != 400 || !strings.Contains(string(b), "invalid_grant") {
		t.Fatalf("old refresh token still works: %d %s", st, b)
	}
	// Both access tokens stay valid until they expire.
	get(t, s, tk.AccessToken, "/me").results(t)
	get(t, s, tk2.AccessToken, "/me").results(t)
	if st, _, _ := refresh(t, s, tk2.RefreshToken); st != 200 {
		t.Fatal("rotated refresh token rejected")
	}
}

func TestRefreshIdleExpiry(t *testing.T) {
	s, clk := newSandbox(t, Options{})
	tk := connect(t, s, "john", "doe")
	clk.Add(29 * 24 * time.Hour)
	st, tk2, b := refresh(t, s, tk.RefreshToken)
	if st != 200 {
		t.Fatalf("day 29: %d %s", st, b)
	}
	clk.Add(30*24*time.Hour + time.Minute)
	if st, _, b := refresh(t, s, tk2.RefreshToken); st != 400 || !strings.Contains(string(b), "invalid_grant") {
		t.Fatalf("after 30 idle days: %d %s", st, b)
	}
}

func TestConsentExpiry(t *testing.T) {
	s, clk := newSandbox(t, Options{TokenTTL: 100 * 24 * time.Hour})
	tk := connect(t, s, "john", "doe")
	rt := tk.RefreshToken
	for range 3 { // keep the refresh token fresh: used every 29 days
		clk.Add(29 * 24 * time.Hour)
		st, next, b := refresh(t, s, rt)
		if st != 200 {
			t.Fatalf("refresh: %d %s", st, b)
		}
		rt = next.RefreshToken
	}
	get(t, s, tk.AccessToken, "/accounts").results(t) // day 87
	clk.Add(3*24*time.Hour + time.Second)             // past day 90
	if st, _, b := refresh(t, s, rt); st != 400 || !strings.Contains(string(b), "invalid_grant") {
		t.Fatalf("refresh after consent expiry: %d %s", st, b)
	}
	r := get(t, s, tk.AccessToken, "/accounts")
	if r.Status != 403 || r.errCode(t) != "access_denied" {
		t.Fatalf("data after consent expiry: %d %s", r.Status, r.Body)
	}
}

func TestAccessTokenExpiresOnSandboxClock(t *testing.T) {
	s, clk := newSandbox(t, Options{})
	tk := connect(t, s, "john", "doe")
	clk.Add(59 * time.Minute)
	get(t, s, tk.AccessToken, "/me").results(t)
	clk.Add(2 * time.Minute)
	r := get(t, s, tk.AccessToken, "/me")
	if r.Status != 401 || r.errCode(t) != "invalid_token" || !strings.Contains(string(r.Body), "The token expired at '") {
		t.Fatalf("expired token: %d %s", r.Status, r.Body)
	}
}

func TestExpireAccessTokens(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	tk := connect(t, s, "john", "doe")
	s.ExpireAccessTokens()
	if r := get(t, s, tk.AccessToken, "/me"); r.Status != 401 || r.errCode(t) != "invalid_token" {
		t.Fatalf("after ExpireAccessTokens: %d %s", r.Status, r.Body)
	}
	_, tk2, _ := refresh(t, s, tk.RefreshToken)
	get(t, s, tk2.AccessToken, "/me").results(t)

	// Over HTTP too.
	resp, err := http.Post(s.AuthURL()+"/__sandbox/expire-access-tokens", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if r := get(t, s, tk2.AccessToken, "/me"); r.Status != 401 {
		t.Fatalf("after HTTP expire: %d", r.Status)
	}
}

func TestInvalidBearer(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	if r := get(t, s, "", "/me"); r.Status != 401 || r.errCode(t) != "unauthorized" {
		t.Fatalf("missing: %d %s", r.Status, r.Body)
	}
	if r := get(t, s, "garbage", "/me"); r.Status != 401 || r.errCode(t) != "invalid_token" {
		t.Fatalf("garbage: %d %s", r.Status, r.Body)
	}
	// A token from another sandbox (same signing key) is unknown here.
	other, _ := newSandbox(t, Options{})
	tk := connect(t, other, "john", "doe")
	if r := get(t, s, tk.AccessToken, "/me"); r.Status != 401 || r.errCode(t) != "invalid_token" {
		t.Fatalf("foreign token: %d %s", r.Status, r.Body)
	}
}

func TestDeleteRevokesConnection(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	tk := connect(t, s, "john", "doe")
	r := do(t, http.MethodDelete, s.AuthURL()+"/api/delete", tk.AccessToken, nil)
	if r.Status != 200 || len(r.Body) != 0 {
		t.Fatalf("delete: %d %q", r.Status, r.Body)
	}
	if r := get(t, s, tk.AccessToken, "/accounts"); r.Status != 403 || r.errCode(t) != "access_denied" {
		t.Fatalf("data after delete: %d %s", r.Status, r.Body)
	}
	if st, _, b := refresh(t, s, tk.RefreshToken); st != 400 || !strings.Contains(string(b), "invalid_grant") {
		t.Fatalf("refresh after delete: %d %s", st, b)
	}
	if r := do(t, http.MethodDelete, s.AuthURL()+"/api/delete", "", nil); r.Status != 401 {
		t.Fatalf("delete without token: %d", r.Status)
	}
}

func TestProvidersAndLogos(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	r := do(t, http.MethodGet, s.AuthURL()+"/api/providers?clientId="+ClientID+"&country=uk&scopes=info%20accounts", "", nil)
	var ps []providerJSON
	if err := json.Unmarshal(r.Body, &ps); err != nil || r.Status != 200 {
		t.Fatalf("providers: %d %s", r.Status, r.Body)
	}
	if len(ps) < 4 || ps[0].ProviderID != "mock" || ps[0].Country != "uk" || len(ps[0].Scopes) == 0 {
		t.Fatalf("providers = %+v", ps)
	}
	for _, p := range ps {
		lr := do(t, http.MethodGet, p.LogoURL, "", nil)
		if lr.Status != 200 || lr.Header.Get("Content-Type") != "image/svg+xml" || !strings.HasPrefix(string(lr.Body), "<svg") {
			t.Errorf("logo %s: %d", p.LogoURL, lr.Status)
		}
	}
	r = do(t, http.MethodGet, s.AuthURL()+"/api/providers?country=fr", "", nil)
	if string(r.Body) != "[]" {
		t.Fatalf("fr providers = %s", r.Body)
	}
	if r := do(t, http.MethodGet, s.AuthURL()+"/img/banks/nope.svg", "", nil); r.Status != 404 {
		t.Fatalf("unknown logo: %d", r.Status)
	}
}

func TestDialogPagesAreAccessible(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	c := noRedirect()
	resp, _ := c.Get(link(s))
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.Header.Get("X-Frame-Options") != "DENY" || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Fatalf("framing headers: %v", resp.Header)
	}
	for _, want := range []string{`lang="en"`, `id="allow"`, `id="cancel"`, "Your transactions", "Keep access to this data for 90 days"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("consent page lacks %q", want)
		}
	}
	_, action, vals := dialogForm(t, c, link(s))
	vals.Set("action", "allow")
	resp, _ = c.PostForm(s.AuthURL()+action, vals)
	resp.Body.Close()
	resp, _ = c.Get(s.AuthURL() + resp.Header.Get("Location"))
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`id="provider-mock"`, `id="provider-ob-ashford"`, "Kestrel Bank", `/img/banks/ob-northbank.svg`, `id="cancel"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("providers page lacks %q", want)
		}
	}
}
