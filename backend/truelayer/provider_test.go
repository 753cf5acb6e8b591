package truelayer

import (
	"encoding/json"
	"net/http"
	"testing"
)

func TestProviders(t *testing.T) {
	c, rec := exampleClient(t, "auth/GetProviders200Response")
	list, err := c.Providers(ctx, ProvidersQuery{Countries: []string{"uk", "ie"}, Scopes: []string{"accounts", "transactions"}})
	if err != nil {
		t.Fatal(err)
	}
	r := rec.last(t)
	if r.Method != http.MethodGet || r.URL.Path != "/api/providers" ||
		r.URL.RawQuery != "clientId="+testClientID+"&country=uk%20ie&scopes=accounts%20transactions" {
		t.Errorf("request %s %s", r.Method, r.URL)
	}
	if r.Header.Get("Authorization") != "" {
		t.Error("providers must not send a token")
	}
	if len(list) != 4 {
		t.Fatalf("%d providers", len(list))
	}
	m := list[0]
	if m.ID != "mock" || m.DisplayName != "Mock" || m.Country != "uk" || m.LogoURL == "" || len(m.Scopes) != 6 ||
		m.Availability == nil || m.Availability.RecommendedStatus != "healthy" || !m.Availability.UpdatedAt.Valid() || m.Steps != nil {
		t.Errorf("mock provider %+v", m)
	}
	if ca := list[3]; ca.DisplayName != "Crédit Agricole" || len(ca.Steps) == 0 {
		t.Errorf("provider with steps %+v", ca)
	}

	// No filters: only clientId.
	if _, err := c.Providers(ctx, ProvidersQuery{}); err != nil {
		t.Fatal(err)
	}
	if q := rec.last(t).URL.RawQuery; q != "clientId="+testClientID {
		t.Errorf("query %q", q)
	}
}

func TestProviderScopesAsString(t *testing.T) {
	var p Provider
	if err := json.Unmarshal([]byte(`{"provider_id":"x","scopes":"info accounts"}`), &p); err != nil {
		t.Fatal(err)
	}
	if p.ID != "x" || len(p.Scopes) != 2 || p.Scopes[1] != "accounts" {
		t.Errorf("provider %+v", p)
	}
	if err := json.Unmarshal([]byte(`{"provider_id":"y","scopes":null}`), &p); err != nil || p.Scopes != nil {
		t.Errorf("null scopes: %+v %v", p, err)
	}
	if err := json.Unmarshal([]byte(`{"scopes":3}`), &p); err == nil {
		t.Error("numeric scopes should fail")
	}
}

func TestProvidersErrors(t *testing.T) {
	c := newTestClient(t, fixed(500, example(t, "auth/InternalServerError500Response"), nil))
	_, err := c.Providers(ctx, ProvidersQuery{})
	if !IsRetryable(err) || err.Error() != "truelayer: GET /api/providers: 500 internal_server_error: Sorry, we are experiencing technical difficulties. Please try again later. (correlation id corr-123)" {
		t.Errorf("error %v", err)
	}
	c = newTestClient(t, fixed(200, []byte(`[{"provider_id":"mock"`), nil))
	_, err = c.Providers(ctx, ProvidersQuery{})
	assertMalformed(t, err, "GET /api/providers")
}
