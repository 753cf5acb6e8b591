package cli

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"bankdesk/backend/internal/testhost"
)

// loopbackConnect starts `bankdesk connect` in loopback mode and returns
// the link it printed, the redirect URI, its stderr and its exit code to come.
func loopbackConnect(t *testing.T, env map[string]string) (link, redirect string, stderr *lockedBuffer, done <-chan int) {
	t.Helper()
	redirect = testhost.RedirectURI(t)
	env["BANKDESK_REDIRECT_URI"] = redirect
	link, stderr, done = startConnect(t, env)
	return link, redirect, stderr, done
}

// startConnect starts `bankdesk connect` in its own goroutine and returns
// the link it printed, its stderr and its exit code to come.
func startConnect(t *testing.T, env map[string]string) (link string, stderr *lockedBuffer, done <-chan int) {
	t.Helper()
	pr, pw := io.Pipe()
	stderr = &lockedBuffer{}
	exit := make(chan int, 1)
	go func() {
		exit <- Main(context.Background(), envIO(env, pipeWriter{pw}, stderr), []string{"connect", "--no-browser", "--provider", "mock"})
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("no link: %v (%s)", err, stderr)
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	return strings.TrimSpace(line), stderr, exit
}

// finishLoopback logs in at link and posts the bank's answer to redirect,
// as the browser does; it returns the page. (The sandbox answers form_post
// with an auto-submitting form; Login hands back its fields.)
func finishLoopback(t *testing.T, link, redirect string) string {
	t.Helper()
	return finishLoopbackAs(t, link, redirect, "john", "doe")
}

// finishLoopbackAs is finishLoopback as another mock user.
func finishLoopbackAs(t *testing.T, link, redirect, user, pass string) string {
	t.Helper()
	cu, _ := url.Parse(bankLogin(t, link, user, pass))
	resp, err := http.PostForm(redirect, cu.Query())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	return string(page)
}

func waitExit(t *testing.T, done <-chan int, stderr *lockedBuffer) int {
	t.Helper()
	select {
	case code := <-done:
		return code
	case <-time.After(60 * time.Second):
		t.Fatalf("connect did not finish: %s", stderr)
	}
	return -1
}

// Loopback mode: `connect` receives the bank's form_post on 127.0.0.1 itself
// and finishes the connection, for systems without the bankdesk:// scheme.
func TestConnectLoopbackMode(t *testing.T) {
	env, _ := cliEnv(t)
	link, redirect, stderr, done := loopbackConnect(t, env)
	u, _ := url.Parse(link)
	if u.Query().Get("redirect_uri") != redirect || u.Query().Get("response_mode") != "form_post" {
		t.Fatalf("loopback link %s", link)
	}
	if page := finishLoopback(t, link, redirect); !strings.Contains(page, "connected") {
		t.Fatalf("browser page: %s", page)
	}
	if code := waitExit(t, done, stderr); code != 0 || !strings.Contains(stderr.String(), "Connected: ") {
		t.Fatalf("connect exit %d: %s", code, stderr)
	}
	if out, _, _ := run(t, env, "accounts", "--json"); !strings.Contains(out, `"kind": "card"`) {
		t.Fatalf("accounts after loopback connect: %s", out)
	}
}

// A web page can make the browser send anything to the loopback port.
// None of it ends the login `connect` waits for: not a request for
// another Host (the review's reproduction), not an unknown state, not an
// error that names no login, not oversized junk. The bank's real answer
// still completes it.
func TestForgedLoopbackRequestsDoNotEndTheLogin(t *testing.T) {
	env, _ := cliEnv(t)
	link, redirect, stderr, done := loopbackConnect(t, env)
	u, _ := url.Parse(redirect)
	forged := strings.Repeat("A", 43)

	send := func(what, method, host, query string, header http.Header) int {
		t.Helper()
		var req *http.Request
		if method == http.MethodPost {
			req, _ = http.NewRequest(method, redirect, strings.NewReader(query))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		} else {
			req, _ = http.NewRequest(method, redirect+"?"+query, nil)
		}
		for k, v := range header {
			req.Header[k] = v
		}
		if host != "" {
			req.Host = host
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		resp.Body.Close()
		select {
		case code := <-done:
			t.Fatalf("%s ended the login: exit %d, %s", what, code, stderr)
		default:
		}
		return resp.StatusCode
	}
	if code := send("a foreign Host", http.MethodGet, "attacker.example", "code=x&state="+forged, nil); code != http.StatusMisdirectedRequest {
		t.Errorf("foreign Host: %d", code)
	}
	if code := send("an unknown state", http.MethodGet, "", "code=x&state="+forged, nil); code != http.StatusBadRequest {
		t.Errorf("unknown state: %d", code)
	}
	if code := send("an unknown state, posted", http.MethodPost, "localhost:"+u.Port(), "error=access_denied&state="+forged, nil); code != http.StatusBadRequest {
		t.Errorf("posted unknown state: %d", code)
	}
	send("an error without state", http.MethodGet, "", "error=access_denied&error_description=forged", nil)
	if code := send("huge headers", http.MethodGet, "", "code=x&state="+forged, http.Header{"Cookie": {strings.Repeat("c", 200<<10)}}); code != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("huge headers: %d", code)
	}
	// The stateless error is told, and the command says it keeps waiting
	// (it cannot know who sent it).
	for !strings.Contains(stderr.String(), "keeps waiting") {
		select {
		case code := <-done:
			t.Fatalf("exit %d: %s", code, stderr)
		case <-time.After(10 * time.Millisecond):
		}
	}

	page := finishLoopback(t, link, redirect)
	if !strings.Contains(page, "connected") {
		t.Fatalf("browser page: %s", page)
	}
	if code := waitExit(t, done, stderr); code != 0 || !strings.Contains(stderr.String(), "Connected: ") {
		t.Fatalf("connect exit %d: %s", code, stderr)
	}
}

// While `connect` waits for the bank in loopback mode, the data file is
// free: other commands run. The login still completes afterwards.
func TestLoopbackWaitLeavesTheDataFileFree(t *testing.T) {
	env, _ := cliEnv(t)
	link, redirect, stderr, done := loopbackConnect(t, env)

	out, errOut, code := run(t, env, "accounts", "--json")
	if code != 0 || strings.TrimSpace(out) != "[]" {
		t.Fatalf("accounts while connect waits: %d %q %s", code, out, errOut)
	}

	finishLoopback(t, link, redirect)
	if code := waitExit(t, done, stderr); code != 0 {
		t.Fatalf("connect exit %d: %s", code, stderr)
	}
	if out, _, _ := run(t, env, "accounts", "--json"); !strings.Contains(out, `"kind": "card"`) {
		t.Fatalf("accounts after the login: %s", out)
	}
}
