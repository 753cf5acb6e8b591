package truelayer

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"bankdesk/backend/internal/openapi"
)

// Test credentials. Their values are distinctive so the leak checks can
// grep for them.
const (
	testClientID     = "sandbox-bankdesk-test"
	testClientSecret = "SECRET-client-secret-7f3a"
	testAccessToken  = "SECRET-access-token-91bc"
	testRefreshToken = "SECRET-refresh-token-55de"
	testCode         = "SECRET-auth-code-0a12"
	testVerifier     = "SECRET-verifier-c0ffee-0123456789abcdefghijklmnop"
)

// secrets are the values that must never show up in errors or logs.
var secrets = []string{testClientSecret, testAccessToken, testRefreshToken, testCode, testVerifier}

func assertNoSecrets(t *testing.T, what, s string) {
	t.Helper()
	for _, sec := range secrets {
		if strings.Contains(s, sec) {
			t.Errorf("%s leaks secret %q: %s", what, sec, s)
		}
	}
}

var (
	specOnce     sync.Once
	specExamples map[string]json.RawMessage
)

// example returns a named example from the vendored OpenAPI specs
// (components.examples.<name>.value), byte for byte as TrueLayer publishes.
// Names from the auth server spec take an "auth/" prefix (some names exist
// in both specs).
func example(t testing.TB, name string) []byte {
	t.Helper()
	specOnce.Do(func() {
		specExamples = map[string]json.RawMessage{}
		for prefix, spec := range map[string][]byte{"": openapi.DataAPIV1, "auth/": openapi.AuthServer} {
			var doc struct {
				Components struct {
					Examples map[string]struct {
						Value json.RawMessage `json:"value"`
					} `json:"examples"`
				} `json:"components"`
			}
			if err := json.Unmarshal(spec, &doc); err != nil {
				panic(err)
			}
			for k, v := range doc.Components.Examples {
				specExamples[prefix+k] = v.Value
			}
		}
	})
	v, ok := specExamples[name]
	if !ok {
		t.Fatalf("no spec example %q", name)
	}
	return v
}

// newTestClient starts one httptest server acting as both auth and API
// host and returns a client pointed at it with fast polling.
func newTestClient(t *testing.T, h http.Handler, mod ...func(*Config)) *Client {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	cfg := Config{
		AuthURL:      srv.URL + "/",
		APIURL:       srv.URL,
		ClientID:     testClientID,
		ClientSecret: testClientSecret,
		RedirectURI:  "http://127.0.0.1:8765/callback",
		PollInterval: time.Millisecond,
		PollTimeout:  5 * time.Second,
	}
	for _, m := range mod {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// reply writes a JSON body with a status and TrueLayer's correlation header.
func reply(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-TL-Correlation-Id", "corr-123")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// recorder keeps the requests a test server saw (with their bodies read).
type recorder struct {
	mu   sync.Mutex
	reqs []recorded
}

type recorded struct {
	*http.Request
	Body string
}

func (rec *recorder) add(r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	rec.mu.Lock()
	defer rec.mu.Unlock()
	rec.reqs = append(rec.reqs, recorded{r.Clone(context.Background()), string(b)})
}

func (rec *recorder) last(t *testing.T) recorded {
	t.Helper()
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.reqs) == 0 {
		t.Fatal("no request recorded")
	}
	return rec.reqs[len(rec.reqs)-1]
}

func (rec *recorder) all() []recorded {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]recorded(nil), rec.reqs...)
}

// exampleClient is a client on a server that answers every request 200 with
// the spec example name; rec records what it was sent.
func exampleClient(t *testing.T, name string, mod ...func(*Config)) (c *Client, rec *recorder) {
	t.Helper()
	rec = &recorder{}
	return newTestClient(t, fixed(200, example(t, name), rec), mod...), rec
}

// fixed answers every request with the same status and body.
func fixed(status int, body []byte, rec *recorder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if rec != nil {
			rec.add(r)
		}
		reply(w, status, body)
	}
}
