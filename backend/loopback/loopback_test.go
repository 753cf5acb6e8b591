package loopback

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"bankdesk/backend/callback"
	"bankdesk/backend/internal/testhost"
)

func TestIsLoopback(t *testing.T) {
	for uri, want := range map[string]bool{
		"http://127.0.0.1:8765/callback": true,
		"http://localhost:8765/callback": true,
		"http://[::1]:8765/callback":     true,
		"http://127.0.0.1/callback":      false, // a port must be registered
		"https://127.0.0.1:8765/cb":      false,
		"http://example.com:8765/cb":     false,
		"bankdesk://callback":            false,
	} {
		if got := IsLoopback(uri); got != want {
			t.Errorf("IsLoopback(%q) = %v", uri, got)
		}
	}
}

// listenOn listens for the redirects to /callback on 127.0.0.1:port and
// answers them with h; the server closes when the test ends.
func listenOn(t *testing.T, port int, h Handler) (*Server, string) {
	t.Helper()
	redirect := fmt.Sprintf("http://127.0.0.1:%d/callback", port)
	s, err := Listen(redirect, h)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, redirect
}

func TestReceivesQueryAndFormPost(t *testing.T) {
	got := make(chan callback.Result, 2)
	_, redirect := listenOn(t, testhost.FreePort(t), func(_ context.Context, cb callback.Result) (string, error) {
		got <- cb
		if cb.Cancelled() {
			return "", errors.New("you cancelled")
		}
		return "2 accounts connected.", nil
	})

	resp, err := http.Get(redirect + "?code=c1&state=s1")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if cb := <-got; cb.Code != "c1" || cb.State != "s1" {
		t.Fatalf("got %+v", cb)
	}
	if !strings.Contains(string(body), "2 accounts connected.") || !strings.Contains(string(body), "close this tab") {
		t.Fatalf("page: %s", body)
	}

	resp, err = http.PostForm(redirect, url.Values{"error": {"access_denied"}, "state": {"s2"}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if cb := <-got; !cb.Cancelled() || cb.State != "s2" {
		t.Fatalf("form_post got %+v", cb)
	}
	if !strings.Contains(string(body), "you cancelled") || !strings.Contains(string(body), "Not connected") {
		t.Fatalf("page: %s", body)
	}
}

func TestRejectsOtherPathsAndJunk(t *testing.T) {
	calls := 0
	s, redirect := listenOn(t, testhost.FreePort(t), func(context.Context, callback.Result) (string, error) { calls++; return "", nil })
	for path, want := range map[string]int{
		"/other?code=c&state=s": 404,
		"/callback?code=c":      400,
		// Extras such as TrueLayer's scope are ignored (callback.Parse), so
		// junk here is a repeated state and a control character.
		"/callback?code=c&state=s&state=<>": 400,
		"/callback?code=c&state=s&x=%1B<>":  400,
	} {
		resp, err := http.Get("http://" + s.Addr() + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("%s: %d, want %d", path, resp.StatusCode, want)
		}
		if strings.Contains(string(body), "<>") {
			t.Errorf("%s: input echoed into the page", path)
		}
	}
	if calls != 0 {
		t.Fatalf("handler called %d times for junk", calls)
	}
	if _, err := Listen(redirect, nil); err == nil {
		t.Fatal("a second listener on the same port must fail clearly")
	}
}

// get sends a GET to the listener with the given Host header.
func get(t *testing.T, s *Server, host, path string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, "http://"+s.Addr()+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = host
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// A request whose Host names another site (DNS rebinding: attacker.example
// resolving to 127.0.0.1) is refused before the handler sees it; the
// loopback names of the port are accepted.
func TestAcceptsOnlyTheLoopbackHost(t *testing.T) {
	port := testhost.FreePort(t)
	calls := 0
	s, _ := listenOn(t, port, func(context.Context, callback.Result) (string, error) { calls++; return "ok", nil })
	for _, host := range []string{"attacker.example", fmt.Sprintf("attacker.example:%d", port), "127.0.0.1", fmt.Sprintf("127.0.0.1:%d", port+1), fmt.Sprintf("127.0.0.2:%d", port)} {
		if code, _ := get(t, s, host, "/callback?code=c&state=s"); code != http.StatusMisdirectedRequest {
			t.Errorf("Host %s: %d, want 421", host, code)
		}
	}
	if calls != 0 {
		t.Fatalf("handler called %d times for foreign hosts", calls)
	}
	for _, host := range []string{fmt.Sprintf("127.0.0.1:%d", port), fmt.Sprintf("localhost:%d", port), fmt.Sprintf("LocalHost:%d", port)} {
		if code, _ := get(t, s, host, "/callback?code=c&state=s"); code != http.StatusOK {
			t.Errorf("Host %s: %d, want 200", host, code)
		}
	}
	if calls != 3 {
		t.Fatalf("handler called %d times for the loopback hosts, want 3", calls)
	}
}

// A callback the handler does not recognise (ErrIgnored) is answered 400
// and the listener keeps serving: the real callback still gets through.
func TestIgnoredCallbacksKeepTheListenerWaiting(t *testing.T) {
	s, _ := listenOn(t, testhost.FreePort(t), func(_ context.Context, cb callback.Result) (string, error) {
		if cb.State != "ours" {
			return "", fmt.Errorf("state %s: %w", cb.State, ErrIgnored)
		}
		return "1 account(s) connected.", nil
	})
	host := s.Addr()
	code, body := get(t, s, host, "/callback?code=c&state=forged")
	if code != http.StatusBadRequest || strings.Contains(body, "forged") || !strings.Contains(body, "no login Bankdesk is waiting for") {
		t.Fatalf("forged state: %d %s", code, body)
	}
	if code, body = get(t, s, host, "/callback?code=c&state=ours"); code != http.StatusOK || !strings.Contains(body, "1 account(s) connected.") {
		t.Fatalf("real callback after a forged one: %d %s", code, body)
	}
}

// Headers and body are bounded, and so is the time a sender may take.
func TestLimitsRequestSize(t *testing.T) {
	calls := 0
	s, redirect := listenOn(t, testhost.FreePort(t), func(context.Context, callback.Result) (string, error) { calls++; return "ok", nil })

	req, _ := http.NewRequest(http.MethodGet, redirect+"?code=c&state=s", nil)
	req.Header.Set("Cookie", "big="+strings.Repeat("x", 2*MaxHeaderBytes))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("%d KiB of headers: %d, want 431", 2*MaxHeaderBytes>>10, resp.StatusCode)
	}

	resp, err = http.PostForm(redirect, url.Values{"code": {"c"}, "state": {"s"}, "pad": {strings.Repeat("x", MaxBodyBytes)}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("body over %d bytes: %d, want 400", MaxBodyBytes, resp.StatusCode)
	}
	if calls != 0 {
		t.Fatalf("handler called %d times for oversized requests", calls)
	}
	if s.srv.ReadTimeout <= 0 || s.srv.ReadHeaderTimeout <= 0 || s.srv.MaxHeaderBytes != MaxHeaderBytes {
		t.Fatalf("server limits: read %v, header %v, %d header bytes", s.srv.ReadTimeout, s.srv.ReadHeaderTimeout, s.srv.MaxHeaderBytes)
	}
}

// Every page the browser lands on says what happened and ends with the
// same advice, success or not, and loads nothing from anywhere (its CSP
// allows nothing but its inline style, and it needs nothing else).
func TestPageSaysWhatHappenedAndToReturnToBankdesk(t *testing.T) {
	s, _ := listenOn(t, testhost.FreePort(t), func(_ context.Context, cb callback.Result) (string, error) {
		switch cb.State {
		case "ok":
			return "2 account(s) and 1 card(s) connected.", nil
		case "old":
			return "", fmt.Errorf("state old: %w", ErrIgnored)
		}
		return "", errors.New("The bank login took too long & expired. Please connect again.")
	})
	for _, tc := range []struct {
		path, title, message string
		status               int
	}{
		{"/callback?code=c&state=ok", "Connected", "2 account(s) and 1 card(s) connected.", 200},
		{"/callback?code=c&state=late", "Not connected", "The bank login took too long &amp; expired. Please connect again.", 200},
		{"/callback?code=c&state=old", "Not connected", "This answer belongs to no login Bankdesk is waiting for", 400},
		{"/callback?code=c", "Not connected", "This is not a bank answer Bankdesk understands.", 400},
	} {
		code, body := get(t, s, s.Addr(), tc.path)
		if code != tc.status {
			t.Errorf("%s: %d, want %d", tc.path, code, tc.status)
		}
		for _, want := range []string{"<h1>" + tc.title + "</h1>", tc.message, `<p class="advice">` + Advice + "</p>", "<style>"} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: page lacks %q:\n%s", tc.path, want, body)
			}
		}
		if n := strings.Count(body, Advice); n != 1 {
			t.Errorf("%s: the advice appears %d times", tc.path, n)
		}
		for _, external := range []string{"src=", "href=", "<script", "url(", "@import", "<link"} {
			if strings.Contains(body, external) {
				t.Errorf("%s: page is not self-contained (%s):\n%s", tc.path, external, body)
			}
		}
	}
}
