package truelayer

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

var (
	ctx      = context.Background()
	from     = time.Date(2024, 1, 2, 23, 30, 0, 0, time.UTC)
	to       = time.Date(2024, 3, 31, 0, 0, 0, 0, time.UTC)
	txnQuery = "from=2024-01-02&to=2024-03-31"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func decEq(t *testing.T, what string, got *decimal.Decimal, want string) {
	t.Helper()
	if got == nil {
		t.Errorf("%s: nil, want %s", what, want)
		return
	}
	if !got.Equal(dec(want)) {
		t.Errorf("%s = %s, want %s", what, got, want)
	}
}

func TestDataEndpoints(t *testing.T) {
	tests := []struct {
		name    string
		path    string
		query   string
		example string
		call    func(c *Client) (any, error)
		check   func(t *testing.T, v any)
	}{
		{"me", "/data/v1/me", "", "GetMe200Response",
			func(c *Client) (any, error) {
				return c.Me(ctx, testAccessToken, WithPSUIP("203.0.113.7"), WithCorrelationID("cid-1"))
			},
			func(t *testing.T, v any) {
				me := v.(*Me)
				if me.ClientID != "test" || me.CredentialsID != "6L7RxyPKX0THy1tw93PB4V+8DB+KjnX9Pxa451yXPu0=" || me.ConsentStatus != "Authorised" ||
					me.Provider.ID != "lloyds" || me.Provider.DisplayName != "Lloyds Bank" || !strings.HasSuffix(me.Provider.LogoURI, "lloyds-icon.svg") ||
					len(me.Scopes) != 6 || me.PrivacyPolicy != "Feb2019" {
					t.Errorf("me %+v", me)
				}
				if !me.ConsentExpiresAt.Equal(time.Date(2020, 8, 24, 14, 44, 40, 77e6, time.UTC)) ||
					!me.ConsentCreatedAt.Equal(time.Date(2020, 5, 24, 14, 44, 40, 77e6, time.UTC)) || !me.ConsentStatusUpdatedAt.Valid() {
					t.Errorf("me times %v %v", me.ConsentCreatedAt, me.ConsentExpiresAt)
				}
			}},
		{"info", "/data/v1/info", "", "GetInfoAllFields200Response",
			func(c *Client) (any, error) { return c.Info(ctx, testAccessToken) },
			func(t *testing.T, v any) {
				info := v.([]Info)
				if len(info) != 1 || info[0].FullName != "John Doe" || info[0].BranchID != "stet-caisse-d-epargne-normandie" ||
					info[0].Emails[0] != "joe.doe@example.com" || info[0].Phones[0] != "+447777123456" ||
					!info[0].UpdateTimestamp.Equal(time.Date(2020, 11, 19, 9, 30, 0, 0, time.UTC)) {
					t.Errorf("info %+v", info)
				}
			}},
		{"accounts", "/data/v1/accounts", "", "GetAccounts200Response",
			func(c *Client) (any, error) { return c.Accounts(ctx, testAccessToken) },
			func(t *testing.T, v any) {
				a := v.([]Account)
				if len(a) != 2 || a[0].ID != "f1234560abf9f57287637624def390871" || a[0].Type != "TRANSACTION" || a[1].Type != "SAVINGS" ||
					a[0].DisplayName != "Club Lloyds" || a[0].Currency != "GBP" || a[0].Provider.ID != "lloyds" ||
					a[0].Number != (AccountNumber{IBAN: "GB35LOYD12345678901234", Number: "12345678", SortCode: "12-34-56", SwiftBIC: "LOYDGB2L"}) ||
					!a[0].UpdateTimestamp.Equal(time.Date(2017, 2, 7, 17, 29, 24, 740802000, time.UTC)) {
					t.Errorf("accounts %+v", a)
				}
			}},
		{"accounts AU", "/data/v1/accounts", "", "GetAccountsAU200Response",
			func(c *Client) (any, error) { return c.Accounts(ctx, testAccessToken) },
			func(t *testing.T, v any) {
				a := v.([]Account)
				if a[0].Number.BSB != "112879" || a[0].Number.Number != "453278497078354" || a[0].Currency != "AUD" {
					t.Errorf("accounts %+v", a)
				}
			}},
		{"account", "/data/v1/accounts/acc%2F1", "", "GetAccount200Response",
			func(c *Client) (any, error) { return c.Account(ctx, testAccessToken, "acc/1") },
			func(t *testing.T, v any) {
				if a := v.(*Account); a.ID != "f1234560abf9f57287637624def390871" || a.Number.SwiftBIC != "" {
					t.Errorf("account %+v", a)
				}
			}},
		{"account balance", "/data/v1/accounts/acc1/balance", "", "GetAccountBalance200Response",
			func(c *Client) (any, error) { return c.Balance(ctx, testAccessToken, Resource{ID: "acc1"}) },
			func(t *testing.T, v any) {
				b := v.(*Balance)
				decEq(t, "available", b.Available, "2150.8")
				decEq(t, "current", &b.Current, "1161.2")
				decEq(t, "overdraft", b.Overdraft, "1000")
				if b.Currency != "GBP" || !b.UpdateTimestamp.Valid() {
					t.Errorf("balance %+v", b)
				}
			}},
		{"account transactions", "/data/v1/accounts/acc1/transactions", txnQuery, "GetAccountTransactions200Response",
			func(c *Client) (any, error) {
				return c.Transactions(ctx, testAccessToken, Resource{ID: "acc1"}, from, to)
			},
			func(t *testing.T, v any) {
				tx := v.([]Transaction)
				if len(tx) != 2 {
					t.Fatalf("%d transactions", len(tx))
				}
				a := tx[0]
				if a.TransactionID != "03c333979b729315545816aaa365c33f" || a.StableID() != "txn-ajdifh38fheu5hgue" ||
					a.ProviderTransactionID != "9882ks-00js" || a.Description != "GOOGLE PLAY STORE" || a.Currency != "GBP" ||
					a.Type != "DEBIT" || a.Category != "PURCHASE" || strings.Join(a.Classification, "/") != "Entertainment/Games" ||
					a.MerchantName != "Google play" || a.Meta["provider_transaction_category"] != "DEB" ||
					!a.Timestamp.Equal(time.Date(2018, 3, 6, 0, 0, 0, 0, time.UTC)) {
					t.Errorf("transaction %+v", a)
				}
				decEq(t, "amount", &a.Amount, "-2.99")
				decEq(t, "running balance", &a.RunningBalance.Amount, "1238.6")
				if !a.Outflow() || !a.SignedAmount().Equal(dec("-2.99")) {
					t.Errorf("direction: outflow %v signed %s", a.Outflow(), a.SignedAmount())
				}
				if tx[1].RunningBalance != nil {
					t.Errorf("running balance should be absent: %+v", tx[1].RunningBalance)
				}
			}},
		{"account transactions AU, no range", "/data/v1/accounts/acc1/transactions", "", "GetAccountTransactionsAU200Response",
			func(c *Client) (any, error) {
				return c.Transactions(ctx, testAccessToken, Resource{ID: "acc1"}, time.Time{}, time.Time{})
			},
			func(t *testing.T, v any) {
				tx := v.([]Transaction)
				if tx[0].Type != "CREDIT" || tx[0].Outflow() || !tx[0].SignedAmount().Equal(dec("100")) || tx[0].Classification != nil {
					t.Errorf("transaction %+v", tx[0])
				}
			}},
		{"account pending", "/data/v1/accounts/acc1/transactions/pending", "from=2024-01-02", "GetAccountTransactions200Response",
			func(c *Client) (any, error) {
				return c.PendingTransactions(ctx, testAccessToken, Resource{ID: "acc1"}, from, time.Time{})
			},
			func(t *testing.T, v any) {
				if len(v.([]Transaction)) != 2 {
					t.Errorf("pending %+v", v)
				}
			}},
		{"standing orders", "/data/v1/accounts/acc1/standing_orders", "", "GetAccountStandingOrders200Response",
			func(c *Client) (any, error) { return c.StandingOrders(ctx, testAccessToken, "acc1") },
			func(t *testing.T, v any) {
				so := v.([]StandingOrder)
				if len(so) != 2 || so[0].Frequency != "IntrvlMnthDay:01:26" || so[0].Status != "Active" || so[0].Reference != "Savings" ||
					so[1].Payee != "JOHN DOE" || so[0].Meta.ProviderAccountID != "12345ca1-18fd-4e6b-891e-0597cac6bb8c" ||
					so[0].FinalPaymentDate.Year() != 9999 || !so[0].Timestamp.Equal(time.Date(2019, 7, 24, 11, 29, 47, 414e6, time.UTC)) {
					t.Errorf("standing orders %+v", so)
				}
				decEq(t, "next amount", so[0].NextPaymentAmount, "500")
				decEq(t, "first amount", so[0].FirstPaymentAmount, "0")
			}},
		{"direct debits", "/data/v1/accounts/acc1/direct_debits", "", "GetAccountDirectDebits200Response",
			func(c *Client) (any, error) { return c.DirectDebits(ctx, testAccessToken, "acc1") },
			func(t *testing.T, v any) {
				dd := v.([]DirectDebit)
				if len(dd) != 3 || dd[0].DirectDebitID != "004ea8ce16b6ff57090b7bf8c7b483a1" || dd[0].Name != "EE" ||
					dd[0].Meta.ProviderMandateIdentification != "6" || dd[0].Meta.ProviderAccountID != "1000000000000000001" ||
					!dd[0].PreviousPaymentTimestamp.Equal(time.Date(2018, 9, 16, 23, 0, 0, 0, time.UTC)) {
					t.Errorf("direct debits %+v", dd)
				}
				decEq(t, "previous amount", dd[1].PreviousPaymentAmount, "4.99")
			}},
		{"cards", "/data/v1/cards", "", "GetCards200Response",
			func(c *Client) (any, error) { return c.Cards(ctx, testAccessToken) },
			func(t *testing.T, v any) {
				cards := v.([]Card)
				c := cards[0]
				if len(cards) != 2 || c.ID != "f7b093437032c216d4350b7d442b9c5ccc0e9f19" || c.CardNetwork != "VISA" || c.CardType != "CREDIT" ||
					c.DisplayName != "Club Credit Card" || c.PartialCardNumber != "0044" || c.NameOnCard != "A. N. Other" ||
					!c.ValidFrom.Equal(time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC)) || c.ValidTo.Raw != "2018-01" || c.Provider.ID != "lloyds" {
					t.Errorf("cards %+v", cards)
				}
			}},
		{"card", "/data/v1/cards/card1", "", "GetCard200Response",
			func(c *Client) (any, error) { return c.Card(ctx, testAccessToken, "card1") },
			func(t *testing.T, v any) {
				if c := v.(*Card); c.CardNetwork != "VISA" {
					t.Errorf("card %+v", c)
				}
			}},
		{"card balance", "/data/v1/cards/card1/balance", "", "GetCardBalance200Response",
			func(c *Client) (any, error) {
				return c.Balance(ctx, testAccessToken, Resource{Card: true, ID: "card1"})
			},
			func(t *testing.T, v any) {
				b := v.(*Balance)
				decEq(t, "available", b.Available, "3279")
				decEq(t, "current", &b.Current, "20")
				decEq(t, "credit limit", b.CreditLimit, "3300")
				decEq(t, "last statement", b.LastStatementBalance, "420")
				decEq(t, "payment due", b.PaymentDue, "5")
				if !b.LastStatementDate.Equal(time.Date(2017, 1, 28, 0, 0, 0, 0, time.UTC)) || !b.PaymentDueDate.Valid() {
					t.Errorf("card balance dates %+v", b)
				}
				// The spec example's "2017-02-247T17:29:24.740802Z" must not fail the response.
				if b.UpdateTimestamp.Valid() || b.UpdateTimestamp.Raw != "2017-02-247T17:29:24.740802Z" {
					t.Errorf("malformed update_timestamp: %+v", b.UpdateTimestamp)
				}
			}},
		{"card transactions", "/data/v1/cards/card1/transactions", txnQuery, "GetCardTransactions200Response",
			func(c *Client) (any, error) {
				return c.Transactions(ctx, testAccessToken, Resource{Card: true, ID: "card1"}, from, to)
			},
			func(t *testing.T, v any) {
				tx := v.([]Transaction)
				s := tx[0]
				// Card DEBITs are positive in the API: direction comes from the type.
				if !s.Amount.Equal(dec("24.25")) || !s.Outflow() || !s.SignedAmount().Equal(dec("-24.25")) ||
					s.Meta["cardNumber"] != "1234********5678" || !s.Timestamp.Equal(time.Date(2018, 1, 16, 0, 0, 0, 0, time.UTC)) {
					t.Errorf("card transaction %+v", s)
				}
			}},
		{"card pending", "/data/v1/cards/card1/transactions/pending", "to=2024-03-31", "GetCardTransactions200Response",
			func(c *Client) (any, error) {
				return c.PendingTransactions(ctx, testAccessToken, Resource{Card: true, ID: "card1"}, time.Time{}, to)
			},
			func(t *testing.T, v any) {
				if len(v.([]Transaction)) != 2 {
					t.Errorf("pending %+v", v)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, rec := exampleClient(t, tt.example)
			v, err := tt.call(c)
			if err != nil {
				t.Fatal(err)
			}
			r := rec.last(t)
			if r.Method != http.MethodGet || r.URL.EscapedPath() != tt.path || r.URL.RawQuery != tt.query {
				t.Errorf("request %s %s?%s, want %s?%s", r.Method, r.URL.EscapedPath(), r.URL.RawQuery, tt.path, tt.query)
			}
			if got := r.Header.Get("Authorization"); got != "Bearer "+testAccessToken {
				t.Errorf("authorization %q", got)
			}
			if r.Header.Get("Accept") != "application/json" || r.Header.Get("User-Agent") != defaultUserAgent {
				t.Errorf("headers %v", r.Header)
			}
			tt.check(t, v)
		})
	}
}

func TestDataHeaders(t *testing.T) {
	c, rec := exampleClient(t, "GetMe200Response", func(cfg *Config) { cfg.UserAgent = "bankdesk/9" })
	if _, err := c.Me(ctx, testAccessToken, WithPSUIP("203.0.113.7"), WithCorrelationID("cid-1")); err != nil {
		t.Fatal(err)
	}
	h := rec.last(t).Header
	if h.Get("X-PSU-IP") != "203.0.113.7" || h.Get("X-Client-Correlation-Id") != "cid-1" || h.Get("User-Agent") != "bankdesk/9" {
		t.Errorf("headers %v", h)
	}
	if _, err := c.Me(ctx, testAccessToken); err != nil {
		t.Fatal(err)
	}
	h = rec.last(t).Header
	if h.Get("X-PSU-IP") != "" || h.Get("X-Client-Correlation-Id") != "" {
		t.Errorf("headers without options %v", h)
	}
}

func TestDataEmptyAndMissing(t *testing.T) {
	c := newTestClient(t, fixed(200, []byte(`{"results":[],"status":"Succeeded"}`), nil))
	if _, err := c.Account(ctx, testAccessToken, "x"); err == nil || IsRetryable(err) {
		t.Errorf("empty results for a single object: err %v", err)
	}
	list, err := c.Accounts(ctx, testAccessToken)
	if err != nil || len(list) != 0 {
		t.Errorf("empty list: %v %v", list, err)
	}
	if _, err := c.Accounts(ctx, ""); err == nil {
		t.Error("missing access token: want error")
	}
	c = newTestClient(t, fixed(200, []byte(`{"status":"Succeeded","extra":{"nested":[1,2]},"results":null}`), nil))
	if list, err := c.Cards(ctx, testAccessToken); err != nil || list != nil {
		t.Errorf("null results: %v %v", list, err)
	}
}

func TestRevoke(t *testing.T) {
	var rec recorder
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.add(r)
		w.WriteHeader(200)
	}))
	if err := c.Revoke(ctx, testAccessToken); err != nil {
		t.Fatal(err)
	}
	r := rec.last(t)
	if r.Method != http.MethodDelete || r.URL.Path != "/api/delete" || r.Header.Get("Authorization") != "Bearer "+testAccessToken {
		t.Errorf("request %s %s %v", r.Method, r.URL, r.Header)
	}

	c = newTestClient(t, fixed(401, example(t, "auth/Unauthorized401Response"), nil))
	if err := c.Revoke(ctx, testAccessToken); !IsUnauthorized(err) || NeedsReconnect(err) {
		t.Errorf("revoke 401: %v", err)
	}
	if err := c.Revoke(ctx, ""); err == nil {
		t.Error("revoke without token: want error")
	}

	c = newTestClient(t, fixed(500, example(t, "InternalServerError500Response"), nil))
	err := c.Revoke(ctx, testAccessToken)
	if !IsRetryable(err) || !strings.Contains(err.Error(), "DELETE /api/delete: 500 internal_server_error") {
		t.Errorf("revoke error %v", err)
	}
	assertNoSecrets(t, "revoke error", err.Error())
}
