package desk

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"bankdesk/backend/internal/testenv"
	"bankdesk/backend/internal/testhost"
	"bankdesk/backend/sandbox"
)

// The window's loopback listener: a forged callback (an unknown state, as
// a web page's <img> would send) is refused and not reported, so the
// window keeps waiting; the bank's real answer then completes the login.
func TestServeCallbacksIgnoresUnknownStates(t *testing.T) {
	sb := testenv.Sandbox(t, nil)
	redirect := testhost.RedirectURI(t)
	sink := newRecordSink()
	d := openDesk(t, Options{Config: sandboxConfig(t, sb, map[string]string{"BANKDESK_REDIRECT_URI": redirect}), Sink: sink})
	done := sink.logins
	l, err := d.ServeCallbacks()
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ctx := context.Background()
	link, err := d.Flow().Begin(ctx, "mock")
	if err != nil {
		t.Fatal(err)
	}

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
	if err := <-done; err != nil || !strings.Contains(string(page), "2 account(s) and 1 card(s) connected.") {
		t.Fatalf("real callback: %v, page %s", err, page)
	}
}
