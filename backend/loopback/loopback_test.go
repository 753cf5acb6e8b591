package loopback

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"bankdesk/backend/callback"
)

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

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

func TestReceivesQueryAndFormPost(t *testing.T) {
	redirect := fmt.Sprintf("http://127.0.0.1:%d/callback", freePort(t))
	got := make(chan callback.Result, 2)
	s, err := Listen(redirect, func(_ context.Context, cb callback.Result) (string, error) {
		got <- cb
		if cb.Cancelled() {
			return "", errors.New("you cancelled")
		}
		return "2 accounts connected.", nil
	})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

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
	redirect := fmt.Sprintf("http://127.0.0.1:%d/callback", freePort(t))
	calls := 0
	s, err := Listen(redirect, func(context.Context, callback.Result) (string, error) { calls++; return "", nil })
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
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
