package desk

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// TrueLayer's bank list is fetched once a month and served from the store
// in between, and when TrueLayer cannot be reached.
func TestBankListIsCachedForAMonth(t *testing.T) {
	var calls atomic.Int32
	up := atomic.Bool{}
	up.Store(true)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		if !up.Load() {
			w.WriteHeader(500)
			_, _ = w.Write([]byte(`{"error":"internal_server_error","error_description":"Sorry, we are experiencing technical difficulties."}`))
			return
		}
		_, _ = w.Write([]byte(`[{"provider_id":"ob-kestrel","display_name":"Kestrel","logo_url":"https://x/k.svg","country":"uk","scopes":["accounts"]},{"provider_id":"mock","display_name":"Mock","logo_url":"https://x/m.svg","country":"uk","scopes":["accounts"]}]`))
	}))
	defer srv.Close()
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	cfg := fileVaultConfig(t, map[string]string{
		"BANKDESK_ENV": "sandbox", "BANKDESK_AUTH_URL": srv.URL, "BANKDESK_API_URL": srv.URL,
		"BANKDESK_CLIENT_ID": "sandbox-x", "BANKDESK_CLIENT_SECRET": "s",
	})
	d := openDesk(t, Options{Config: cfg, Now: func() time.Time { return now }})
	ctx := context.Background()
	banks, err := d.Banks(ctx)
	if err != nil || len(banks) != 2 || banks[0].ID != "mock" {
		t.Fatalf("banks %+v %v", banks, err)
	}
	now = now.Add(20 * 24 * time.Hour)
	if _, err := d.Banks(ctx); err != nil || calls.Load() != 1 {
		t.Fatalf("within a month: %d calls, %v", calls.Load(), err)
	}
	now = now.Add(11 * 24 * time.Hour)
	up.Store(false)
	banks, err = d.Banks(ctx)
	if err != nil || len(banks) != 2 || calls.Load() != 2 {
		t.Fatalf("stale list when TrueLayer fails: %d calls, %v", calls.Load(), err)
	}
	up.Store(true)
	if _, err := d.Banks(ctx); err != nil || calls.Load() != 3 {
		t.Fatalf("refetch after a month: %d calls, %v", calls.Load(), err)
	}
}
