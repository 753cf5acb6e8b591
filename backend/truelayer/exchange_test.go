package truelayer

import (
	"bufio"
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// tokenServer answers /connect/token with status/body and records requests.
func tokenServer(t *testing.T, status int, body string, rec *recorder) *Client {
	return newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/connect/token" || r.Method != http.MethodPost {
			t.Errorf("unexpected %s %s", r.Method, r.URL)
		}
		rec.add(r)
		reply(w, status, []byte(body))
	}))
}

func form(t *testing.T, r recorded) url.Values {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
		t.Errorf("content type %q", ct)
	}
	if r.Header.Get("Authorization") != "" {
		t.Errorf("credentials must go in the body, got Authorization header")
	}
	v, err := url.ParseQuery(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// sentForm wants r's form to be exactly want.
func sentForm(t *testing.T, r recorded, want url.Values) {
	t.Helper()
	if f := form(t, r); f.Encode() != want.Encode() {
		t.Errorf("form\n got %v\nwant %v", f, want)
	}
}

func TestExchange(t *testing.T) {
	var rec recorder
	c := tokenServer(t, 200, string(example(t, "auth/tokenExchange200Response")), &rec)
	tok, err := c.Exchange(context.Background(), testCode, testVerifier)
	if err != nil {
		t.Fatal(err)
	}
	sentForm(t, rec.last(t), url.Values{
		"grant_type":    {"authorization_code"},
		"code":          {testCode},
		"redirect_uri":  {"http://127.0.0.1:8765/callback"},
		"client_id":     {testClientID},
		"client_secret": {testClientSecret},
		"code_verifier": {testVerifier},
	})
	if !strings.HasPrefix(tok.AccessToken, "eyJhbGciOiJSUzI1NiIs") || tok.RefreshToken != "DD65D922D17924F5A96E2C9DFA65AC8CD396107FD06A59F40B169E62B738BE5A" ||
		tok.TokenType != "Bearer" {
		t.Errorf("token %#v", tok)
	}
	if tok.ExpiresIn != 3600*time.Second {
		t.Errorf("expires in %s", tok.ExpiresIn)
	}
	if strings.Join(tok.Scopes, " ") != "info accounts balance cards transactions direct_debits standing_orders offline_access" {
		t.Errorf("scopes %v", tok.Scopes)
	}
	if ua := rec.last(t).Header.Get("User-Agent"); ua != defaultUserAgent {
		t.Errorf("user agent %q", ua)
	}
}

func TestExchangeWithoutVerifierAndRedirectOverride(t *testing.T) {
	var rec recorder
	c := tokenServer(t, 200, `{"access_token":"a","token_type":"Bearer","expires_in":3600}`, &rec)
	tok, err := c.Exchange(context.Background(), testCode, "", WithRedirectURI("http://127.0.0.1:9999/callback"))
	if err != nil {
		t.Fatal(err)
	}
	f := form(t, rec.last(t))
	if f.Has("code_verifier") || f.Get("redirect_uri") != "http://127.0.0.1:9999/callback" {
		t.Errorf("form %v", f)
	}
	if tok.RefreshToken != "" || tok.Scopes != nil {
		t.Errorf("token without offline_access: %#v", tok)
	}
}

func TestRefreshRotates(t *testing.T) {
	var rec recorder
	c := tokenServer(t, 200, `{"access_token":"new-at","expires_in":3600,"token_type":"Bearer","refresh_token":"NEW-RT","scope":"info accounts"}`, &rec)
	tok, err := c.Refresh(context.Background(), testRefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken != "new-at" || tok.RefreshToken != "NEW-RT" || strings.Join(tok.Scopes, ",") != "info,accounts" {
		t.Errorf("token %#v", tok)
	}
	sentForm(t, rec.last(t), url.Values{
		"grant_type":    {"refresh_token"},
		"refresh_token": {testRefreshToken},
		"client_id":     {testClientID},
		"client_secret": {testClientSecret},
	})
}

func TestRefreshKeepsOldTokenWhenAbsent(t *testing.T) {
	var rec recorder
	c := tokenServer(t, 200, `{"access_token":"new-at","expires_in":3600,"token_type":"Bearer"}`, &rec)
	tok, err := c.Refresh(context.Background(), testRefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	if tok.RefreshToken != testRefreshToken {
		t.Errorf("refresh token %q, want the old one kept", tok.RefreshToken)
	}
}

func TestTokenErrors(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		body      string
		code      string
		reconnect bool
		retry     bool
		details   string
	}{
		{"invalid_grant", 400, string(example(t, "auth/InvalidGrant400Response")), "invalid_grant", true, false, ""},
		{"invalid refresh token", 401, string(example(t, "auth/InvalidRefreshToken401Response")), "invalid_request", true, false, `{"reason":"Invalid refresh_token"}`},
		{"unauthorized_client", 401, string(example(t, "auth/UnauthorizedClient401Response")), "unauthorized_client", false, false, ""},
		{"internal", 500, string(example(t, "auth/InternalServerError500Response")), "internal_server_error", false, true, ""},
		{"html 502", 502, "<html>bad gateway</html>", "", false, true, ""},
		{"error with 200", 200, `{"error":"invalid_grant"}`, "invalid_grant", true, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tokenServer(t, tt.status, tt.body, new(recorder))
			for _, call := range []func() error{
				func() error { _, err := c.Exchange(context.Background(), testCode, testVerifier); return err },
				func() error { _, err := c.Refresh(context.Background(), testRefreshToken); return err },
			} {
				err := call()
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("want *Error, got %T %v", err, err)
				}
				if e.Status != tt.status || e.Code != tt.code || e.Op != "POST /connect/token" || e.CorrelationID != "corr-123" {
					t.Errorf("error %+v", e)
				}
				if string(e.Details) != tt.details {
					t.Errorf("details %s, want %s", e.Details, tt.details)
				}
				if NeedsReconnect(err) != tt.reconnect || IsRetryable(err) != tt.retry || IsUnauthorized(err) {
					t.Errorf("classifiers: reconnect %v retry %v unauthorized %v", NeedsReconnect(err), IsRetryable(err), IsUnauthorized(err))
				}
				assertNoSecrets(t, "token error", err.Error())
			}
		})
	}
}

func TestTokenBadBodies(t *testing.T) {
	t.Run("not json", func(t *testing.T) {
		c := tokenServer(t, 200, "<html>captive portal</html>", new(recorder))
		_, err := c.Exchange(context.Background(), testCode, "")
		assertMalformed(t, err, "POST /connect/token")
	})
	t.Run("truncated json", func(t *testing.T) {
		c := tokenServer(t, 200, `{"access_token":"abc","expires_in":36`, new(recorder))
		_, err := c.Refresh(context.Background(), testRefreshToken)
		assertMalformed(t, err, "POST /connect/token")
	})
	t.Run("connection cut", func(t *testing.T) {
		c := newTestClient(t, truncatingHandler(`{"access_token":"abc","refresh_token":"`))
		_, err := c.Exchange(context.Background(), testCode, "")
		assertMalformed(t, err, "POST /connect/token")
	})
}

func TestTokenNeedsCredentials(t *testing.T) {
	c, _ := New(Config{AuthURL: "https://a.example", APIURL: "https://b.example"})
	if _, err := c.Exchange(context.Background(), testCode, ""); err == nil {
		t.Error("Exchange without client credentials: want error")
	}
	if _, err := c.Refresh(context.Background(), testRefreshToken); err == nil {
		t.Error("Refresh without client credentials: want error")
	}
}

func assertMalformed(t *testing.T, err error, op string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("want *Error, got %T %v", err, err)
	}
	if e.Code != CodeMalformedResponse || e.Op != op || !IsRetryable(err) {
		t.Errorf("error %+v (retryable %v)", e, IsRetryable(err))
	}
	assertNoSecrets(t, "malformed error", err.Error())
}

// truncatingHandler promises a long body, sends part of it and hangs up.
func truncatingHandler(partial string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			panic(err)
		}
		defer conn.Close()
		writeRaw(buf, partial)
	}
}

func writeRaw(buf *bufio.ReadWriter, partial string) {
	_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-TL-Correlation-Id: corr-cut\r\nContent-Length: 100000\r\n\r\n")
	_, _ = buf.WriteString(partial)
	_ = buf.Flush()
}

func TestExchangeScopeArray(t *testing.T) {
	c := tokenServer(t, 200, `{"access_token":"a","token_type":"Bearer","scope":["info","accounts"]}`, new(recorder))
	tok, err := c.Exchange(context.Background(), testCode, "")
	if err != nil || strings.Join(tok.Scopes, " ") != "info accounts" || tok.ExpiresIn != 0 {
		t.Errorf("token %#v %v", tok, err)
	}
}
