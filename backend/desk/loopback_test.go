package desk

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"bankdesk/backend/connect"
	"bankdesk/backend/internal/testenv"
	"bankdesk/backend/internal/testhost"
	"bankdesk/backend/loopback"
	"bankdesk/backend/sandbox"
)

// loopbackLogin opens a desk that receives the bank's redirects on a loopback
// port (until the test ends), and a login it began at the Mock bank.
func loopbackLogin(t *testing.T) (*recordSink, string, connect.Link) {
	t.Helper()
	sb := testenv.Sandbox(t, nil)
	redirect := testhost.RedirectURI(t)
	sink := newRecordSink()
	d := openDesk(t, Options{Config: sandboxConfig(t, sb, map[string]string{"BANKDESK_REDIRECT_URI": redirect}), Sink: sink})
	l, err := d.ServeCallbacks()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	link, err := d.Flow().Begin(context.Background(), "mock")
	if err != nil {
		t.Fatal(err)
	}
	return sink, redirect, link
}

// The window's loopback listener: a forged callback (an unknown state, as
// a web page's <img> would send) is refused and not reported, so the
// window keeps waiting; the bank's real answer then completes the login.
func TestServeCallbacksIgnoresUnknownStates(t *testing.T) {
	sink, redirect, link := loopbackLogin(t)
	done := sink.logins
	ctx := context.Background()

	resp, err := http.Get(redirect + "?code=forged&state=" + strings.Repeat("A", 43))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("forged callback: %d, want 400", resp.StatusCode)
	}
	select {
	case err := <-done:
		t.Fatalf("a forged callback was reported to the window: %v", err)
	default:
	}

	cb, err := sandbox.Login(ctx, nil, link.URL, "john", "doe")
	if err != nil {
		t.Fatal(err)
	}
	cu, _ := url.Parse(cb)
	resp, err = http.PostForm(redirect, cu.Query())
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err := <-done; err != nil || !strings.Contains(string(page), "2 accounts and 1 card connected.") {
		t.Fatalf("real callback: %v, page %s", err, page)
	}
}

// A loopback login that fails tells the browser tab why in a sentence
// (not the error chain: the exchange's HTTP detail stays in the log), and
// that the tab can be closed.
func TestLoopbackPageWordsAFailureForAPerson(t *testing.T) {
	sink, redirect, link := loopbackLogin(t)
	cb, err := sandbox.Login(context.Background(), nil, link.URL, "john", "doe")
	if err != nil {
		t.Fatal(err)
	}
	q, _ := url.Parse(cb)
	v := q.Query()
	v.Set("code", "not-"+v.Get("code")) // the bank refuses to exchange it: invalid_grant
	resp, err := http.PostForm(redirect, v)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err := <-sink.logins; err == nil {
		t.Fatal("the window was told the login worked")
	}
	body := string(page)
	for _, want := range []string{"Not connected", "The bank login took too long and expired", loopback.Advice} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q:\n%s", want, body)
		}
	}
	for _, chain := range []string{"invalid_grant", "exchange", "truelayer", "POST", "400"} {
		if strings.Contains(body, chain) {
			t.Errorf("page shows the error chain (%s):\n%s", chain, body)
		}
	}
}

func TestPageErrorIsASentence(t *testing.T) {
	// The page words failures as the window does (package problem).
	for err, want := range map[error]string{
		fmt.Errorf("%w (truelayer: invalid_grant)", connect.ErrCodeExpired): "The bank login took too long and expired. Please connect again.",
		connect.ErrCancelled: "You cancelled at the bank. Nothing was connected.",
		&connect.BankError{Code: "provider_error", Description: "Mock is down"}:                    "Your bank could not complete the login, so nothing was connected. Please connect again.",
		errors.New("exchange code: Post \"http://127.0.0.1:1/connect/token\": connection refused"): "Something went wrong. Please try again.",
	} {
		if got := PageError(err); got != want {
			t.Errorf("PageError(%v) = %q, want %q", err, got, want)
		}
	}
}
