package sandbox

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"bankdesk/backend/internal/testclock"
)

// testStart is a fixed sandbox clock start: a weekday afternoon, mid-month.
var testStart = time.Date(2026, 3, 11, 14, 30, 0, 0, time.UTC)

func newSandbox(t testing.TB, opts Options) (*Server, *testclock.Clock) {
	t.Helper()
	clk := testclock.New(testStart)
	if opts.Now == nil {
		opts.Now = clk.Now
	}
	s, err := Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, clk
}

const fullScope = "info accounts balance cards transactions direct_debits standing_orders offline_access"

// link builds an auth link; extra pairs override or add parameters ("" deletes).
func link(s *Server, extra ...string) string {
	q := url.Values{
		"response_type": {"code"},
		"client_id":     {ClientID},
		"redirect_uri":  {"bankdesk://callback"},
		"scope":         {fullScope},
		"state":         {"st-123"},
	}
	for i := 0; i+1 < len(extra); i += 2 {
		if extra[i+1] == "" {
			q.Del(extra[i])
		} else {
			q.Set(extra[i], extra[i+1])
		}
	}
	// TrueLayer wants %20 between scopes.
	return s.AuthURL() + "/?" + strings.ReplaceAll(q.Encode(), "+", "%20")
}

func login(t testing.TB, s *Server, authLink, user, pass string) url.Values {
	t.Helper()
	cb, err := Login(context.Background(), nil, authLink, user, pass)
	if err != nil {
		t.Fatalf("Login(%s): %v", user, err)
	}
	u, err := url.Parse(cb)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}

type tokens struct {
	AccessToken  string `json:"access_token"`
	ExpiresIn    int64  `json:"expires_in"`
	TokenType    string `json:"token_type"`
	RefreshToken string `json:"refresh_token"`
	Scope        string `json:"scope"`
}

// postToken sends a form-encoded token request and returns status and body.
func postToken(t testing.TB, s *Server, form url.Values) (int, []byte) {
	t.Helper()
	if form.Get("client_id") == "" {
		form.Set("client_id", ClientID)
	}
	if form.Get("client_secret") == "" {
		form.Set("client_secret", ClientSecret)
	}
	resp, err := http.PostForm(s.AuthURL()+"/connect/token", form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func exchange(t testing.TB, s *Server, code string, extra ...string) tokens {
	t.Helper()
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {"bankdesk://callback"}}
	for i := 0; i+1 < len(extra); i += 2 {
		form.Set(extra[i], extra[i+1])
	}
	st, b := postToken(t, s, form)
	if st != 200 {
		t.Fatalf("exchange: %d %s", st, b)
	}
	var tk tokens
	if err := json.Unmarshal(b, &tk); err != nil {
		t.Fatal(err)
	}
	return tk
}

func refresh(t testing.TB, s *Server, rt string) (int, tokens, []byte) {
	t.Helper()
	st, b := postToken(t, s, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}})
	var tk tokens
	mustUnmarshal(t, b, &tk)
	return st, tk, b
}

// connect logs a user in and exchanges the code.
func connect(t testing.TB, s *Server, user, pass string, extra ...string) tokens {
	t.Helper()
	q := login(t, s, link(s, extra...), user, pass)
	return exchange(t, s, q.Get("code"))
}

type apiResp struct {
	Status int
	Header http.Header
	Body   []byte
}

// mustUnmarshal decodes b into v; what is not JSON fails the test.
func mustUnmarshal(t testing.TB, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
}

func (r apiResp) results(t testing.TB) []map[string]any {
	t.Helper()
	var env struct {
		Results []map[string]any `json:"results"`
		Status  string           `json:"status"`
	}
	if err := json.Unmarshal(r.Body, &env); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
	if r.Status != 200 || env.Status != "Succeeded" {
		t.Fatalf("status %d %q: %s", r.Status, env.Status, r.Body)
	}
	return env.Results
}

func (r apiResp) errCode(t testing.TB) string {
	t.Helper()
	var e struct {
		Error string `json:"error"`
	}
	mustUnmarshal(t, r.Body, &e)
	return e.Error
}

func do(t testing.TB, method, u, token string, body io.Reader, hdr ...string) apiResp {
	t.Helper()
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read: %v", method, u, err)
	}
	return apiResp{resp.StatusCode, resp.Header, b}
}

func get(t testing.TB, s *Server, token, path string) apiResp {
	t.Helper()
	return do(t, http.MethodGet, s.APIURL()+"/data/v1"+path, token, nil)
}

func pkcePair() (verifier, challenge string) {
	verifier = "verifier-" + strings.Repeat("x", 50)
	sum := sha256.Sum256([]byte(verifier))
	return verifier, base64.RawURLEncoding.EncodeToString(sum[:])
}

// accountIDs returns the current account, savings and card ids of a connection.
func accountIDs(t testing.TB, s *Server, token string) (cur, sav, card string) {
	t.Helper()
	for _, a := range get(t, s, token, "/accounts").results(t) {
		if a["account_type"] == "TRANSACTION" {
			cur = a["account_id"].(string)
		} else {
			sav = a["account_id"].(string)
		}
	}
	card = get(t, s, token, "/cards").results(t)[0]["account_id"].(string)
	return cur, sav, card
}
