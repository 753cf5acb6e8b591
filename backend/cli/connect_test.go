package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"bankdesk/backend/sandbox"
)

// cliEnv points the command line at an in-test sandbox with a private data
// dir and the file vault, as a script would with `bankdesk sandbox`.
func cliEnv(t *testing.T) (map[string]string, *sandbox.Server) {
	t.Helper()
	sb, err := sandbox.Start(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	return map[string]string{
		"BANKDESK_AUTH_URL": sb.AuthURL(), "BANKDESK_API_URL": sb.APIURL(),
		"BANKDESK_CLIENT_ID": sandbox.ClientID, "BANKDESK_CLIENT_SECRET": sandbox.ClientSecret,
		"BANKDESK_DATA_DIR": t.TempDir(), "BANKDESK_KEYRING": "file", "BANKDESK_PASSPHRASE": "cli test passphrase",
	}, sb
}

func TestConnectCallbackAccountsDisconnect(t *testing.T) {
	env, _ := cliEnv(t)
	opened := ""
	orig := openURL
	openURL = func(u string) error { opened = u; return nil }
	defer func() { openURL = orig }()

	out, errOut, code := run(t, env, "connect", "--provider", "mock")
	if code != 0 {
		t.Fatalf("connect: %d %s", code, errOut)
	}
	link := strings.TrimSpace(out)
	if strings.Count(out, "\n") != 1 || !strings.HasPrefix(link, env["BANKDESK_AUTH_URL"]+"/?") {
		t.Fatalf("connect must print the link alone: %q", out)
	}
	if opened != link {
		t.Fatalf("browser opened %q", opened)
	}
	cb, err := sandbox.Login(context.Background(), nil, link, "john", "doe")
	if err != nil {
		t.Fatal(err)
	}
	out, errOut, code = run(t, env, "callback", cb)
	if code != 0 {
		t.Fatalf("callback: %d %s", code, errOut)
	}
	connID := strings.TrimSpace(out)
	if len(connID) < 16 || strings.ContainsAny(connID, " \n") {
		t.Fatalf("callback printed %q", out)
	}

	_, errOut, code = run(t, env, "callback", cb)
	if code != 1 || strings.Count(strings.TrimSpace(errOut), "\n") != 0 || !strings.Contains(errOut, "already used") {
		t.Fatalf("replayed callback: code %d, stderr %q", code, errOut)
	}

	out, errOut, code = run(t, env, "accounts", "--json")
	if code != 0 {
		t.Fatalf("accounts: %d %s", code, errOut)
	}
	var accts []map[string]any
	if err := json.Unmarshal([]byte(out), &accts); err != nil {
		t.Fatalf("accounts --json: %v\n%s", err, out)
	}
	kinds := map[string]int{}
	for _, a := range accts {
		for _, k := range []string{"id", "connection_id", "provider_id", "kind", "display_name", "currency", "current", "available"} {
			if _, ok := a[k]; !ok {
				t.Errorf("account lacks %q: %v", k, a)
			}
		}
		if a["connection_id"] != connID {
			t.Errorf("connection_id %v, want %s", a["connection_id"], connID)
		}
		if cur, ok := a["current"].(string); !ok || !strings.Contains(cur, ".") && cur != "0" {
			t.Errorf("current must be a decimal string, got %#v", a["current"])
		}
		kinds[a["kind"].(string)]++
	}
	if kinds["account"] != 2 || kinds["card"] != 1 {
		t.Fatalf("kinds = %v", kinds)
	}

	if _, errOut, code = run(t, env, "disconnect", "--connection", connID); code != 0 {
		t.Fatalf("disconnect: %d %s", code, errOut)
	}
	out, _, _ = run(t, env, "accounts", "--json")
	if strings.TrimSpace(out) != "[]" {
		t.Fatalf("accounts after disconnect without --keep-data: %s", out)
	}
}

func TestCallbackRejectsBadInputWithOneLine(t *testing.T) {
	env, _ := cliEnv(t)
	for _, arg := range []string{"bankdesk://callback?code=x", "bankdesk://callback?code=x&state=unknown", "https://evil.example/callback?code=x&state=y"} {
		out, errOut, code := run(t, env, "callback", arg)
		if code == 0 || out != "" || strings.Count(strings.TrimSpace(errOut), "\n") != 0 || errOut == "" {
			t.Errorf("%s: code %d stdout %q stderr %q", arg, code, out, errOut)
		}
	}
	if _, _, code := run(t, env, "callback"); code != 2 {
		t.Errorf("callback without URL: exit %d, want 2", code)
	}
}

func TestDataCommandsRefuseTheInProcessSandbox(t *testing.T) {
	_, errOut, code := run(t, map[string]string{"BANKDESK_DATA_DIR": t.TempDir()}, "connect", "--no-browser")
	if code != 1 || !strings.Contains(errOut, "bankdesk sandbox") {
		t.Fatalf("code %d: %s", code, errOut)
	}
}

// Loopback mode: `connect` receives the bank's form_post on 127.0.0.1 itself
// and finishes the connection, for systems without the bankdesk:// scheme.
func TestConnectLoopbackMode(t *testing.T) {
	env, _ := cliEnv(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	redirect := fmt.Sprintf("http://%s/callback", ln.Addr())
	ln.Close()
	env["BANKDESK_REDIRECT_URI"] = redirect

	pr, pw := io.Pipe()
	var errOut bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- Main(context.Background(), IO{Stdout: pipeWriter{pw}, Stderr: &errOut, Getenv: func(k string) string { return env[k] }},
			[]string{"connect", "--no-browser", "--provider", "mock"})
		pw.Close()
	}()
	link, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("no link: %v (%s)", err, errOut.String())
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	u, _ := url.Parse(strings.TrimSpace(link))
	if u.Query().Get("redirect_uri") != redirect || u.Query().Get("response_mode") != "form_post" {
		t.Fatalf("loopback link %s", link)
	}
	// The sandbox answers form_post with an auto-submitting form; Login hands
	// back its fields, which the browser would POST to the redirect.
	cb, err := sandbox.Login(context.Background(), nil, strings.TrimSpace(link), "john", "doe")
	if err != nil {
		t.Fatal(err)
	}
	cu, _ := url.Parse(cb)
	resp, err := http.PostForm(redirect, cu.Query())
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(page), "connected") {
		t.Fatalf("browser page: %s", page)
	}
	select {
	case code := <-done:
		if code != 0 || !strings.Contains(errOut.String(), "Connected: ") {
			t.Fatalf("connect exit %d: %s", code, errOut.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("connect did not finish after the callback")
	}
	out, _, _ := run(t, env, "accounts", "--json")
	if !strings.Contains(out, `"kind": "card"`) {
		t.Fatalf("accounts after loopback connect: %s", out)
	}
}

func TestChangePassphrase(t *testing.T) {
	env, _ := cliEnv(t)
	if _, errOut, code := run(t, env, "accounts", "--json"); code != 0 { // creates the vault
		t.Fatalf("accounts: %s", errOut)
	}
	env["BANKDESK_NEW_PASSPHRASE"] = "a brand new passphrase"
	if _, errOut, code := run(t, env, "change-passphrase"); code != 0 {
		t.Fatalf("change-passphrase: %d %s", code, errOut)
	}
	_, errOut, code := run(t, env, "accounts", "--json")
	if code != 1 || !strings.Contains(errOut, "wrong passphrase") {
		t.Fatalf("old passphrase after change: %d %s", code, errOut)
	}
	env["BANKDESK_PASSPHRASE"] = env["BANKDESK_NEW_PASSPHRASE"]
	if _, errOut, code := run(t, env, "accounts", "--json"); code != 0 {
		t.Fatalf("new passphrase: %d %s", code, errOut)
	}
}

// `bankdesk callback -` reads the URL from stdin, so the code stays out of
// the argument list any local user can read (ps); one line, size-limited.
func TestCallbackReadsTheURLFromStdin(t *testing.T) {
	env, _ := cliEnv(t)
	out, _, _ := run(t, env, "connect", "--no-browser", "--provider", "mock")
	cb, err := sandbox.Login(context.Background(), nil, strings.TrimSpace(out), "john", "doe")
	if err != nil {
		t.Fatal(err)
	}
	withStdin := func(stdin string, args ...string) (string, string, int) {
		var o, e bytes.Buffer
		code := Main(context.Background(), IO{Stdin: strings.NewReader(stdin), Stdout: &o, Stderr: &e, Getenv: func(k string) string { return env[k] }}, args)
		return o.String(), e.String(), code
	}
	for name, stdin := range map[string]string{
		"nothing":     "",
		"blank line":  "\n",
		"a long line": "bankdesk://callback?code=" + strings.Repeat("x", 9000) + "\n",
	} {
		if _, errOut, code := withStdin(stdin, "callback", "-", "--no-sync"); code != 2 {
			t.Errorf("%s on stdin: exit %d, %s", name, code, errOut)
		}
	}
	out, errOut, code := withStdin(cb+"\r\nignored second line\n", "callback", "--no-sync", "-")
	if code != 0 || len(strings.TrimSpace(out)) != 32 {
		t.Fatalf("callback -: %d %q %s", code, out, errOut)
	}
}
