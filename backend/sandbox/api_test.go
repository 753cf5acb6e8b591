package sandbox

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"bankdesk/backend/internal/testclock"
	"bankdesk/backend/internal/testhost"
)

var uuidRe = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestDataEndpoints(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	tk := connect(t, s, "john", "doe")

	r := get(t, s, tk.AccessToken, "/me")
	me := r.results(t)[0]
	if r.Header.Get("Content-Type") != "application/json; charset=utf-8" || !uuidRe.MatchString(r.Header.Get("X-TL-Correlation-Id")) ||
		r.Header.Get("X-Credentials-Id") != me["credentials_id"] || r.Header.Get("Date") == "" {
		t.Fatalf("headers = %v", r.Header)
	}
	if r2 := get(t, s, tk.AccessToken, "/me"); r2.Header.Get("X-TL-Correlation-Id") == r.Header.Get("X-TL-Correlation-Id") {
		t.Fatal("correlation id repeated")
	}
	created, _ := time.Parse(time.RFC3339, me["consent_created_at"].(string))
	expires, _ := time.Parse(time.RFC3339, me["consent_expires_at"].(string))
	if me["client_id"] != ClientID || me["consent_status"] != "Authorised" || expires.Sub(created) != 90*24*time.Hour ||
		!created.Equal(testStart) || len(me["scopes"].([]any)) != 8 || me["privacy_policy"] != "Feb2019" {
		t.Fatalf("me = %v", me)
	}
	if p := me["provider"].(map[string]any); p["display_name"] != "Mock" || !strings.HasPrefix(p["logo_uri"].(string), s.AuthURL()+"/img/banks/") {
		t.Fatalf("me.provider = %v", p)
	}

	if info := get(t, s, tk.AccessToken, "/info").results(t)[0]; info["full_name"] != "John Doe" {
		t.Fatalf("info = %v", info)
	}

	accts := get(t, s, tk.AccessToken, "/accounts").results(t)
	if len(accts) != 2 || accts[0]["account_type"] != "TRANSACTION" || accts[1]["account_type"] != "SAVINGS" {
		t.Fatalf("accounts = %v", accts)
	}
	for _, a := range accts {
		id := a["account_id"].(string)
		if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(id) || a["currency"] != "GBP" {
			t.Fatalf("account = %v", a)
		}
		num := a["account_number"].(map[string]any)
		if !validIBAN(num["iban"].(string)) || !regexp.MustCompile(`^\d\d-\d\d-\d\d$`).MatchString(num["sort_code"].(string)) ||
			len(num["number"].(string)) != 8 || num["swift_bic"] == "" {
			t.Fatalf("account_number = %v", num)
		}
		one := get(t, s, tk.AccessToken, "/accounts/"+id).results(t)
		if len(one) != 1 || one[0]["account_id"] != id {
			t.Fatalf("account %s = %v", id, one)
		}
	}
	cur, sav, card := accountIDs(t, s, tk.AccessToken)

	bal := get(t, s, tk.AccessToken, "/accounts/"+cur+"/balance").results(t)[0]
	if bal["currency"] != "GBP" || bal["overdraft"] == nil || bal["available"] == nil {
		t.Fatalf("balance = %v", bal)
	}
	if sb := get(t, s, tk.AccessToken, "/accounts/"+sav+"/balance").results(t)[0]; sb["overdraft"] != nil {
		t.Fatalf("savings balance = %v", sb)
	}

	sos := get(t, s, tk.AccessToken, "/accounts/"+cur+"/standing_orders").results(t)
	if len(sos) != 2 || sos[0]["frequency"] != "IntrvlMnthDay:01:01" || sos[0]["next_payment_date"] != "2026-04-01T00:00:00+01:00" {
		t.Fatalf("standing orders = %v", sos)
	}
	dds := get(t, s, tk.AccessToken, "/accounts/"+cur+"/direct_debits").results(t)
	names := map[string]bool{}
	for _, d := range dds {
		names[d["name"].(string)] = true
		if d["previous_payment_amount"] == nil || d["meta"].(map[string]any)["provider_mandate_identification"] == "" {
			t.Fatalf("direct debit = %v", d)
		}
	}
	if !names["Thames Water"] || !names["EE"] || !names["Netflix"] {
		t.Fatalf("direct debits = %v", names)
	}
	for _, ep := range []string{"standing_orders", "direct_debits"} {
		if r := get(t, s, tk.AccessToken, "/accounts/"+sav+"/"+ep); r.Status != 501 || r.errCode(t) != "endpoint_not_supported" {
			t.Fatalf("savings %s: %d %s", ep, r.Status, r.Body)
		}
	}

	cards := get(t, s, tk.AccessToken, "/cards").results(t)
	c := cards[0]
	if len(cards) != 1 || c["card_network"] != "VISA" || c["card_type"] != "CREDIT" || len(c["partial_card_number"].(string)) != 4 ||
		!regexp.MustCompile(`^\d{4}-\d\d$`).MatchString(c["valid_to"].(string)) || c["name_on_card"] == "" {
		t.Fatalf("card = %v", c)
	}
	if one := get(t, s, tk.AccessToken, "/cards/"+card).results(t); one[0]["account_id"] != card {
		t.Fatalf("card = %v", one)
	}
	cb := get(t, s, tk.AccessToken, "/cards/"+card+"/balance").results(t)[0]
	if cb["credit_limit"] == nil || cb["last_statement_date"] == nil || cb["payment_due_date"] == nil {
		t.Fatalf("card balance = %v", cb)
	}

	for _, path := range []string{"/accounts/nope", "/accounts/" + card, "/cards/" + cur, "/accounts/nope/transactions", "/cards/nope/balance"} {
		if r := get(t, s, tk.AccessToken, path); r.Status != 404 || r.errCode(t) != "account_not_found" {
			t.Errorf("%s: %d %s", path, r.Status, r.Body)
		}
	}
}

// validIBAN checks the ISO 13616 mod-97 checksum.
func validIBAN(iban string) bool {
	if len(iban) < 15 {
		return false
	}
	rearranged := iban[4:] + iban[:4]
	var digits strings.Builder
	for _, c := range rearranged {
		if c >= 'A' && c <= 'Z' {
			fmt.Fprintf(&digits, "%d", c-'A'+10)
		} else {
			digits.WriteRune(c)
		}
	}
	n, ok := new(big.Int).SetString(digits.String(), 10)
	return ok && new(big.Int).Mod(n, big.NewInt(97)).Int64() == 1
}

func TestIBANUsers(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	ibans := map[string]string{}
	var ids []string
	for _, pass := range []string{"doe", "iban", "iban2"} {
		tk := connect(t, s, "john", pass)
		a := get(t, s, tk.AccessToken, "/accounts").results(t)[0]
		ibans[pass] = a["account_number"].(map[string]any)["iban"].(string)
		ids = append(ids, a["account_id"].(string))
		if !validIBAN(ibans[pass]) {
			t.Fatalf("%s: invalid IBAN %s", pass, ibans[pass])
		}
	}
	if ibans["doe"] == ibans["iban"] || ibans["iban"] == ibans["iban2"] || ids[0] != ids[1] || ids[1] != ids[2] {
		t.Fatalf("ibans = %v, ids = %v", ibans, ids)
	}
}

func TestScopeEnforcement(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	full := connect(t, s, "john", "doe")
	cur, _, card := accountIDs(t, s, full.AccessToken)

	tk := connect(t, s, "john", "doe", "scope", "accounts transactions")
	allowed := []string{"/me", "/accounts", "/accounts/" + cur, "/accounts/" + cur + "/transactions", "/accounts/" + cur + "/transactions/pending"}
	denied := []string{"/info", "/accounts/" + cur + "/balance", "/accounts/" + cur + "/standing_orders",
		"/accounts/" + cur + "/direct_debits", "/cards", "/cards/" + card, "/cards/" + card + "/transactions"}
	for _, p := range allowed {
		get(t, s, tk.AccessToken, p).results(t)
	}
	for _, p := range denied {
		if r := get(t, s, tk.AccessToken, p); r.Status != 403 || r.errCode(t) != "access_denied" {
			t.Errorf("%s: %d %s", p, r.Status, r.Body)
		}
	}
	// running_balance needs the balance scope.
	for _, tx := range get(t, s, tk.AccessToken, "/accounts/"+cur+"/transactions").results(t) {
		if tx["running_balance"] != nil {
			t.Fatal("running_balance without balance scope")
		}
	}
	for _, tx := range get(t, s, full.AccessToken, "/accounts/"+cur+"/transactions").results(t) {
		if tx["running_balance"] == nil {
			t.Fatal("running_balance missing with balance scope")
		}
	}
}

func TestTransactionIDsChangeButStableIDsDoNot(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	tk := connect(t, s, "john", "doe")
	cur, sav, _ := accountIDs(t, s, tk.AccessToken)
	for _, acct := range []string{cur, sav} {
		path := "/accounts/" + acct + "/transactions?from=2026-01-01"
		a := get(t, s, tk.AccessToken, path).results(t)
		b := get(t, s, tk.AccessToken, path).results(t)
		if len(a) == 0 || len(a) != len(b) {
			t.Fatalf("%s: %d vs %d transactions", acct, len(a), len(b))
		}
		noNorm := 0
		for i := range a {
			if a[i]["transaction_id"] == b[i]["transaction_id"] {
				t.Fatalf("transaction_id stable: %v", a[i]["transaction_id"])
			}
			if a[i]["normalised_provider_transaction_id"] != b[i]["normalised_provider_transaction_id"] ||
				a[i]["provider_transaction_id"] != b[i]["provider_transaction_id"] || a[i]["provider_transaction_id"] == nil {
				t.Fatalf("stable ids changed: %v vs %v", a[i], b[i])
			}
			if a[i]["normalised_provider_transaction_id"] == nil {
				noNorm++
			}
		}
		if acct == sav && noNorm == 0 {
			t.Fatal("no savings transaction without normalised_provider_transaction_id")
		}
	}
}

func TestAmountSigns(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	tk := connect(t, s, "john", "doe")
	cur, _, card := accountIDs(t, s, tk.AccessToken)
	check := func(path string, debitPositive bool) {
		seen := map[string]int{}
		for _, tx := range get(t, s, tk.AccessToken, path+"?from=2026-01-01").results(t) {
			amt := tx["amount"].(float64)
			typ := tx["transaction_type"].(string)
			seen[typ]++
			if (typ == "DEBIT") != ((amt > 0) == debitPositive) {
				t.Fatalf("%s: %s with amount %v", path, typ, amt)
			}
		}
		if seen["DEBIT"] == 0 || seen["CREDIT"] == 0 {
			t.Fatalf("%s: types seen %v", path, seen)
		}
	}
	check("/cards/"+card+"/transactions", true)    // card purchases: positive DEBIT
	check("/accounts/"+cur+"/transactions", false) // accounts: money out negative
	for _, tx := range get(t, s, tk.AccessToken, "/cards/"+card+"/transactions").results(t) {
		meta := tx["meta"].(map[string]any)
		if !strings.HasPrefix(meta["cardNumber"].(string), "4929********") {
			t.Fatalf("card meta = %v", meta)
		}
	}
}

func TestRawAmountsAreExactDecimals(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	tk := connect(t, s, "john", "doe")
	cur, _, _ := accountIDs(t, s, tk.AccessToken)
	r := get(t, s, tk.AccessToken, "/accounts/"+cur+"/transactions?from=2024-01-01")
	nums := regexp.MustCompile(`"amount":([^,}]+)`).FindAllStringSubmatch(string(r.Body), -1)
	if len(nums) < 100 {
		t.Fatalf("only %d amounts", len(nums))
	}
	ok := regexp.MustCompile(`^-?(0|[1-9]\d*)(\.\d?[1-9])?$`)
	for _, n := range nums {
		if !ok.MatchString(n[1]) {
			t.Fatalf("amount written as %q", n[1])
		}
	}
}

func TestSCAWindow(t *testing.T) {
	s, clk := newSandbox(t, Options{})
	tk := connect(t, s, "john", "doe")
	cur, _, card := accountIDs(t, s, tk.AccessToken)
	deep := "/accounts/" + cur + "/transactions?from=2020-01-01"
	recent := "/accounts/" + cur + "/transactions?from=" + (dayOf(testStart) - 90).civil().Format("2006-01-02")

	get(t, s, tk.AccessToken, deep).results(t)
	clk.Add(4*time.Minute + 59*time.Second)
	get(t, s, tk.AccessToken, "/cards/"+card+"/transactions?from=2020-01-01").results(t)
	clk.Add(2 * time.Second)
	if r := get(t, s, tk.AccessToken, deep); r.Status != 403 || r.errCode(t) != "sca_exceeded" {
		t.Fatalf("deep history after 5 min: %d %s", r.Status, r.Body)
	}
	get(t, s, tk.AccessToken, recent).results(t)
	get(t, s, tk.AccessToken, "/accounts/"+cur+"/transactions").results(t)

	// Refreshing does not re-authenticate; logging in again does.
	_, tk2, _ := refresh(t, s, tk.RefreshToken)
	if r := get(t, s, tk2.AccessToken, deep); r.Status != 403 {
		t.Fatalf("after refresh: %d", r.Status)
	}
	tk3 := connect(t, s, "john", "doe")
	get(t, s, tk3.AccessToken, deep).results(t)

	s.SetFaults(Faults{SCAExpired: true})
	if r := get(t, s, tk3.AccessToken, deep); r.Status != 403 || r.errCode(t) != "sca_exceeded" {
		t.Fatalf("sca_expired fault: %d %s", r.Status, r.Body)
	}
	get(t, s, tk3.AccessToken, recent).results(t)
}

func TestDateRanges(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	tk := connect(t, s, "john", "doe")
	cur, _, _ := accountIDs(t, s, tk.AccessToken)
	base := "/accounts/" + cur + "/transactions"
	for q, code := range map[string]string{
		"?from=2026-03-01&to=2026-02-01": "invalid_date_range",
		"?from=yesterday":                "validation_error",
		"?to=2026-13-45":                 "validation_error",
	} {
		if r := get(t, s, tk.AccessToken, base+q); r.Status != 400 || r.errCode(t) != code {
			t.Errorf("%s: %d %s", q, r.Status, r.Body)
		}
	}
	// Bounds are inclusive, dates and date-times are both accepted.
	all := get(t, s, tk.AccessToken, base+"?from=2026-02-01&to=2026-02-28").results(t)
	day := all[len(all)/2]["timestamp"].(string)[:10]
	oneDay := get(t, s, tk.AccessToken, base+"?from="+day+"&to="+day).results(t)
	asTimes := get(t, s, tk.AccessToken, base+"?from="+day+"T00:00:00Z&to="+day+"T23:59:59%2B00:00").results(t)
	if len(oneDay) == 0 || len(oneDay) != len(asTimes) {
		t.Fatalf("single day %s: %d vs %d", day, len(oneDay), len(asTimes))
	}
	for _, tx := range oneDay {
		if tx["timestamp"].(string)[:10] != day {
			t.Fatalf("%s outside %s", tx["timestamp"], day)
		}
	}
	// Default window: the last 90 days.
	def := get(t, s, tk.AccessToken, base).results(t)
	oldest, _ := time.Parse("2006-01-02", def[len(def)-1]["timestamp"].(string)[:10])
	if testStart.Sub(oldest) > 91*24*time.Hour || testStart.Sub(oldest) < 85*24*time.Hour {
		t.Fatalf("default window starts %s", oldest)
	}
}

func TestErrorUsers(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	for code, status := range errorUsers {
		tk := connect(t, s, "error."+code, "error")
		for _, p := range []string{"/me", "/accounts", "/cards", "/info"} {
			if r := get(t, s, tk.AccessToken, p); r.Status != status || r.errCode(t) != code {
				t.Errorf("%s %s: %d %s", code, p, r.Status, r.Body)
			}
		}
	}
	if _, err := loginErr(s, "error.provider_error", "doe"); err == nil {
		t.Fatal("error user logged in with the wrong password")
	}
	if tr := s.Truth("error.internal_error"); len(tr.Accounts) != 0 {
		t.Fatalf("error user has data: %+v", tr)
	}
}

func loginErr(s *Server, user, pass string) (string, error) {
	return Login(context.Background(), nil, link(s), user, pass)
}

func TestAsync(t *testing.T) {
	s, _ := newSandbox(t, Options{AsyncPolls: 2})
	tk := connect(t, s, "john", "doe")
	r := get(t, s, tk.AccessToken, "/accounts?async=true")
	var acc asyncJSON
	mustUnmarshal(t, r.Body, &acc)
	if r.Status != 202 || acc.Status != "Queued" || acc.ResultsURI != s.APIURL()+"/data/v1/results/"+acc.TaskID || !uuidRe.MatchString(acc.TaskID) {
		t.Fatalf("202 = %d %s", r.Status, r.Body)
	}
	for _, want := range []string{"Queued", "Running"} {
		p := do(t, http.MethodGet, acc.ResultsURI, tk.AccessToken, nil)
		var st asyncJSON
		mustUnmarshal(t, p.Body, &st)
		if p.Status != 200 || st.Status != want || st.TaskID != acc.TaskID {
			t.Fatalf("poll: %d %s, want %s", p.Status, p.Body, want)
		}
	}
	p := do(t, http.MethodGet, acc.ResultsURI, tk.AccessToken, nil)
	if res := p.results(t); len(res) != 2 {
		t.Fatalf("final poll = %s", p.Body)
	}

	// Only the same connection may read the task.
	other := connect(t, s, "john2", "doe")
	if r := do(t, http.MethodGet, acc.ResultsURI, other.AccessToken, nil); r.Status != 404 {
		t.Fatalf("foreign poll: %d", r.Status)
	}

	// A failing task: status Failed with the error.
	bad := connect(t, s, "error.provider_error", "error")
	r = get(t, s, bad.AccessToken, "/accounts?async=true")
	mustUnmarshal(t, r.Body, &acc)
	var st asyncJSON
	for range 3 {
		mustUnmarshal(t, do(t, http.MethodGet, acc.ResultsURI, bad.AccessToken, nil).Body, &st)
	}
	if st.Status != "Failed" || st.Error != "provider_error" || st.ErrorDescription == "" {
		t.Fatalf("failed task = %+v", st)
	}
}

func TestAsyncWebhook(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	tk := connect(t, s, "john", "doe")
	got := make(chan map[string]any, 1)
	hook := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m map[string]any
		_ = json.NewDecoder(r.Body).Decode(&m) // what is not JSON arrives as nil and fails below
		got <- m
	})}
	ln := testhost.Listen(t)
	go func() { _ = hook.Serve(ln) }() // until hook.Close
	defer hook.Close()
	r := get(t, s, tk.AccessToken, "/cards?async=true&webhook_uri=http://"+ln.Addr().String()+"/hook")
	var acc asyncJSON
	mustUnmarshal(t, r.Body, &acc)
	select {
	case m := <-got:
		if m["task_id"] != acc.TaskID || m["status"] != "Succeeded" || m["results_uri"] != acc.ResultsURI || m["credentials_id"] == "" {
			t.Fatalf("webhook = %v", m)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no webhook")
	}
	// After the webhook the results are ready at once.
	do(t, http.MethodGet, acc.ResultsURI, tk.AccessToken, nil).results(t)
}

func TestUnattendedLimit(t *testing.T) {
	s, _ := newSandbox(t, Options{EnforceUnattendedLimit: true})
	tk := connect(t, s, "john", "doe")
	for range 4 {
		get(t, s, tk.AccessToken, "/accounts").results(t)
	}
	if r := get(t, s, tk.AccessToken, "/accounts"); r.Status != 429 || r.errCode(t) != "provider_request_limit_exceeded" {
		t.Fatalf("5th unattended call: %d %s", r.Status, r.Body)
	}
	if r := do(t, http.MethodGet, s.APIURL()+"/data/v1/accounts", tk.AccessToken, nil, "X-PSU-IP", "203.0.113.9"); r.Status != 200 {
		t.Fatalf("with X-PSU-IP: %d", r.Status)
	}
	get(t, s, tk.AccessToken, "/cards").results(t) // counted per endpoint
}

func TestFullHistoryMatchesTruth(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	tk := connect(t, s, "john", "doe")
	tr := s.Truth("john")
	from := s.bank.start.civil().Format("2006-01-02")
	check := func(path string, want TruthAccount) {
		got := get(t, s, tk.AccessToken, path+"/transactions?from="+from).results(t)
		if len(got) != len(want.Booked) || len(got) == 0 {
			t.Fatalf("%s: %d transactions, truth has %d", path, len(got), len(want.Booked))
		}
		for i, g := range got {
			w := want.Booked[len(want.Booked)-1-i] // API is newest first
			id, _ := g["normalised_provider_transaction_id"].(string)
			if id == "" {
				id = g["provider_transaction_id"].(string)
			}
			amt := decimal.RequireFromString(fmt.Sprint(jsonNumber(t, g["amount"])))
			rb := decimal.RequireFromString(fmt.Sprint(jsonNumber(t, g["running_balance"].(map[string]any)["amount"])))
			ts := parseLenient(t, g["timestamp"].(string))
			if id != w.ID || !amt.Equal(w.Amount) || !rb.Equal(w.RunningBalance) || g["description"] != w.Description ||
				g["transaction_type"] != w.Type || !ts.Equal(w.Timestamp) || g["timestamp"].(string)[:10] != w.BookingDate {
				t.Fatalf("%s #%d: got %v, truth %+v", path, i, g, w)
			}
		}
		pend := get(t, s, tk.AccessToken, path+"/transactions/pending").results(t)
		if len(pend) != len(want.Pending) {
			t.Fatalf("%s: %d pending, truth %d", path, len(pend), len(want.Pending))
		}
	}
	check("/accounts/"+tr.Accounts[0].AccountID, tr.Accounts[0])
	check("/accounts/"+tr.Accounts[1].AccountID, tr.Accounts[1])
	check("/cards/"+tr.Cards[0].AccountID, tr.Cards[0])
	if n := len(tr.Accounts[0].Booked); n < 6000 {
		t.Fatalf("current account has only %d transactions in six years", n)
	}
}

func jsonNumber(t testing.TB, v any) string {
	t.Helper()
	f, ok := v.(float64)
	if !ok {
		t.Fatalf("not a number: %v", v)
	}
	return decimal.NewFromFloat(f).String()
}

// parseLenient reads a bank stamp; one without a zone is London wall time.
func parseLenient(t testing.TB, s string) time.Time {
	t.Helper()
	if ts, err := time.Parse(time.RFC3339, s); err == nil {
		return ts.UTC()
	}
	if ts, err := time.ParseInLocation("2006-01-02T15:04:05", s, london); err == nil {
		return ts.UTC()
	}
	t.Fatalf("bad timestamp %q", s)
	return time.Time{}
}

func TestBalancesConsistent(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	tk := connect(t, s, "john", "doe")
	tr := s.Truth("john")
	for _, a := range append(append([]TruthAccount{}, tr.Accounts...), tr.Cards...) {
		// Running balance = previous running balance + amount, in posting order.
		for i := 1; i < len(a.Booked); i++ {
			if !a.Booked[i-1].RunningBalance.Add(a.Booked[i].Amount).Equal(a.Booked[i].RunningBalance) {
				t.Fatalf("%s: running balance breaks at %d: %+v -> %+v", a.AccountID, i, a.Booked[i-1], a.Booked[i])
			}
			if a.Booked[i].Timestamp.Before(a.Booked[i-1].Timestamp) {
				t.Fatalf("%s: booked out of order at %d", a.AccountID, i)
			}
		}
		last := a.Booked[len(a.Booked)-1].RunningBalance
		if !last.Equal(a.Balance.Current) {
			t.Fatalf("%s: current %s, last running balance %s", a.AccountID, a.Balance.Current, last)
		}
		var pendOut decimal.Decimal
		for _, p := range a.Pending {
			if a.AccountType == "CREDIT" && p.Amount.IsPositive() {
				pendOut = pendOut.Add(p.Amount)
			} else if a.AccountType != "CREDIT" && p.Amount.IsNegative() {
				pendOut = pendOut.Sub(p.Amount)
			}
		}
		path := "/accounts/" + a.AccountID + "/balance"
		want := a.Balance.Current.Add(a.Balance.Overdraft).Sub(pendOut)
		if a.AccountType == "CREDIT" {
			path = "/cards/" + a.AccountID + "/balance"
			want = a.Balance.CreditLimit.Sub(a.Balance.Current).Sub(pendOut)
		}
		if !want.Equal(a.Balance.Available) {
			t.Fatalf("%s: available %s, want %s", a.AccountID, a.Balance.Available, want)
		}
		b := get(t, s, tk.AccessToken, path).results(t)[0]
		cur := decimal.RequireFromString(jsonNumber(t, b["current"]))
		avail := decimal.RequireFromString(jsonNumber(t, b["available"]))
		if !cur.Equal(a.Balance.Current) || !avail.Equal(a.Balance.Available) {
			t.Fatalf("%s: API balance %v, truth %+v", path, b, a.Balance)
		}
	}
}

func TestPendingBooksAsClockAdvances(t *testing.T) {
	s, clk := newSandbox(t, Options{})
	clk.Add(8 * time.Hour) // 22:30: the day's purchases are all made
	tr := s.Truth("john")
	pending := tr.Accounts[0].Pending
	if len(pending) == 0 {
		t.Fatal("no pending transactions")
	}
	for _, p := range pending {
		if testStart.Add(8*time.Hour).Sub(p.Timestamp) > 4*24*time.Hour || p.Timestamp.After(testStart.Add(8*time.Hour)) {
			t.Fatalf("pending transaction from %s", p.Timestamp)
		}
	}
	lastBooked := tr.Accounts[0].Booked[len(tr.Accounts[0].Booked)-1].Timestamp
	clk.Add(4 * 24 * time.Hour)
	tr2 := s.Truth("john")
	for _, p := range pending {
		found := false
		for _, b := range tr2.Accounts[0].Booked {
			if b.Timestamp.After(lastBooked) && b.Description == p.Description && b.Amount.Equal(p.Amount) {
				found = true
			}
		}
		for _, p2 := range tr2.Accounts[0].Pending {
			if p2.ID == p.ID {
				t.Fatalf("still pending after 4 days: %+v", p)
			}
		}
		if !found {
			t.Fatalf("pending %+v never booked", p)
		}
	}
	if n1, n2 := len(tr.Accounts[0].Booked), len(tr2.Accounts[0].Booked); n2 <= n1 {
		t.Fatalf("no new days: %d -> %d", n1, n2)
	}
}

func TestAwkwardDescriptions(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	tk := connect(t, s, "john", "doe")
	cur, _, _ := accountIDs(t, s, tk.AccessToken)
	seen := map[string]bool{}
	for _, tx := range get(t, s, tk.AccessToken, "/accounts/"+cur+"/transactions").results(t) {
		seen[tx["description"].(string)] = true
	}
	for _, want := range []string{"SMITH, JONES & CO", `"THE ANCHOR" PUB`, "DELIVEROO 🍕 ORDER", "CAFÉ CRÈME, LONDON",
		"=SUM(A1:A2) REFUND", "+44 MOBILE TOPUP", "-20% OFF OUTLET", "@HOME FURNISHINGS", "SAINSBURY'S S/MKT"} {
		if !seen[want] {
			t.Errorf("no %q in the last 90 days", want)
		}
	}
}

func TestDeterminism(t *testing.T) {
	a, _ := newSandbox(t, Options{})
	b, _ := newSandbox(t, Options{})
	ja, _ := json.Marshal(a.Truth("john5"))
	jb, _ := json.Marshal(b.Truth("john5"))
	if string(ja) != string(jb) {
		t.Fatal("two sandboxes on the same clock disagree")
	}
	if jc, _ := json.Marshal(a.Truth("john6")); string(jc) == string(ja) {
		t.Fatal("different users share data")
	}
	// A sandbox started later shows the same transactions and running balances.
	later := testclock.New(testStart.Add(75 * 24 * time.Hour))
	c, _ := newSandbox(t, Options{Now: later.Now})
	byID := map[string]TruthTransaction{}
	for _, tx := range c.Truth("john5").Accounts[0].Booked {
		byID[tx.ID] = tx
	}
	matched := 0
	for _, tx := range a.Truth("john5").Accounts[0].Booked {
		if o, ok := byID[tx.ID]; ok {
			matched++
			if !o.RunningBalance.Equal(tx.RunningBalance) || !o.Amount.Equal(tx.Amount) {
				t.Fatalf("history changed between sandboxes: %+v vs %+v", tx, o)
			}
		}
	}
	if matched < 5000 {
		t.Fatalf("only %d transactions in common", matched)
	}
}

func TestBalancesStayRealistic(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	for i := 0; i <= 100; i += 7 {
		user := "john"
		if i > 0 {
			user = fmt.Sprintf("john%d", i)
		}
		tr := s.Truth(user)
		for _, a := range tr.Accounts {
			for _, tx := range a.Booked {
				if tx.RunningBalance.LessThan(decimal.NewFromInt(-1500)) || tx.RunningBalance.GreaterThan(decimal.NewFromInt(40000)) {
					t.Fatalf("%s %s: running balance %s on %s", user, a.AccountType, tx.RunningBalance, tx.Timestamp)
				}
			}
		}
	}
}

// TestConcurrentUse hammers one sandbox from several goroutines while the clock
// moves, for the race detector.
func TestConcurrentUse(t *testing.T) {
	s, clk := newSandbox(t, Options{TokenTTL: 30 * 24 * time.Hour})
	tk := connect(t, s, "john", "doe")
	cur, sav, card := accountIDs(t, s, tk.AccessToken)
	paths := []string{"/accounts/" + cur + "/transactions", "/accounts/" + sav + "/balance", "/cards/" + card + "/transactions/pending",
		"/accounts/" + cur + "/direct_debits", "/cards/" + card + "/balance", "/me", "/accounts?async=true"}
	done := make(chan error)
	for g := range 6 {
		go func() {
			var err error
			for i := range 15 {
				p := paths[(g+i)%len(paths)]
				req, _ := http.NewRequest(http.MethodGet, s.APIURL()+"/data/v1"+p, nil)
				req.Header.Set("Authorization", "Bearer "+tk.AccessToken)
				resp, e := http.DefaultClient.Do(req)
				if e != nil {
					err = e
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body) // drained only to reuse the connection
				resp.Body.Close()
				if resp.StatusCode != 200 && resp.StatusCode != 202 {
					err = fmt.Errorf("%s: %d", p, resp.StatusCode)
				}
				if g == 0 {
					clk.Add(7 * time.Hour)
				}
			}
			done <- err
		}()
	}
	go func() {
		for range 5 {
			s.Truth("john")
		}
	}()
	for range 6 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

func TestListenErrors(t *testing.T) {
	if _, err := Listen("256.0.0.1:0", "127.0.0.1:0", Options{}); err == nil {
		t.Fatal("bad auth address accepted")
	}
	if _, err := Listen("127.0.0.1:0", "nope", Options{}); err == nil {
		t.Fatal("bad api address accepted")
	}
	s, err := Listen("127.0.0.1:0", "127.0.0.1:0", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s.AuthURL(), "http://127.0.0.1:") || !strings.HasPrefix(s.APIURL(), "http://127.0.0.1:") || s.AuthURL() == s.APIURL() {
		t.Fatalf("urls %s %s", s.AuthURL(), s.APIURL())
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal("second Close:", err)
	}
}
