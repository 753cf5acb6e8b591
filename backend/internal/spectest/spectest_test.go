package spectest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// serve answers every request with the given status, content type and body.
func serve(t *testing.T, status int, ctype, body string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ctype)
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, r *Recorder, url string) {
	t.Helper()
	resp, err := r.Client().Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

func TestValidResponsesPassAndAreCounted(t *testing.T) {
	account := `{"results":[{"update_timestamp":"2017-02-07T17:29:24.740802Z","account_id":"f1234560abf9f57287637624def390871","account_type":"TRANSACTION","display_name":"Club Lloyds","currency":"GBP","account_number":{"iban":"GB35LOYD12345678901234","number":"12345678","sort_code":"12-34-56","swift_bic":"LOYDGB2L"},"provider":{"provider_id":"lloyds"}}],"status":"Succeeded"}`
	srv := serve(t, 200, "application/json; charset=utf-8", account)
	r := NewRecorder(nil)
	get(t, r, srv.URL+"/data/v1/accounts")
	get(t, r, srv.URL+"/data/v1/accounts/f1234560abf9f57287637624def390871")
	if f := r.Failures(); len(f) != 0 {
		t.Fatalf("unexpected failures: %v", f)
	}
	if got := strings.Join(r.Operations(), ","); got != "GetAccount,GetAccounts" {
		t.Fatalf("operations = %s", got)
	}
}

func TestViolationsAreReported(t *testing.T) {
	for name, tc := range map[string]struct {
		path, body string
		status     int
	}{
		"missing required field":   {"/data/v1/accounts", `{"results":[{"account_id":"x","currency":"GBP"}]}`, 200},
		"amount as text":           {"/data/v1/accounts/a/transactions", `{"results":[{"transaction_id":"t","timestamp":"2018-03-06T00:00:00","currency":"GBP","amount":"lots","description":"d","transaction_type":"DEBIT","transaction_category":"PURCHASE","transaction_classification":[]}]}`, 200},
		"undeclared status":        {"/data/v1/me", `{"error":"teapot"}`, 418},
		"unknown data path":        {"/data/v1/nope", `{}`, 200},
		"bad transaction_type":     {"/data/v1/cards/c/transactions", `{"results":[{"transaction_id":"t","timestamp":"2018-03-06T00:00:00","currency":"GBP","amount":1,"description":"d","transaction_type":"debit","transaction_category":"PURCHASE","transaction_classification":[]}]}`, 200},
		"card balance w/o current": {"/data/v1/cards/c/balance", `{"results":[{"available":3279,"currency":"GBP"}]}`, 200},
	} {
		t.Run(name, func(t *testing.T) {
			srv := serve(t, tc.status, "application/json", tc.body)
			r := NewRecorder(nil)
			get(t, r, srv.URL+tc.path)
			if len(r.Failures()) == 0 {
				t.Fatalf("a bad response to %s passed validation", tc.path)
			}
		})
	}
}

// The relaxations of docs/truelayer.md §11 accept what the specs' own examples show, and only that.
func TestDocumentedContradictionsAreRelaxed(t *testing.T) {
	cases := map[string]struct {
		path, ctype, body string
		status            int
	}{
		"providers array with scope arrays and extra fields": {"/api/providers", "application/json",
			`[{"provider_id":"mock","display_name":"Mock","logo_url":"https://x/mock.svg","country":"uk","scopes":["accounts","balance"],"availability":{"x":1}}]`, 200},
		"card balance available as number": {"/data/v1/cards/c/balance", "application/json",
			`{"results":[{"available":3279,"currency":"GBP","current":20}]}`, 200},
		"me scopes with direct_debits": {"/data/v1/me", "application/json",
			`{"results":[{"scopes":["accounts","direct_debits","standing_orders"]}]}`, 200},
		"standing order amounts as numbers": {"/data/v1/accounts/a/standing_orders", "application/json",
			`{"results":[{"frequency":"IntrvlMnthDay:1:1","timestamp":"2018-03-06T00:00:00Z","next_payment_amount":500}]}`, 200},
		"token endpoint 401 unauthorized_client": {"/connect/token", "application/json",
			`{"error_description":"The client credentials you have entered are incorrect. Please check and try again.","error":"unauthorized_client","error_details":{}}`, 401},
		"extend problem with errors object": {"/connections/extend", "application/problem+json",
			`{"type":"https://docs.truelayer.com/#connection-api-errors","title":"One or more validation errors occurred.","status":400,"trace_id":"t","errors":{"ClientId":["The ClientId field is required."]}}`, 400},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tc.ctype)
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			}))
			defer srv.Close()
			r := NewRecorder(nil)
			req, _ := http.NewRequest(http.MethodGet, srv.URL+tc.path, nil)
			if strings.Contains(tc.path, "extend") || tc.path == "/connect/token" {
				req.Method = http.MethodPost
			}
			resp, err := r.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if f := r.Failures(); len(f) != 0 {
				t.Fatalf("relaxed case failed: %v", f)
			}
			if len(r.Operations()) != 1 {
				t.Fatalf("not validated at all: %v", r.Operations())
			}
		})
	}
}

// A body cut short by the server still fails for the caller: validation must
// not hide transport errors.
func TestTruncatedBodyStillFailsTheRead(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		_, _ = w.Write([]byte(`{"results":[`))
	}))
	defer srv.Close()
	r := NewRecorder(nil)
	resp, err := r.Client().Get(srv.URL + "/data/v1/accounts")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if _, err := io.ReadAll(resp.Body); err == nil {
		t.Fatal("truncated body read without error")
	}
	if len(r.Failures()) != 0 {
		t.Fatalf("truncation reported as a spec violation: %v", r.Failures())
	}
}
