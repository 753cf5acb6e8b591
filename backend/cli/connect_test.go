package cli

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"bankdesk/backend/loopback"
)

func TestConnectCallbackAccountsDisconnect(t *testing.T) {
	env, _ := cliEnv(t)
	opened := stubBrowser(t)

	out, errOut, code := run(t, env, "connect", "--provider", "mock")
	if code != 0 {
		t.Fatalf("connect: %d %s", code, errOut)
	}
	link := strings.TrimSpace(out)
	if strings.Count(out, "\n") != 1 || !strings.HasPrefix(link, env["BANKDESK_AUTH_URL"]+"/?") {
		t.Fatalf("connect must print the link alone: %q", out)
	}
	if *opened != link {
		t.Fatalf("browser opened %q", *opened)
	}
	cb := bankLogin(t, link, "john", "doe")
	out, errOut, code = run(t, env, "callback", cb)
	if code != 0 {
		t.Fatalf("callback: %d %s", code, errOut)
	}
	connID := strings.TrimSpace(out)
	if len(connID) < 16 || strings.ContainsAny(connID, " \n") {
		t.Fatalf("callback printed %q", out)
	}

	_, errOut, code = run(t, env, "callback", cb)
	if code != 1 || !toldOnce(errOut, "bankdesk callback: ") || !strings.Contains(lines(errOut)[0], "already used") {
		t.Fatalf("replayed callback: code %d, stderr %q", code, errOut)
	}

	kinds := map[string]int{}
	for _, a := range accountsJSON(t, env) {
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

func TestCallbackRejectsBadInputWithOneSentence(t *testing.T) {
	env, _ := cliEnv(t)
	for _, arg := range []string{"bankdesk://callback?code=x", "bankdesk://callback?code=x&state=unknown", "https://evil.example/callback?code=x&state=y"} {
		out, errOut, code := run(t, env, "callback", arg)
		if code == 0 || out != "" || !toldOnce(errOut, "bankdesk callback: ") {
			t.Errorf("%s: code %d stdout %q stderr %q", arg, code, out, errOut)
		}
	}
	if _, errOut, code := run(t, env, "callback"); code != 2 || !strings.HasSuffix(errOut, "bankdesk callback: want exactly one argument: the bankdesk://callback?... URL, or - to read it from stdin\n") {
		t.Errorf("callback without URL: exit %d, %q", code, errOut)
	}
	// A flag it does not know is named as such, not as a missing URL.
	if _, errOut, code := run(t, env, "callback", "--nope", "bankdesk://callback?code=x"); code != 2 || !strings.HasSuffix(errOut, "bankdesk callback: flag provided but not defined: -nope\n") {
		t.Errorf("callback --nope URL: exit %d, %q", code, errOut)
	}
}

// The built-in environment needs no second terminal: `connect` serves the
// in-process sandbox until the bank's redirect comes back to it (on a
// loopback port of its own), and later commands start the sandbox again
// from what it saved, so the connection syncs, refreshes and renews in
// each of them (john/eternal's consent renews without a visit to the bank).
func TestTheCommandLineUsesTheBuiltinSandbox(t *testing.T) {
	env := map[string]string{"BANKDESK_DATA_DIR": t.TempDir(), "BANKDESK_KEYRING": "file", "BANKDESK_PASSPHRASE": "cli test passphrase"}
	link, stderr, done := startConnect(t, env)
	redirect, _ := url.Parse(link)
	if !loopback.IsLoopback(redirect.Query().Get("redirect_uri")) {
		t.Fatalf("built-in link redirects to %q: a bankdesk:// link would start the window, not this command", redirect.Query().Get("redirect_uri"))
	}
	// The sandbox still serves after the link was printed: the login
	// works, and the redirect completes the connection here.
	if page := finishLoopbackAs(t, link, redirect.Query().Get("redirect_uri"), "john", "eternal"); !strings.Contains(page, "connected") {
		t.Fatalf("browser page: %s", page)
	}
	if code := waitExit(t, done, stderr); code != 0 || !strings.Contains(stderr.String(), "Connected: ") {
		t.Fatalf("connect exit %d: %s", code, stderr)
	}
	var conns []struct {
		ID     string `json:"connection_id"`
		Status string
	}
	for range 2 { // each command is a restart of the sandbox
		out, errOut, code := run(t, env, "consents", "--json")
		if code != 0 || json.Unmarshal([]byte(out), &conns) != nil || len(conns) != 1 || conns[0].Status != "active" {
			t.Fatalf("consents: %d %s %s", code, out, errOut)
		}
		if _, errOut, code := run(t, env, "sync", "--connection", conns[0].ID); code != 0 {
			t.Fatalf("sync after a restart: %d %s", code, errOut)
		}
		if out, errOut, code := run(t, env, "extend", "--connection", conns[0].ID, "--name", "John Doe", "--email", "john@example.com", "--no-browser"); code != 0 || strings.TrimSpace(out) != "extended" {
			t.Fatalf("extend after a restart: %d %q %s", code, out, errOut)
		}
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
	cb := bankRedirect(t, env, "john", "doe")
	for name, stdin := range map[string]string{
		"nothing":     "",
		"blank line":  "\n",
		"a long line": "bankdesk://callback?code=" + strings.Repeat("x", 9000) + "\n",
	} {
		if _, errOut, code := runStdin(t, env, stdin, "callback", "-", "--no-sync"); code != 2 {
			t.Errorf("%s on stdin: exit %d, %s", name, code, errOut)
		}
	}
	out, errOut, code := runStdin(t, env, cb+"\r\nignored second line\n", "callback", "--no-sync", "-")
	if code != 0 || len(strings.TrimSpace(out)) != 32 {
		t.Fatalf("callback -: %d %q %s", code, out, errOut)
	}
}
