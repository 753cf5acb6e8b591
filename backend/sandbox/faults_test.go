package sandbox

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestFaultRateLimit(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	tk := connect(t, s, "john", "doe")
	s.SetFaults(Faults{RateLimit: 2, RetryAfter: 7})
	for i := range 2 {
		r := get(t, s, tk.AccessToken, "/accounts")
		if r.Status != 429 || r.errCode(t) != "provider_too_many_requests" || r.Header.Get("Retry-After") != "7" {
			t.Fatalf("call %d: %d %s %v", i, r.Status, r.Body, r.Header)
		}
	}
	get(t, s, tk.AccessToken, "/accounts").results(t)
	if f := s.Faults(); f.RateLimit != 0 {
		t.Fatalf("counter not consumed: %+v", f)
	}
	s.SetFaults(Faults{RateLimit: 1})
	if r := get(t, s, tk.AccessToken, "/me"); r.Header.Get("Retry-After") != "1" {
		t.Fatalf("default Retry-After = %q", r.Header.Get("Retry-After"))
	}
}

func TestFaultServerErrors(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	tk := connect(t, s, "john", "doe")
	for status, code := range map[int]string{0: "temporarily_unavailable", 500: "internal_server_error", 503: "temporarily_unavailable", 504: "provider_timeout"} {
		s.SetFaults(Faults{ServerErrors: 1, ServerErrorStatus: status})
		want := status
		if want == 0 {
			want = 503
		}
		if r := get(t, s, tk.AccessToken, "/cards"); r.Status != want || r.errCode(t) != code {
			t.Fatalf("status %d: %d %s", status, r.Status, r.Body)
		}
		get(t, s, tk.AccessToken, "/cards").results(t)
	}
}

func TestFaultPathFilter(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	tk := connect(t, s, "john", "doe")
	cur, _, _ := accountIDs(t, s, tk.AccessToken)
	s.SetFaults(Faults{ServerErrors: 1, Path: "/transactions"})
	get(t, s, tk.AccessToken, "/accounts").results(t)
	get(t, s, tk.AccessToken, "/accounts/"+cur+"/balance").results(t)
	if r := get(t, s, tk.AccessToken, "/accounts/"+cur+"/transactions"); r.Status != 503 {
		t.Fatalf("filtered fault did not fire: %d", r.Status)
	}
	get(t, s, tk.AccessToken, "/accounts/"+cur+"/transactions").results(t)
}

func TestFaultDelay(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	tk := connect(t, s, "john", "doe")
	s.SetFaults(Faults{DelayMS: 150})
	start := time.Now()
	get(t, s, tk.AccessToken, "/me").results(t)
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Fatalf("not delayed: %s", d)
	}
	if f := s.Faults(); f.DelayMS != 150 {
		t.Fatal("delay is not a counter and must stay set")
	}
}

func TestFaultTruncate(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	tk := connect(t, s, "john", "doe")
	s.SetFaults(Faults{Truncate: 1})
	req, _ := http.NewRequest(http.MethodGet, s.APIURL()+"/data/v1/accounts", nil)
	req.Header.Set("Authorization", "Bearer "+tk.AccessToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !errors.Is(err, io.ErrUnexpectedEOF) || int64(len(body)) >= resp.ContentLength || len(body) == 0 {
		t.Fatalf("truncate: err=%v got %d of %d bytes", err, len(body), resp.ContentLength)
	}
	get(t, s, tk.AccessToken, "/accounts").results(t)
}

func TestFaultExpireTokensAfter(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	tk := connect(t, s, "john", "doe")
	s.SetFaults(Faults{ExpireTokensAfter: 2})
	get(t, s, tk.AccessToken, "/me").results(t)
	get(t, s, tk.AccessToken, "/me").results(t)
	r := get(t, s, tk.AccessToken, "/me")
	if r.Status != 401 || r.errCode(t) != "invalid_token" || !strings.Contains(string(r.Body), "The token expired at") {
		t.Fatalf("after 2 calls: %d %s", r.Status, r.Body)
	}
	_, tk2, _ := refresh(t, s, tk.RefreshToken)
	get(t, s, tk2.AccessToken, "/me").results(t)
	get(t, s, tk2.AccessToken, "/me").results(t) // the fault fired once
}

func TestFaultsOverHTTP(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	tk := connect(t, s, "john", "doe")
	r := do(t, http.MethodPost, s.AuthURL()+"/__sandbox/faults", "", strings.NewReader(`{"rate_limit":1,"retry_after":3,"path":"/cards"}`))
	if r.Status != 200 {
		t.Fatalf("set faults: %d %s", r.Status, r.Body)
	}
	var f Faults
	mustUnmarshal(t, do(t, http.MethodGet, s.AuthURL()+"/__sandbox/faults", "", nil).Body, &f)
	if f.RateLimit != 1 || f.RetryAfter != 3 || f.Path != "/cards" {
		t.Fatalf("get faults = %+v", f)
	}
	get(t, s, tk.AccessToken, "/accounts").results(t)
	if r := get(t, s, tk.AccessToken, "/cards"); r.Status != 429 || r.Header.Get("Retry-After") != "3" {
		t.Fatalf("/cards: %d", r.Status)
	}
	var raw map[string]any
	mustUnmarshal(t, do(t, http.MethodGet, s.AuthURL()+"/__sandbox/faults", "", nil).Body, &raw)
	if raw["rate_limit"] != float64(0) || raw["sca_expired"] != false {
		t.Fatalf("faults after firing = %v", raw)
	}
	for _, bad := range []string{`{"server_error_status":502}`, `{"extend_status":500}`, `{"nope":1}`, `{"rate_limit":-1}`, `[`} {
		if r := do(t, http.MethodPost, s.AuthURL()+"/__sandbox/faults", "", strings.NewReader(bad)); r.Status != 400 {
			t.Errorf("%s accepted: %d", bad, r.Status)
		}
	}
}

func TestAdvanceOverHTTP(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	tk := connect(t, s, "john", "doe")
	r := do(t, http.MethodPost, s.AuthURL()+"/__sandbox/advance", "", strings.NewReader(`{"seconds":3601}`))
	if r.Status != 200 {
		t.Fatalf("advance: %d %s", r.Status, r.Body)
	}
	if r := get(t, s, tk.AccessToken, "/me"); r.Status != 401 {
		t.Fatalf("token should have expired: %d", r.Status)
	}
	var tr Truth
	mustUnmarshal(t, do(t, http.MethodGet, s.AuthURL()+"/__sandbox/truth?username=john", "", nil).Body, &tr)
	if len(tr.Accounts) != 2 || len(tr.Accounts[0].Booked) == 0 || !tr.AsOf.Equal(testStart.Add(3601*time.Second)) {
		t.Fatalf("truth over HTTP: %d accounts, as of %s", len(tr.Accounts), tr.AsOf)
	}
}

// new_account_ids: the next full authentication sees the same accounts
// (numbers, IBANs, card, history) under ids never used before; a login that
// continues a connection (extend) does not consume it, and it fires once.
func TestFaultNewAccountIDs(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	first := connect(t, s, "john", "doe")
	cur, sav, card := accountIDs(t, s, first.AccessToken)
	numbers := func(tok string) map[string]string {
		out := map[string]string{}
		for _, a := range get(t, s, tok, "/accounts").results(t) {
			n := a["account_number"].(map[string]any)
			out[a["account_type"].(string)] = n["sort_code"].(string) + " " + n["number"].(string) + " " + n["iban"].(string)
		}
		return out
	}
	s.SetFaults(Faults{NewAccountIDs: true})
	r := postExtend(t, s, "/connections/extend", extendBody(first.RefreshToken, nil))
	var ext struct {
		Link string `json:"user_input_link"`
	}
	mustUnmarshal(t, r.Body, &ext)
	renewed := exchange(t, s, login(t, s, ext.Link, "john", "doe").Get("code"))
	if c, _, _ := accountIDs(t, s, renewed.AccessToken); c != cur || !s.Faults().NewAccountIDs {
		t.Fatalf("a login continuing the connection changed its ids (%s) or consumed the fault", c)
	}
	second := connect(t, s, "john", "doe")
	if s.Faults().NewAccountIDs {
		t.Fatal("new_account_ids is one-shot")
	}
	cur2, sav2, card2 := accountIDs(t, s, second.AccessToken)
	if cur2 == cur || sav2 == sav || card2 == card || cur2 == "" || len(cur2) != len(cur) {
		t.Fatalf("ids not renewed: %s %s %s vs %s %s %s", cur2, sav2, card2, cur, sav, card)
	}
	if a, b := numbers(renewed.AccessToken), numbers(second.AccessToken); a["TRANSACTION"] != b["TRANSACTION"] || a["SAVINGS"] != b["SAVINGS"] {
		t.Fatalf("numbers changed: %v vs %v", a, b)
	}
	before := get(t, s, renewed.AccessToken, "/accounts/"+cur+"/transactions").results(t)
	after := get(t, s, second.AccessToken, "/accounts/"+cur2+"/transactions").results(t)
	if len(before) == 0 || len(before) != len(after) || before[0]["normalised_provider_transaction_id"] != after[0]["normalised_provider_transaction_id"] {
		t.Fatalf("history differs: %d vs %d transactions", len(before), len(after))
	}
	if r := get(t, s, second.AccessToken, "/accounts/"+cur+"/balance"); r.Status != 404 {
		t.Fatalf("the old id still answers for the new connection: %d", r.Status)
	}
	get(t, s, second.AccessToken, "/cards/"+card2+"/balance").results(t)
	if third := connect(t, s, "john", "doe"); func() bool { c, _, _ := accountIDs(t, s, third.AccessToken); return c != cur }() {
		t.Fatal("the fault fired twice")
	}
}

// me_fail_once: the first /me after the next exchange answers 503, once,
// for that credential only; the tokens and the rest of the Data API work.
func TestFaultMeFailOnce(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	other := connect(t, s, "john1", "doe")
	s.SetFaults(Faults{MeFailOnce: true})
	tk := connect(t, s, "john", "doe")
	if s.Faults().MeFailOnce {
		t.Fatal("me_fail_once is consumed by the exchange")
	}
	get(t, s, other.AccessToken, "/me").results(t) // another connection is unaffected
	get(t, s, tk.AccessToken, "/accounts").results(t)
	if r := get(t, s, tk.AccessToken, "/me"); r.Status != 503 || r.errCode(t) != "temporarily_unavailable" {
		t.Fatalf("first /me: %d %s", r.Status, r.Body)
	}
	me := get(t, s, tk.AccessToken, "/me").results(t)
	if len(me) != 1 || me[0]["credentials_id"] == "" {
		t.Fatalf("second /me: %v", me)
	}
	if again := connect(t, s, "john", "doe"); get(t, s, again.AccessToken, "/me").Status != 200 {
		t.Fatal("me_fail_once fired for a second exchange")
	}
}

// account_ids_per_connection: each full login makes a credential of its own
// whose accounts carry ids of their own, while the older credential stays
// live, as the same user connecting twice at TrueLayer sees it.
func TestFaultAccountIDsPerConnection(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	own, _, _ := accountIDs(t, s, connect(t, s, "john", "doe").AccessToken)
	r := do(t, http.MethodPost, s.AuthURL()+"/__sandbox/faults", "", strings.NewReader(`{"account_ids_per_connection":true}`))
	if r.Status != 200 || !s.Faults().AccountIDsPerConnection {
		t.Fatalf("set over HTTP: %d %s", r.Status, r.Body)
	}
	first := connect(t, s, "john", "doe")
	second := connect(t, s, "john", "doe")
	cred := func(tk tokens) string {
		return get(t, s, tk.AccessToken, "/me").results(t)[0]["credentials_id"].(string)
	}
	if cred(first) == cred(second) {
		t.Fatal("two logins share a credential")
	}
	c1, s1, k1 := accountIDs(t, s, first.AccessToken)
	c2, s2, k2 := accountIDs(t, s, second.AccessToken)
	if c1 == c2 || s1 == s2 || k1 == k2 || c1 == own || c2 == own {
		t.Fatalf("ids shared between connections: %s %s %s / %s %s %s", c1, s1, k1, c2, s2, k2)
	}
	if !s.Faults().AccountIDsPerConnection {
		t.Fatal("account_ids_per_connection is not one-shot")
	}
	// Both consents are live: the older one until it is revoked.
	get(t, s, first.AccessToken, "/accounts/"+c1+"/balance").results(t)
	get(t, s, second.AccessToken, "/accounts/"+c2+"/balance").results(t)
	s.SetFaults(Faults{})
	third := connect(t, s, "john", "doe")
	if c3, _, _ := accountIDs(t, s, third.AccessToken); c3 != own {
		t.Fatalf("cleared: a login must see the user's own ids again, got %s, want %s", c3, own)
	}
}
