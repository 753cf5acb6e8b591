// Package conformance runs the TrueLayer client against the built-in sandbox
// with every response validated against TrueLayer's OpenAPI specs: one test
// per endpoint and per error class, and a final check that every Data API v1
// operation the client uses was exercised.
package conformance

import (
	"bankdesk/backend/internal/testclock"
	"context"
	"errors"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"bankdesk/backend/internal/spectest"
	"bankdesk/backend/internal/testenv"
	"bankdesk/backend/sandbox"
	"bankdesk/backend/truelayer"
)

// recorder is shared by every test so TestMain can check overall coverage.
var recorder = spectest.NewRecorder(nil)

// usedOperations are the spec operations the Bankdesk client calls.
var usedOperations = []string{
	// auth server
	"DeleteCredential", "GenerateAccessToken", "GetProviders",
	// Data API v1
	"ExtendConnection", "GetAccount", "GetAccountBalance", "GetAccountDirectDebits",
	"GetAccountPendingTransactions", "GetAccountStandingOrders", "GetAccountTransactions",
	"GetAccounts", "GetCard", "GetCardBalance", "GetCardPendingTransactions",
	"GetCardTransactions", "GetCards", "GetInfo", "GetMe",
}

func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 && !testing.Short() && runAll() {
		seen := map[string]bool{}
		for _, op := range recorder.Operations() {
			seen[op] = true
		}
		var missing []string
		for _, op := range usedOperations {
			if !seen[op] {
				missing = append(missing, op)
			}
		}
		if len(missing) > 0 {
			println("OpenAPI coverage: operations never validated:", strings.Join(missing, ", "))
			code = 1
		} else {
			println("OpenAPI coverage: validated", strings.Join(recorder.Operations(), ", "))
		}
	}
	os.Exit(code)
}

// runAll is false when -run selects a subset: coverage is only meaningful for a full run.
func runAll() bool {
	for _, a := range os.Args {
		if strings.HasPrefix(a, "-test.run") {
			return false
		}
	}
	return true
}

// clock is the injectable time given to the sandbox and the code under test.
type clock = testclock.Clock

type env struct {
	t      *testing.T
	clk    *clock
	sb     *sandbox.Server
	client *truelayer.Client
	http   *http.Client
}

func newEnv(t *testing.T, opts ...func(*truelayer.Config)) *env {
	t.Helper()
	spectest.Check(t, recorder)
	clk := testclock.New(testenv.Start)
	sb := testenv.Sandbox(t, clk)
	hc := recorded(10 * time.Second)
	c := testenv.Client(t, sb, append([]func(*truelayer.Config){withHTTP(hc)}, opts...)...)
	return &env{t: t, clk: clk, sb: sb, client: c, http: hc}
}

// recorded is an http.Client whose traffic the shared recorder validates.
func recorded(timeout time.Duration) *http.Client {
	hc := recorder.Client()
	hc.Timeout = timeout
	return hc
}

func withHTTP(hc *http.Client) func(*truelayer.Config) {
	return func(c *truelayer.Config) { c.HTTPClient = hc }
}

// connect runs the whole auth flow (link with PKCE and state, dialog, code
// exchange) and returns the tokens.
func (e *env) connect(user, pass string) *truelayer.Token {
	e.t.Helper()
	verifier := truelayer.NewVerifier()
	state := "state-" + user
	link := e.client.AuthLink(truelayer.AuthLinkParams{
		Scopes: truelayer.DefaultScopes, State: state, CodeChallenge: truelayer.S256Challenge(verifier),
	})
	cb, err := sandbox.Login(context.Background(), e.http, link, user, pass)
	if err != nil {
		e.t.Fatalf("login %s: %v", user, err)
	}
	u, err := url.Parse(cb)
	if err != nil {
		e.t.Fatal(err)
	}
	if got := u.Query().Get("state"); got != state {
		e.t.Fatalf("state = %q, want %q", got, state)
	}
	tok, err := e.client.Exchange(context.Background(), u.Query().Get("code"), verifier)
	if err != nil {
		e.t.Fatalf("exchange: %v", err)
	}
	return tok
}

var ctx = context.Background()

func TestEveryEndpointAgainstSandbox(t *testing.T) {
	e := newEnv(t)
	tok := e.connect("john", "doe")
	at := tok.AccessToken
	if tok.RefreshToken == "" || tok.ExpiresIn <= 0 || len(tok.Scopes) == 0 {
		t.Fatalf("token incomplete: %v", tok)
	}

	me, err := e.client.Me(ctx, at)
	if err != nil {
		t.Fatal(err)
	}
	if me.CredentialsID == "" || me.Provider.ID != "mock" || me.ConsentExpiresAt.Time.Sub(me.ConsentCreatedAt.Time) < 89*24*time.Hour {
		t.Fatalf("me = %+v", me)
	}
	info, err := e.client.Info(ctx, at)
	if err != nil || len(info) == 0 || info[0].FullName == "" {
		t.Fatalf("info = %+v, %v", info, err)
	}

	accounts, err := e.client.Accounts(ctx, at)
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]truelayer.Account{}
	for _, a := range accounts {
		types[a.Type] = a
	}
	cur, okCur := types["TRANSACTION"]
	sav, okSav := types["SAVINGS"]
	if !okCur || !okSav {
		t.Fatalf("want a current and a savings account, got %+v", accounts)
	}
	one, err := e.client.Account(ctx, at, cur.ID)
	if err != nil || one.ID != cur.ID || one.Number.SortCode == "" {
		t.Fatalf("account = %+v, %v", one, err)
	}
	bal, err := e.client.Balance(ctx, at, truelayer.Resource{ID: cur.ID})
	if err != nil || bal.Currency != "GBP" {
		t.Fatalf("balance = %+v, %v", bal, err)
	}

	now := e.clk.Now()
	from := now.AddDate(0, -3, 0)
	txs, err := e.client.Transactions(ctx, at, truelayer.Resource{ID: cur.ID}, from, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(txs) < 50 {
		t.Fatalf("only %d transactions in three months", len(txs))
	}
	last := txs[0]
	for _, tx := range txs {
		if tx.StableID() == "" && tx.ProviderTransactionID == "" {
			t.Fatalf("transaction without a stable id: %+v", tx)
		}
		if tx.Timestamp.Time.Before(from.AddDate(0, 0, -1)) || tx.Timestamp.Time.After(now.Add(24*time.Hour)) {
			t.Fatalf("transaction %s outside %s..%s", tx.Timestamp.Time, from, now)
		}
		if tx.Timestamp.Time.After(last.Timestamp.Time) {
			last = tx
		}
	}
	// The newest booked transaction's running balance is the current balance.
	if last.RunningBalance != nil && !last.RunningBalance.Amount.Equal(bal.Current) {
		t.Logf("note: newest running balance %s vs current %s (same-day ordering)", last.RunningBalance.Amount, bal.Current)
	}
	if _, err := e.client.PendingTransactions(ctx, at, truelayer.Resource{ID: cur.ID}, time.Time{}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	sos, err := e.client.StandingOrders(ctx, at, cur.ID)
	if err != nil || len(sos) == 0 {
		t.Fatalf("standing orders = %+v, %v", sos, err)
	}
	dds, err := e.client.DirectDebits(ctx, at, cur.ID)
	if err != nil || len(dds) == 0 {
		t.Fatalf("direct debits = %+v, %v", dds, err)
	}
	if _, err := e.client.Balance(ctx, at, truelayer.Resource{ID: sav.ID}); err != nil {
		t.Fatal(err)
	}

	cards, err := e.client.Cards(ctx, at)
	if err != nil || len(cards) == 0 {
		t.Fatalf("cards = %+v, %v", cards, err)
	}
	card := cards[0]
	if c, err := e.client.Card(ctx, at, card.ID); err != nil || c.ID != card.ID {
		t.Fatalf("card = %+v, %v", c, err)
	}
	cb, err := e.client.Balance(ctx, at, truelayer.Resource{Card: true, ID: card.ID})
	if err != nil || cb.CreditLimit.IsZero() {
		t.Fatalf("card balance = %+v, %v", cb, err)
	}
	ctxs, err := e.client.Transactions(ctx, at, truelayer.Resource{Card: true, ID: card.ID}, from, now)
	if err != nil || len(ctxs) == 0 {
		t.Fatalf("card transactions = %d, %v", len(ctxs), err)
	}
	sawPurchase := false
	for _, tx := range ctxs {
		if tx.Type == "DEBIT" && tx.Amount.IsPositive() {
			sawPurchase = true
			if !tx.SignedAmount().IsNegative() || !tx.Outflow() {
				t.Fatalf("card purchase %s must be money out whatever its sign", tx.Amount)
			}
		}
	}
	if !sawPurchase {
		t.Fatal("no positive DEBIT card purchase: the sandbox must mirror the spec's card sign convention")
	}
	if _, err := e.client.PendingTransactions(ctx, at, truelayer.Resource{Card: true, ID: card.ID}, time.Time{}, time.Time{}); err != nil {
		t.Fatal(err)
	}

	banks, err := e.client.Providers(ctx, truelayer.ProvidersQuery{Countries: []string{"uk"}})
	if err != nil || len(banks) == 0 {
		t.Fatalf("providers = %+v, %v", banks, err)
	}

	// transaction_id changes between requests; the stable ids do not.
	again, err := e.client.Transactions(ctx, at, truelayer.Resource{ID: cur.ID}, from, now)
	if err != nil || len(again) != len(txs) {
		t.Fatalf("second read: %d vs %d, %v", len(again), len(txs), err)
	}
	ids := map[string]string{}
	for _, tx := range txs {
		ids[tx.StableID()+tx.ProviderTransactionID] = tx.TransactionID
	}
	changed := 0
	for _, tx := range again {
		prev, ok := ids[tx.StableID()+tx.ProviderTransactionID]
		if !ok {
			t.Fatalf("stable id %q not seen on the first read", tx.StableID())
		}
		if prev != tx.TransactionID {
			changed++
		}
	}
	if changed == 0 {
		t.Fatal("transaction_id never changed between requests")
	}
}

func TestRefreshRotatesAndRevokeEndsAccess(t *testing.T) {
	e := newEnv(t)
	tok := e.connect("john", "doe")
	fresh, err := e.client.Refresh(ctx, tok.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	if fresh.RefreshToken == "" || fresh.RefreshToken == tok.RefreshToken {
		t.Fatal("refresh token did not rotate")
	}
	// The old refresh token is spent: reconnect needed.
	_, err = e.client.Refresh(ctx, tok.RefreshToken)
	if !truelayer.NeedsReconnect(err) {
		t.Fatalf("reused refresh token: %v, want reconnect-needed", err)
	}
	if err := e.client.Revoke(ctx, fresh.AccessToken); err != nil {
		t.Fatal(err)
	}
	_, err = e.client.Accounts(ctx, fresh.AccessToken)
	if err == nil {
		t.Fatal("data still readable after revoke")
	}
}

func TestAsyncMatchesSync(t *testing.T) {
	e := newEnv(t)
	at := e.connect("john", "doe").AccessToken
	accounts, err := e.client.Accounts(ctx, at)
	if err != nil {
		t.Fatal(err)
	}
	from, to := e.clk.Now().AddDate(-1, 0, 0), e.clk.Now()
	sync, err := e.client.Transactions(ctx, at, truelayer.Resource{ID: accounts[0].ID}, from, to)
	if err != nil {
		t.Fatal(err)
	}
	async, err := e.client.Transactions(ctx, at, truelayer.Resource{ID: accounts[0].ID}, from, to, truelayer.WithAsync())
	if err != nil {
		t.Fatal(err)
	}
	if len(sync) != len(async) || len(sync) == 0 {
		t.Fatalf("async %d vs sync %d", len(async), len(sync))
	}
	sum := func(txs []truelayer.Transaction) decimal.Decimal {
		s := decimal.Zero
		for _, tx := range txs {
			s = s.Add(tx.Amount)
		}
		return s
	}
	if !sum(sync).Equal(sum(async)) {
		t.Fatalf("sums differ: %s vs %s", sum(sync), sum(async))
	}
}

// Each error class the client classifies, produced by the sandbox.
func TestErrorClassesAgainstSandbox(t *testing.T) {
	e := newEnv(t)
	tok := e.connect("john", "doe")
	at := tok.AccessToken
	accounts, err := e.client.Accounts(ctx, at)
	if err != nil {
		t.Fatal(err)
	}
	var savings string
	for _, a := range accounts {
		if a.Type == "SAVINGS" {
			savings = a.ID
		}
	}
	asError := func(t *testing.T, err error) *truelayer.Error {
		t.Helper()
		var te *truelayer.Error
		if !errors.As(err, &te) {
			t.Fatalf("err = %v (%T), want *truelayer.Error", err, err)
		}
		// The Data API sends X-TL-Correlation-Id on every response; the auth
		// server is not documented to.
		if te.CorrelationID == "" && te.Status != 0 && strings.Contains(te.Op, "/data/v1") {
			t.Errorf("no X-TL-Correlation-Id on %v", te)
		}
		return te
	}

	t.Run("429 with Retry-After is retryable", func(t *testing.T) {
		e.sb.SetFaults(sandbox.Faults{RateLimit: 1, RetryAfter: 7})
		_, err := e.client.Accounts(ctx, at)
		te := asError(t, err)
		if te.Status != 429 || !truelayer.IsRetryable(err) {
			t.Fatalf("%v", err)
		}
		if d, ok := truelayer.RetryAfter(err); !ok || d != 7*time.Second {
			t.Fatalf("Retry-After = %v %v", d, ok)
		}
		if _, err := e.client.Accounts(ctx, at); err != nil {
			t.Fatalf("fault did not clear: %v", err)
		}
	})
	for _, status := range []int{500, 503, 504} {
		t.Run("5xx retryable "+http.StatusText(status), func(t *testing.T) {
			e.sb.SetFaults(sandbox.Faults{ServerErrors: 1, ServerErrorStatus: status})
			_, err := e.client.Me(ctx, at)
			if te := asError(t, err); te.Status != status || !truelayer.IsRetryable(err) {
				t.Fatalf("%v", err)
			}
		})
	}
	t.Run("timeout is retryable", func(t *testing.T) {
		slow := newEnvClient(t, e, 150*time.Millisecond)
		e.sb.SetFaults(sandbox.Faults{DelayMS: 1000})
		defer e.sb.SetFaults(sandbox.Faults{})
		_, err := slow.Me(ctx, at)
		if err == nil || !truelayer.IsRetryable(err) {
			t.Fatalf("timeout: %v", err)
		}
	})
	t.Run("truncated body is retryable", func(t *testing.T) {
		e.sb.SetFaults(sandbox.Faults{Truncate: 1})
		_, err := e.client.Transactions(ctx, at, truelayer.Resource{ID: accounts[0].ID}, e.clk.Now().AddDate(0, -1, 0), e.clk.Now())
		if err == nil || !truelayer.IsRetryable(err) {
			t.Fatalf("truncated: %v", err)
		}
	})
	t.Run("401 invalid_token asks for a refresh", func(t *testing.T) {
		e.sb.ExpireAccessTokens()
		_, err := e.client.Accounts(ctx, at)
		if te := asError(t, err); te.Status != 401 || !truelayer.IsUnauthorized(err) || truelayer.NeedsReconnect(err) {
			t.Fatalf("%v", err)
		}
		fresh, err := e.client.Refresh(ctx, tok.RefreshToken)
		if err != nil {
			t.Fatal(err)
		}
		at, tok = fresh.AccessToken, fresh
	})
	t.Run("501 is not supported", func(t *testing.T) {
		_, err := e.client.StandingOrders(ctx, at, savings)
		if te := asError(t, err); te.Status != 501 || !truelayer.IsNotSupported(err) || truelayer.IsRetryable(err) {
			t.Fatalf("%v", err)
		}
	})
	t.Run("404 unknown account", func(t *testing.T) {
		_, err := e.client.Account(ctx, at, "0000000000000000000000000000dead")
		if te := asError(t, err); te.Status != 404 || te.Code != "account_not_found" {
			t.Fatalf("%v", err)
		}
	})
	t.Run("sca_exceeded after five minutes", func(t *testing.T) {
		e.clk.Add(6 * time.Minute)
		old := e.clk.Now().AddDate(-2, 0, 0)
		_, err := e.client.Transactions(ctx, at, truelayer.Resource{ID: accounts[0].ID}, old, old.AddDate(0, 3, 0))
		if te := asError(t, err); te.Status != 403 || !truelayer.IsSCAExceeded(err) || truelayer.NeedsReconnect(err) {
			t.Fatalf("%v", err)
		}
		// Recent history still works outside the SCA window.
		if _, err := e.client.Transactions(ctx, at, truelayer.Resource{ID: accounts[0].ID}, e.clk.Now().AddDate(0, 0, -30), e.clk.Now()); err != nil {
			t.Fatalf("recent history: %v", err)
		}
	})
	t.Run("consent expiry needs a reconnect", func(t *testing.T) {
		e.clk.Add(91 * 24 * time.Hour)
		_, err := e.client.Refresh(ctx, tok.RefreshToken)
		if te := asError(t, err); te.Code != "invalid_grant" || !truelayer.NeedsReconnect(err) {
			t.Fatalf("refresh after 90 days: %v", err)
		}
	})
}

func newEnvClient(t *testing.T, e *env, timeout time.Duration) *truelayer.Client {
	t.Helper()
	return testenv.Client(t, e.sb, withHTTP(recorded(timeout)))
}

func TestErrorUsers(t *testing.T) {
	e := newEnv(t)
	for user, want := range map[string]int{
		"error.internal_error":             500,
		"error.provider_error":             503,
		"error.account_temporarily_locked": 403,
	} {
		at := e.connect(user, "error").AccessToken
		_, err := e.client.Accounts(ctx, at)
		var te *truelayer.Error
		if !errors.As(err, &te) || te.Status != want || te.Code != strings.TrimPrefix(user, "error.") {
			t.Fatalf("%s: %v, want %d %s", user, err, want, strings.TrimPrefix(user, "error."))
		}
	}
}

func TestTokenErrors(t *testing.T) {
	e := newEnv(t)
	verifier := truelayer.NewVerifier()
	link := e.client.AuthLink(truelayer.AuthLinkParams{Scopes: truelayer.DefaultScopes, State: "s", CodeChallenge: truelayer.S256Challenge(verifier)})
	cb, err := sandbox.Login(ctx, e.http, link, "john", "doe")
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(cb)
	code := u.Query().Get("code")
	if _, err := e.client.Exchange(ctx, code, truelayer.NewVerifier()); err == nil {
		t.Fatal("wrong PKCE verifier accepted")
	}
	if _, err := e.client.Exchange(ctx, code, verifier); err != nil {
		t.Fatalf("right verifier: %v", err)
	}
	_, err = e.client.Exchange(ctx, code, verifier)
	var te *truelayer.Error
	if !errors.As(err, &te) || te.Status != 400 {
		t.Fatalf("reused code: %v", err)
	}
	if strings.Contains(err.Error(), code) || strings.Contains(err.Error(), verifier) {
		t.Fatal("error text leaks the code or verifier")
	}
}

func TestExtendOutcomes(t *testing.T) {
	for _, extendPath := range []string{"/data/v1/connections/extend", "/connections/extend"} {
		t.Run(extendPath, func(t *testing.T) {
			e := newEnv(t, func(c *truelayer.Config) { c.ExtendPath = extendPath })
			req := func(rt string) truelayer.ExtendRequest {
				return truelayer.ExtendRequest{
					UserHasReconfirmedConsent: true, RefreshToken: rt, State: "ext",
					User: truelayer.ExtendUser{Name: "John Doe", Email: "john@doe.com"},
				}
			}
			eternal := e.connect("john", "eternal")
			res, err := e.client.Extend(ctx, req(eternal.RefreshToken))
			if err != nil || res.ActionNeeded != truelayer.ActionNone || res.Token == nil || res.Token.AccessToken == "" {
				t.Fatalf("eternal: %+v, %v", res, err)
			}
			doe := e.connect("john", "doe")
			res, err = e.client.Extend(ctx, req(doe.RefreshToken))
			if err != nil || res.ActionNeeded != truelayer.ActionAuthentication || !strings.HasPrefix(res.UserInputLink, e.sb.AuthURL()) {
				t.Fatalf("doe: %+v, %v", res, err)
			}
			for _, status := range []int{400, 401, 422} {
				e.sb.SetFaults(sandbox.Faults{ExtendStatus: status})
				_, err := e.client.Extend(ctx, req(doe.RefreshToken))
				var te *truelayer.Error
				if !errors.As(err, &te) || te.Status != status || te.Title == "" {
					t.Fatalf("forced %d: %v", status, err)
				}
			}
			// A real validation failure: no user details.
			bad := req(doe.RefreshToken)
			bad.User = truelayer.ExtendUser{}
			_, err = e.client.Extend(ctx, bad)
			var te *truelayer.Error
			if !errors.As(err, &te) || te.Status != 400 || len(te.Details) == 0 {
				t.Fatalf("missing user: %v", err)
			}
		})
	}
}
