package sandbox

import (
	"io"
	"net/http"
	"testing"
	"time"

	"bankdesk/backend/internal/spectest"
)

// BenchmarkSixYearTransactions measures a full-history transactions request over
// HTTP (about 7,000 transactions on the current account).
func BenchmarkSixYearTransactions(b *testing.B) {
	s, _ := newSandbox(b, Options{TokenTTL: 24 * time.Hour})
	tk := connect(b, s, "john", "doe")
	cur, _, _ := accountIDs(b, s, tk.AccessToken)
	url := s.APIURL() + "/data/v1/accounts/" + cur + "/transactions?from=" + s.bank.start.civil().Format("2006-01-02")
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+tk.AccessToken)
	// Measure the sandbox, not the OpenAPI validator the tests wrap around it.
	hc := &http.Client{Transport: spectest.Unvalidated(http.DefaultTransport)}
	b.ReportAllocs()
	var n int64
	for b.Loop() {
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		n, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
	b.SetBytes(n)
}

// BenchmarkBackfillGeneration measures generating a new user's books from the epoch
// (26 years, of which six are visible) for all three accounts.
func BenchmarkBackfillGeneration(b *testing.B) {
	now := testStart
	b.ReportAllocs()
	for b.Loop() {
		bk := newBank(now)
		u := bk.user("john", dayOf(now))
		for _, a := range []*account{u.cur, u.sav, u.card} {
			u.mu.Lock()
			a.viewAt(dayOf(now), bk.start)
			u.mu.Unlock()
		}
	}
}
