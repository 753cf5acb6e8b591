package desk

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"bankdesk/backend/consent"
	"bankdesk/backend/internal/testclock"
	"bankdesk/backend/sandbox"
	"bankdesk/backend/store"
)

// Desk builds the consent service on its own store, tokens, flow and clock.
func TestConsentServiceIsWired(t *testing.T) {
	clk := testclock.New(time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC))
	sb, err := sandbox.Start(sandbox.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	cfg := fileVaultConfig(t, map[string]string{
		"BANKDESK_AUTH_URL": sb.AuthURL(), "BANKDESK_API_URL": sb.APIURL(),
		"BANKDESK_CLIENT_ID": sandbox.ClientID, "BANKDESK_CLIENT_SECRET": sandbox.ClientSecret,
	})
	d, err := Open(Options{Config: cfg, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	ctx := context.Background()
	link, err := d.Flow().Begin(ctx, "mock")
	if err != nil {
		t.Fatal(err)
	}
	cb, err := sandbox.Login(ctx, nil, link.URL, "john", "doe")
	if err != nil {
		t.Fatal(err)
	}
	res, err := d.Flow().Complete(ctx, cb)
	if err != nil {
		t.Fatal(err)
	}
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
	d, err := Open(Options{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
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
