package truelayer

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"bankdesk/backend/internal/testclock"
)

// asyncServer answers the first call with 202 and a results_uri on the same
// server, then serves the polls in order.
func asyncServer(t *testing.T, rec *recorder, polls ...string) *Client {
	var n atomic.Int32
	var base string
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.add(r)
		if !strings.HasPrefix(r.URL.Path, "/data/v1/results/") {
			reply(w, http.StatusAccepted, []byte(`{"results_uri":"`+base+`/data/v1/results/task-1","status":"Queued","task_id":"task-1"}`))
			return
		}
		i := int(n.Add(1)) - 1
		if i >= len(polls) {
			i = len(polls) - 1
		}
		reply(w, 200, []byte(polls[i]))
	}))
	base = c.apiURL
	return c
}

// taskServer answers a poll of resultsPath with status and result, and
// every other call with 202 and accepted.
func taskServer(t *testing.T, rec *recorder, accepted []byte, resultsPath string, status int, result []byte) *Client {
	return newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.add(r)
		if r.URL.Path == resultsPath {
			reply(w, status, result)
			return
		}
		reply(w, http.StatusAccepted, accepted)
	}))
}

func TestAsyncSucceeded(t *testing.T) {
	var rec recorder
	done := strings.Replace(string(example(t, "GetAccounts200Response")), `{"results"`, `{"status":"Succeeded","results"`, 1)
	c := asyncServer(t, &rec, `{"status":"Queued","results":[]}`, `{"status":"Running"}`, done)
	accounts, err := c.Accounts(ctx, testAccessToken, WithAsync(), WithPSUIP("203.0.113.7"))
	if err != nil {
		t.Fatal(err)
	}
	if len(accounts) != 2 || accounts[1].ID != "f1234560abf9f57287637624def390872" {
		t.Errorf("accounts %+v", accounts)
	}
	reqs := rec.all()
	if len(reqs) != 4 {
		t.Fatalf("%d requests, want 1 + 3 polls", len(reqs))
	}
	if reqs[0].URL.RawQuery != "async=true" {
		t.Errorf("first request query %q", reqs[0].URL.RawQuery)
	}
	for _, r := range reqs[1:] {
		if r.URL.Path != "/data/v1/results/task-1" || r.Header.Get("Authorization") != "Bearer "+testAccessToken || r.Header.Get("X-PSU-IP") != "203.0.113.7" {
			t.Errorf("poll %s %v", r.URL, r.Header)
		}
	}
}

func TestAsyncTransactionsQuery(t *testing.T) {
	var rec recorder
	c := asyncServer(t, &rec, string(example(t, "GetAccountTransactions200Response")))
	tx, err := c.Transactions(ctx, testAccessToken, Resource{ID: "acc1"}, from, to, WithAsync())
	if err != nil || len(tx) != 2 {
		t.Fatalf("%v %v", tx, err)
	}
	if q := rec.all()[0].URL.RawQuery; q != "async=true&from=2024-01-02&to=2024-03-31" {
		t.Errorf("query %q", q)
	}
}

func TestAsyncSpecExample202(t *testing.T) {
	// The spec's 202 points at https://api.truelayer.com: the poll must stay
	// on the configured API host, where the token is meant to go.
	var rec recorder
	c := taskServer(t, &rec, example(t, "AsyncRequestQueued202Response"),
		"/data/v1/results/18a77ae5-a30b-4955-b840-301daddd180a", 200, example(t, "GetAccountBalance200Response"))
	bal, err := c.Balance(ctx, testAccessToken, Resource{ID: "acc1"}, WithAsync())
	if err != nil {
		t.Fatal(err)
	}
	decEq(t, "current", &bal.Current, "1161.2")
	if n := len(rec.all()); n != 2 {
		t.Errorf("%d requests", n)
	}
}

func TestResultsURL(t *testing.T) {
	c, _ := New(Config{AuthURL: "https://auth.example", APIURL: "https://proxy.example/tl"})
	for in, want := range map[string]string{
		"https://proxy.example/tl/data/v1/results/a":    "https://proxy.example/tl/data/v1/results/a",
		"https://api.truelayer.com/data/v1/results/b":   "https://proxy.example/tl/data/v1/results/b",
		"http://proxy.example/tl/data/v1/results/c?x=1": "https://proxy.example/tl/data/v1/results/c?x=1",
		"/tl/data/v1/results/d":                         "https://proxy.example/tl/data/v1/results/d",
	} {
		u, err := c.resultsURL(in)
		if err != nil || u.String() != want {
			t.Errorf("resultsURL(%q) = %v, %v; want %s", in, u, err, want)
		}
	}
	if _, err := c.resultsURL("http://[::1"); err == nil {
		t.Error("bad URL accepted")
	}
}

func TestAsyncRelativeResultsURI(t *testing.T) {
	c := taskServer(t, new(recorder), []byte(`{"results_uri":"/data/v1/results/t9","status":"Running","task_id":"t9"}`),
		"/data/v1/results/t9", 200, example(t, "GetCards200Response"))
	cards, err := c.Cards(ctx, testAccessToken, WithAsync())
	if err != nil || len(cards) != 2 {
		t.Fatalf("%v %v", cards, err)
	}
}

func TestAsyncFailed(t *testing.T) {
	t.Run("with code", func(t *testing.T) {
		c := asyncServer(t, new(recorder), `{"status":"Failed","task_id":"task-1","error":"provider_timeout","error_description":"The provider service timed out.","error_details":{}}`)
		_, err := c.Accounts(ctx, testAccessToken, WithAsync())
		var e *Error
		if !errors.As(err, &e) || e.Code != "provider_timeout" || e.Op != "GET /data/v1/results/task-1" || e.Details != nil {
			t.Fatalf("error %#v", err)
		}
		if !IsRetryable(err) {
			t.Error("provider_timeout should be retryable")
		}
	})
	t.Run("without code", func(t *testing.T) {
		c := asyncServer(t, new(recorder), `{"status":"Running"}`, `{"status":"Failed"}`)
		_, err := c.Accounts(ctx, testAccessToken, WithAsync())
		var e *Error
		if !errors.As(err, &e) || e.Code != CodeAsyncFailed || !strings.Contains(e.Description, "task-1") || IsRetryable(err) {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("poll answers an error status", func(t *testing.T) {
		c := taskServer(t, new(recorder), []byte(`{"results_uri":"/data/v1/results/x","status":"Queued","task_id":"x"}`),
			"/data/v1/results/x", 404, example(t, "AccountNotFound404Response"))
		_, err := c.Accounts(ctx, testAccessToken, WithAsync())
		var e *Error
		if !errors.As(err, &e) || e.Status != 404 || e.Code != "account_not_found" {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("unknown status", func(t *testing.T) {
		c := asyncServer(t, new(recorder), `{"status":"Exploded"}`)
		if _, err := c.Accounts(ctx, testAccessToken, WithAsync()); err == nil || !strings.Contains(err.Error(), "Exploded") {
			t.Fatalf("error %v", err)
		}
	})
}

func TestAsyncTimeout(t *testing.T) {
	// The deadline is kept on the injected clock, and the last poll is at
	// it: the waits add up to PollTimeout exactly, then the task times out.
	start := time.Date(2026, 3, 11, 14, 30, 0, 0, time.UTC)
	clock := testclock.New(start)
	var rec recorder
	c := asyncServer(t, &rec, `{"status":"Running"}`)
	c.pollInterval, c.pollTimeout = 500*time.Millisecond, 2*time.Minute
	c.now, c.sleep = clock.Now, clock.Sleep
	_, err := c.Accounts(ctx, testAccessToken, WithAsync())
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeAsyncTimeout || !IsRetryable(err) {
		t.Fatalf("error %v", err)
	}
	if waited := clock.Now().Sub(start); waited != c.pollTimeout {
		t.Errorf("waited %s on the clock, want the poll timeout %s", waited, c.pollTimeout)
	}
	// 2 minutes of waits, none above 5s: at least 24 polls after the first call.
	if n := len(rec.all()); n < 1+24 {
		t.Errorf("%d requests: the waits did not stay below 5s", n)
	}
}

func TestAsyncCanceled(t *testing.T) {
	c := asyncServer(t, new(recorder), `{"status":"Running"}`)
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	c.sleep = func(ctx context.Context, d time.Duration) error {
		cancel() // the caller gives up while the client waits
		return ctx.Err()
	}
	_, err := c.Accounts(cctx, testAccessToken, WithAsync())
	if !errors.Is(err, context.Canceled) || IsRetryable(err) {
		t.Fatalf("error %v", err)
	}
}
