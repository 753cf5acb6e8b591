package testbank

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"bankdesk/backend/truelayer"
)

// A response that breaks TrueLayer's spec fails the test that received it,
// even without spectest.Main.
func TestClientValidatesResponses(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"results":[{"account_id":42}],"status":"Succeeded"}`)) // account_id must be a string
	}))
	defer srv.Close()
	ft := &fakeTB{TB: t}
	c, err := truelayer.New(truelayer.Config{AuthURL: srv.URL, APIURL: srv.URL, ClientID: "x", ClientSecret: "y",
		RedirectURI: RedirectURI, HTTPClient: HTTP(ft)})
	if err != nil {
		t.Fatal(err)
	}
	_, _ = c.Accounts(context.Background(), "token") // the error, if any, is not the point
	ft.cleanup()
	if len(ft.errors) == 0 || !strings.Contains(ft.errors[0], "GetAccounts") {
		t.Fatalf("violation not reported: %q", ft.errors)
	}
}

// fakeTB records Errorf and runs cleanups when told.
type fakeTB struct {
	testing.TB
	errors   []string
	cleanups []func()
}

func (f *fakeTB) Helper()           {}
func (f *fakeTB) Cleanup(fn func()) { f.cleanups = append(f.cleanups, fn) }
func (f *fakeTB) Errorf(s string, a ...any) {
	f.errors = append(f.errors, strings.TrimSpace(fmt.Sprintf(s, a...)))
}
func (f *fakeTB) cleanup() {
	for i := len(f.cleanups) - 1; i >= 0; i-- {
		f.cleanups[i]()
	}
}
