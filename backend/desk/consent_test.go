package desk

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"bankdesk/backend/consent"
	"bankdesk/backend/internal/testclock"
	"bankdesk/backend/internal/testenv"
	"bankdesk/backend/store"
)

// Desk builds the consent service on its own store, tokens, flow and clock.
func TestConsentServiceIsWired(t *testing.T) {
	clk := testclock.New(testenv.Start)
	sb := testenv.Sandbox(t, clk)
	d := openDesk(t, Options{Config: sandboxConfig(t, sb, nil), Now: clk.Now})
	ctx := context.Background()
	res := testenv.Connect(t, d.Flow(), "john", "doe")
	svc := d.Consent()
	infos, err := svc.Infos()
	if err != nil || len(infos) != 1 || infos[0].ConnectionID != res.ConnectionID || infos[0].Status != consent.Active {
		t.Fatalf("infos %+v %v", infos, err)
	}
	clk.Add(2 * 24 * time.Hour)
	kept, err := svc.KeepAlive(ctx)
	if err != nil || len(kept) != 1 || kept[0].Action != consent.Refreshed {
		t.Fatalf("keep alive %+v %v", kept, err)
	}
	out, err := svc.Extend(ctx, res.ConnectionID, store.User{Name: "John Doe", Email: "john@doe.com"})
	if err != nil || out.Link == "" || out.Fallback {
		t.Fatalf("extend %+v %v", out, err)
	}
}

// Whether a bank is in the EU comes from the cached bank list when it has
// the bank.
func TestProviderCountryComesFromTheCachedBankList(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`[{"provider_id":"ob-kestrel","display_name":"Kestrel","logo_url":"https://x/k.svg","country":"uk","scopes":["accounts"]},` +
			`{"provider_id":"bank-odd-id","display_name":"Odd","logo_url":"https://x/o.svg","country":"de","scopes":["accounts"]}]`))
	}))
	defer srv.Close()
	cfg := fileVaultConfig(t, map[string]string{
		"BANKDESK_ENV": "sandbox", "BANKDESK_AUTH_URL": srv.URL, "BANKDESK_API_URL": srv.URL,
		"BANKDESK_CLIENT_ID": "sandbox-x", "BANKDESK_CLIENT_SECRET": "s",
	})
	d := openDesk(t, Options{Config: cfg})
	if got := d.providerCountry("bank-odd-id"); got != "" {
		t.Fatalf("before the list is cached: %q", got)
	}
	if _, err := d.Banks(context.Background(), "uk", "de"); err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]string{"bank-odd-id": "de", "ob-kestrel": "uk", "unknown": ""} {
		if got := d.providerCountry(id); got != want {
			t.Errorf("%s: %q, want %q", id, got, want)
		}
	}
	if !consent.IsEU("bank-odd-id", d.providerCountry("bank-odd-id")) {
		t.Fatal("the cached country must decide")
	}
}
