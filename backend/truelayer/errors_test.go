package truelayer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"
)

type classes struct{ retry, reconnect, unauthorized, sca, notSupported bool }

func TestDataErrors(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		example string
		code    string
		want    classes
	}{
		{"400 validation", 400, "Invalid400Response", "validation_error", classes{}},
		{"400 date range", 400, "InvalidDate400Response", "invalid_date_range", classes{}},
		{"401 invalid_token", 401, "Unauthorized401Response", "invalid_token", classes{unauthorized: true}},
		{"403 sca_exceeded", 403, "AccessDenied403Response", "sca_exceeded", classes{sca: true}},
		{"403 access_denied", 403, "AccessDeniedSCAExceeded403Response", "access_denied", classes{reconnect: true}},
		{"404 account", 404, "AccountNotFound404Response", "account_not_found", classes{}},
		{"429 provider", 429, "ProviderRateLimitExceeded429Response", "provider_too_many_requests", classes{retry: true}},
		{"429 unattended", 429, "UnattendedCallsLimitExceeded429Response", "provider_request_limit_exceeded", classes{}},
		{"500", 500, "InternalServerError500Response", "internal_server_error", classes{retry: true}},
		{"501", 501, "NotImplemented501Response", "endpoint_not_supported", classes{notSupported: true}},
		{"503 planned", 503, "ProviderPlannedDowntime503Response", "provider_error", classes{retry: true}},
		{"503 overload", 503, "ConnectorOverload503Response", "connector_overload", classes{retry: true}},
		{"503 unplanned", 503, "ProviderUnplannedDowntime503Response", "temporarily_unavailable", classes{retry: true}},
		{"504 connector", 504, "ConnectorTimeout504Response", "connector_timeout", classes{retry: true}},
		{"504 provider", 504, "ProviderTimeout504Response", "provider_timeout", classes{retry: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newTestClient(t, fixed(tt.status, example(t, tt.example), nil))
			_, err := c.Accounts(ctx, testAccessToken)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("want *Error, got %T %v", err, err)
			}
			if e.Status != tt.status || e.Code != tt.code || e.Description == "" || e.CorrelationID != "corr-123" || e.Op != "GET /data/v1/accounts" || e.Details != nil {
				t.Errorf("error %+v", e)
			}
			want := fmt.Sprintf("truelayer: GET /data/v1/accounts: %d %s: %s (correlation id corr-123)", tt.status, tt.code, e.Description)
			if err.Error() != want {
				t.Errorf("Error()\n got %s\nwant %s", err, want)
			}
			got := classes{IsRetryable(err), NeedsReconnect(err), IsUnauthorized(err), IsSCAExceeded(err), IsNotSupported(err)}
			if got != tt.want {
				t.Errorf("classes %+v, want %+v", got, tt.want)
			}
			if _, ok := RetryAfter(err); ok {
				t.Error("RetryAfter without header")
			}
			if IsRequestLimitExceeded(err) != (tt.code == "provider_request_limit_exceeded") {
				t.Error("IsRequestLimitExceeded")
			}
		})
	}
}

func TestForbiddenOnMeNeedsReconnect(t *testing.T) {
	c := newTestClient(t, fixed(403, []byte(`{"error":"invalid_credentials_key","error_description":"x"}`), nil))
	if _, err := c.Me(ctx, testAccessToken); !NeedsReconnect(err) {
		t.Errorf("403 on /me: %v", err)
	}
	if _, err := c.Accounts(ctx, testAccessToken); NeedsReconnect(err) {
		t.Errorf("403 invalid_credentials_key on /accounts should not ask for reconnect")
	}
	c = newTestClient(t, fixed(403, example(t, "AccessDenied403Response"), nil))
	if _, err := c.Me(ctx, testAccessToken); NeedsReconnect(err) || !IsSCAExceeded(err) {
		t.Errorf("sca_exceeded on /me: %v", err)
	}
}

func TestNotSupportedOn403(t *testing.T) {
	c := newTestClient(t, fixed(403, []byte(`{"error":"endpoint_not_supported"}`), nil))
	_, err := c.StandingOrders(ctx, testAccessToken, "a")
	if !IsNotSupported(err) || IsRetryable(err) {
		t.Errorf("endpoint_not_supported with 403: %v", err)
	}
}

func TestRetryAfter(t *testing.T) {
	date := time.Now().Add(90 * time.Second).UTC().Format(http.TimeFormat)
	for _, tt := range []struct {
		header   string
		min, max time.Duration
		ok       bool
	}{
		{"120", 120 * time.Second, 120 * time.Second, true},
		{date, 80 * time.Second, 90 * time.Second, true},
		{"Wed, 21 Oct 2015 07:28:00 GMT", 0, 0, true},
		{"soon", 0, 0, false},
		{"-5", 0, 0, false},
	} {
		c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", tt.header)
			reply(w, 429, example(t, "ProviderRateLimitExceeded429Response"))
		}))
		_, err := c.Accounts(ctx, testAccessToken)
		d, ok := RetryAfter(err)
		if ok != tt.ok || d < tt.min || d > tt.max {
			t.Errorf("Retry-After %q: %s %v", tt.header, d, ok)
		}
		var e *Error
		if errors.As(err, &e) && e.RetryAfter != d {
			t.Errorf("field %s != %s", e.RetryAfter, d)
		}
		if !IsRetryable(err) {
			t.Errorf("429 not retryable")
		}
	}
	if _, ok := RetryAfter(errors.New("x")); ok {
		t.Error("RetryAfter on a plain error")
	}
}

func TestProblemErrors(t *testing.T) {
	arrayBody := `{"type":"https://docs.truelayer.com/#connection-api-errors","title":"One or more validation errors occurred.","status":400,"trace_id":"tr-1","errors":[{"field":"ClientId","message":"required"}]}`
	tests := []struct {
		name, body  string
		status      int
		code, desc  string
		details     string
		reconnect   bool
		traceID     string
		unauthorize bool
	}{
		{"400 errors object", string(example(t, "validationErrorExample")), 400, "validation_error", "One or more validation errors occurred.",
			`{"ClientId":["The ClientId field is required."]}`, false, "3dc845a2-93a2-4e12-940a-0a8aec24d0bc", false},
		{"400 errors array", arrayBody, 400, "validation_error", "One or more validation errors occurred.",
			`[{"field":"ClientId","message":"required"}]`, false, "tr-1", false},
		{"401", string(example(t, "unauthorisedErrorExample")), 401, "unauthorized", "Refresh token missing or invalid.", "", true, "5b25a9ad-fdb5-42c7-90d7-dca27ceebc4d", false},
		{"422", string(example(t, "unprocessableEntityErrorExample")), 422, "unprocessable_entity", "This connection cannot be extended", "", true, "1c7efd51-51d5-4e00-bce5-15bce583701f", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/problem+json")
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
			}))
			_, err := c.Extend(ctx, ExtendRequest{UserHasReconfirmedConsent: true, RefreshToken: testRefreshToken})
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("want *Error, got %v", err)
			}
			if e.Status != tt.status || e.Code != tt.code || e.Description != tt.desc || string(e.Details) != tt.details ||
				e.TraceID != tt.traceID || e.ProblemType != "https://docs.truelayer.com/#connection-api-errors" || e.Title == "" {
				t.Errorf("error %+v details %s", e, e.Details)
			}
			if tt.status != 400 && e.Instance != "/connections/extend" {
				t.Errorf("instance %q", e.Instance)
			}
			if NeedsReconnect(err) != tt.reconnect || IsUnauthorized(err) != tt.unauthorize || IsRetryable(err) {
				t.Errorf("classes: reconnect %v unauthorized %v retry %v", NeedsReconnect(err), IsUnauthorized(err), IsRetryable(err))
			}
			if !strings.Contains(err.Error(), "(trace id "+tt.traceID+")") {
				t.Errorf("Error() %s", err)
			}
			assertNoSecrets(t, "extend error", err.Error())
		})
	}
}

func TestBadBodies(t *testing.T) {
	t.Run("truncated json", func(t *testing.T) {
		body := example(t, "GetAccountTransactions200Response")
		c := newTestClient(t, fixed(200, body[:len(body)/2], nil))
		_, err := c.Transactions(ctx, testAccessToken, Resource{ID: "acc1"}, from, to)
		assertMalformed(t, err, "GET /data/v1/accounts/acc1/transactions")
		if !strings.Contains(err.Error(), "decode account transactions") || !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("Error() %s", err)
		}
	})
	t.Run("connection cut mid-body", func(t *testing.T) {
		body := example(t, "GetAccounts200Response")
		c := newTestClient(t, truncatingHandler(string(body[:100])))
		_, err := c.Accounts(ctx, testAccessToken)
		assertMalformed(t, err, "GET /data/v1/accounts")
		var e *Error
		errors.As(err, &e)
		if e.CorrelationID != "corr-cut" || !strings.Contains(e.Description, "decode accounts") {
			t.Errorf("error %+v", e)
		}
	})
	t.Run("empty body", func(t *testing.T) {
		c := newTestClient(t, fixed(200, nil, nil))
		_, err := c.Cards(ctx, testAccessToken)
		assertMalformed(t, err, "GET /data/v1/cards")
	})
	t.Run("not json", func(t *testing.T) {
		c := newTestClient(t, fixed(200, []byte("<html><body>Service Unavailable</body></html>"), nil))
		_, err := c.Info(ctx, testAccessToken)
		assertMalformed(t, err, "GET /data/v1/info")
		if !strings.Contains(err.Error(), "decode info") {
			t.Errorf("Error() %s", err)
		}
	})
	t.Run("wrong shape", func(t *testing.T) {
		c := newTestClient(t, fixed(200, []byte(`{"results":[{"account_id":42}]}`), nil))
		_, err := c.Accounts(ctx, testAccessToken)
		var e *Error
		if !errors.As(err, &e) || e.Code != CodeUnexpectedResponse || IsRetryable(err) {
			t.Errorf("error %v", err)
		}
	})
	t.Run("results not an array", func(t *testing.T) {
		c := newTestClient(t, fixed(200, []byte(`{"results":{"accounts":[]}}`), nil))
		_, err := c.Accounts(ctx, testAccessToken)
		var e *Error
		if !errors.As(err, &e) || e.Code != CodeUnexpectedResponse {
			t.Errorf("error %v", err)
		}
	})
	t.Run("non-json error body", func(t *testing.T) {
		c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(502)
			_, _ = io.WriteString(w, "<html>Bad gateway "+testAccessToken+"</html>")
		}))
		_, err := c.Accounts(ctx, testAccessToken)
		var e *Error
		if !errors.As(err, &e) || e.Status != 502 || e.Code != "" || !IsRetryable(err) ||
			err.Error() != "truelayer: GET /data/v1/accounts: 502 Bad Gateway" {
			t.Errorf("error %v", err)
		}
		assertNoSecrets(t, "502 error", err.Error())
	})
}

func TestBodyTooLarge(t *testing.T) {
	br := &bodyReader{r: strings.NewReader(`{"results":[` + strings.Repeat(`{},`, 100) + `{}]}`), n: 64}
	var env envelope[Account]
	err := decodeEnvelope(br, &env)
	e := decodeFailure("GET /x", srcData, nil, br, "x", err)
	if e.Code != CodeResponseTooLarge || IsRetryable(e) {
		t.Errorf("error %+v", e)
	}
}

func TestTimeouts(t *testing.T) {
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Reading the body lets the server notice the client hanging up.
		_, _ = io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	t.Run("client timeout", func(t *testing.T) {
		c := newTestClient(t, slow, func(cfg *Config) { cfg.HTTPClient = &http.Client{Timeout: 30 * time.Millisecond} })
		_, err := c.Accounts(ctx, testAccessToken)
		if err == nil || !IsRetryable(err) || !strings.Contains(err.Error(), "GET /data/v1/accounts") {
			t.Errorf("error %v", err)
		}
		assertNoSecrets(t, "timeout", err.Error())
		_, err = c.Exchange(ctx, testCode, testVerifier)
		if err == nil || !IsRetryable(err) {
			t.Errorf("token timeout %v", err)
		}
		assertNoSecrets(t, "token timeout", err.Error())
	})
	t.Run("canceled", func(t *testing.T) {
		c := newTestClient(t, slow)
		cctx, cancel := context.WithCancel(ctx)
		time.AfterFunc(20*time.Millisecond, cancel)
		_, err := c.Accounts(cctx, testAccessToken)
		if !errors.Is(err, context.Canceled) || IsRetryable(err) {
			t.Errorf("error %v", err)
		}
	})
}

func TestIsRetryableTransport(t *testing.T) {
	for _, err := range []error{
		fmt.Errorf("x: %w", io.ErrUnexpectedEOF),
		fmt.Errorf("x: %w", syscall.ECONNRESET),
		fmt.Errorf("x: %w", context.DeadlineExceeded),
		fmt.Errorf("x: %w", &Error{Status: 408}),
	} {
		if !IsRetryable(err) {
			t.Errorf("IsRetryable(%v) = false", err)
		}
	}
	for _, err := range []error{nil, context.Canceled, errors.New("boom"), &Error{Status: 400}, &Error{Status: 501}} {
		if IsRetryable(err) {
			t.Errorf("IsRetryable(%v) = true", err)
		}
	}
}
