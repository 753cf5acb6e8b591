// Package spectest checks HTTP traffic against TrueLayer's published OpenAPI
// specs. Tests wrap their http.Client transport with Transport; every response
// that belongs to an operation in the specs is validated against its schema,
// and the operations seen are recorded so a test can prove its coverage.
//
// The specs contradict themselves in a few documented places (docs/truelayer.md
// §11); exactly those are relaxed in relax, each with its reason, and nothing else.
package spectest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"bankdesk/backend/internal/openapi"
)

// Hosts the relaxed specs are rebased on: requests are matched by path only.
const (
	authHost = "http://auth.spec"
	apiHost  = "http://api.spec"
)

var (
	loadOnce sync.Once
	loaded   struct {
		auth, data routers.Router
		err        error
	}
)

func routersFor() (auth, data routers.Router, err error) {
	loadOnce.Do(func() {
		loaded.auth, loaded.err = load(openapi.AuthServer, authHost)
		if loaded.err == nil {
			loaded.data, loaded.err = load(openapi.DataAPIV1, apiHost+"/data/v1")
		}
	})
	return loaded.auth, loaded.data, loaded.err
}

func load(raw []byte, server string) (routers.Router, error) {
	var spec map[string]any
	if err := json.Unmarshal(raw, &spec); err != nil {
		return nil, fmt.Errorf("parse spec: %w", err)
	}
	relax(spec)
	spec["servers"] = []any{map[string]any{"url": server}}
	for _, item := range spec["paths"].(map[string]any) {
		delete(item.(map[string]any), "servers") // extend declares its own hosts
	}
	patched, err := json.Marshal(spec)
	if err != nil {
		return nil, err
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(patched)
	if err != nil {
		return nil, fmt.Errorf("load spec: %w", err)
	}
	return gorillamux.NewRouter(doc)
}

// relax applies docs/truelayer.md §11, the specs' known contradictions, and nothing else.
func relax(spec map[string]any) {
	// The same kind of slip (also in §11): the Date and Last-Modified headers
	// are declared RFC 3339 date-times, while HTTP (RFC 9110 §5.6.7) requires
	// IMF-fixdate ("Sat, 21 Nov 2026 10:00:00 GMT"), which every server sends.
	for _, h := range []string{"Date", "Last-Modified"} {
		if s := dig(spec, "components", "headers", h, "schema"); s != nil {
			delete(s, "format")
		}
	}
	// Auth server: components.responses.401 carries the token endpoint's own
	// 401 examples (unauthorized_client, invalid refresh_token, invalid
	// token) and TrueLayer's error docs list 401 unauthorized_client for
	// /connect/token, but the spec attaches that response to neither
	// /connect/token nor /api/delete. Attach it there.
	if _, ok := dig(spec, "components", "responses")["401"]; ok {
		for _, op := range []map[string]any{dig(spec, "paths", "/connect/token", "post"), dig(spec, "paths", "/api/delete", "delete")} {
			if resp, ok := op["responses"].(map[string]any); ok {
				resp["401"] = map[string]any{"$ref": "#/components/responses/401"}
			}
		}
	}
	schemas := dig(spec, "components", "schemas")
	if schemas == nil {
		return
	}
	stringOrNumber := func() map[string]any {
		return map[string]any{"anyOf": []any{map[string]any{"type": "string"}, map[string]any{"type": "number"}}}
	}
	// Auth server: /api/providers returns an ARRAY of providers whose scopes are
	// arrays and which carry extra fields (availability, steps) in the examples,
	// while the schema declares one closed object with a string scope.
	if p, ok := schemas["GetProvidersResponse"].(map[string]any); ok {
		item := clone(p)
		item["additionalProperties"] = true
		if props, ok := item["properties"].(map[string]any); ok {
			if sc, ok := props["scopes"].(map[string]any); ok {
				props["scopes"] = map[string]any{"type": "array", "items": sc}
			}
		}
		schemas["GetProvidersResponse"] = map[string]any{"type": "array", "items": item}
	}
	// CardBalance.available: declared string, a number in every example.
	if props := dig(schemas, "CardBalance", "properties"); props != nil {
		props["available"] = stringOrNumber()
	}
	// Me.scopes: the enum omits direct_debits and standing_orders, valid scopes elsewhere in the same spec.
	if items := dig(schemas, "Me", "properties", "scopes", "items"); items != nil {
		if enum, ok := items["enum"].([]any); ok {
			items["enum"] = append(enum, "direct_debits", "standing_orders")
		}
	}
	// Standing-order amounts: declared string, numbers in the examples.
	if props := dig(schemas, "AccountStandingOrder", "properties"); props != nil {
		for _, f := range []string{"next_payment_amount", "first_payment_amount", "final_payment_amount"} {
			if _, ok := props[f]; ok {
				props[f] = stringOrNumber()
			}
		}
	}
	// connections/extend Problem+JSON: `errors` is an object keyed by field in
	// the examples, an array in the schema.
	if props := dig(schemas, "Problem", "properties"); props != nil {
		props["errors"] = map[string]any{"anyOf": []any{map[string]any{"type": "array"}, map[string]any{"type": "object"}}}
	}
}

func dig(m map[string]any, keys ...string) map[string]any {
	for _, k := range keys {
		next, ok := m[k].(map[string]any)
		if !ok {
			return nil
		}
		m = next
	}
	return m
}

func clone(m map[string]any) map[string]any {
	b, _ := json.Marshal(m)
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	return out
}

// Recorder validates traffic and remembers what it saw.
type Recorder struct {
	Base http.RoundTripper

	mu       sync.Mutex
	ops      map[string]int // operationId → responses validated
	failures []string
	// async tasks: results_uri path → the request that started it, so the
	// polled result is validated against the original operation.
	tasks map[string]*http.Request
}

// NewRecorder wraps base (nil = http.DefaultTransport).
func NewRecorder(base http.RoundTripper) *Recorder {
	if base == nil {
		base = http.DefaultTransport
	}
	return &Recorder{Base: base, ops: map[string]int{}, tasks: map[string]*http.Request{}}
}

// Client returns an http.Client whose traffic r validates.
func (r *Recorder) Client() *http.Client {
	return &http.Client{Transport: r, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// RoundTrip implements http.RoundTripper.
func (r *Recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.Base.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	body, readErr := io.ReadAll(resp.Body)
	_ = resp.Body.Close() // read in full above; nothing to report
	if readErr != nil {
		// A deliberately truncated body (fault injection) is not a spec
		// violation; the caller must still see the read fail.
		resp.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), errReader{readErr}))
		return resp, nil
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	r.check(req, resp, body)
	return resp, nil
}

func (r *Recorder) check(req *http.Request, resp *http.Response, body []byte) {
	authR, dataR, err := routersFor()
	if err != nil {
		r.fail("load specs: %v", err)
		return
	}
	path := req.URL.Path
	origin := req
	switch {
	case strings.HasPrefix(path, "/data/v1/results/"):
		r.mu.Lock()
		orig := r.tasks[path]
		r.mu.Unlock()
		if orig == nil {
			r.fail("poll of unknown async task %s", path)
			return
		}
		if !isFinal(body) {
			return // Queued/Running: the spec does not describe the poll itself
		}
		origin = orig
		path = orig.URL.Path
	case path == "/connections/extend":
		path = "/data/v1/connections/extend" // the same operation on the host root
	}
	router, host := authR, authHost
	if strings.HasPrefix(path, "/data/v1/") {
		router, host = dataR, apiHost
	}
	u, _ := url.Parse(host + path)
	u.RawQuery = origin.URL.RawQuery
	lookup := origin.Clone(context.Background())
	lookup.URL, lookup.Host = u, u.Host
	route, params, err := router.FindRoute(lookup)
	if err != nil {
		if router == dataR {
			r.fail("%s %s: not an operation of the Data API spec", req.Method, req.URL.Path)
		}
		return // auth dialog pages, logos and test hooks are not in the spec
	}
	if resp.StatusCode == http.StatusAccepted {
		var a struct {
			ResultsURI string `json:"results_uri"`
		}
		if json.Unmarshal(body, &a) == nil && a.ResultsURI != "" {
			if ru, err := url.Parse(a.ResultsURI); err == nil {
				r.mu.Lock()
				r.tasks[ru.Path] = origin
				r.mu.Unlock()
			}
		}
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: lookup, PathParams: params, Route: route},
		Status:                 resp.StatusCode,
		Header:                 resp.Header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		r.fail("%s %s → %d violates %s: %v\nbody: %.600s", req.Method, req.URL.Path, resp.StatusCode, route.Operation.OperationID, err, body)
		return
	}
	r.mu.Lock()
	r.ops[route.Operation.OperationID]++
	r.mu.Unlock()
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

func isFinal(body []byte) bool {
	var s struct {
		Status string `json:"status"`
	}
	_ = json.Unmarshal(body, &s)
	return s.Status == "Succeeded" || s.Status == "Failed" || s.Status == ""
}

func (r *Recorder) fail(format string, args ...any) {
	r.mu.Lock()
	r.failures = append(r.failures, fmt.Sprintf(format, args...))
	r.mu.Unlock()
}

// Failures lists every violation seen so far.
func (r *Recorder) Failures() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.failures...)
}

// Operations lists the operationIds whose responses were validated.
func (r *Recorder) Operations() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	ops := make([]string, 0, len(r.ops))
	for op := range r.ops {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	return ops
}

// TB is the part of testing.TB the helpers need.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
	Cleanup(func())
}

// Check fails t at cleanup for every violation r saw.
func Check(t TB, r *Recorder) {
	t.Helper()
	t.Cleanup(func() {
		for _, f := range r.Failures() {
			t.Errorf("OpenAPI: %s", f)
		}
	})
}

// Main runs a package's tests with http.DefaultTransport wrapped by a
// Recorder, so every response any test receives through the default
// transport (including clients built with a nil Transport) is validated.
// Use it as `func TestMain(m *testing.M) { os.Exit(spectest.Main(m)) }`.
func Main(m interface{ Run() int }) int {
	rec := NewRecorder(http.DefaultTransport)
	http.DefaultTransport = rec
	code := m.Run()
	for _, f := range rec.Failures() {
		fmt.Fprintln(os.Stderr, "OpenAPI violation:", f)
		code = 1
	}
	if ops := rec.Operations(); len(ops) > 0 {
		fmt.Fprintf(os.Stderr, "OpenAPI: validated responses of %s\n", strings.Join(ops, ", "))
	}
	return code
}

// Unvalidated returns the transport under a Recorder, for benchmarks that
// measure the server rather than the validator.
func Unvalidated(rt http.RoundTripper) http.RoundTripper {
	if r, ok := rt.(*Recorder); ok {
		return r.Base
	}
	return rt
}
