package cli

import (
	"strings"
	"testing"

	"bankdesk/backend/sandbox"
)

// The same bank connected twice, each login a new TrueLayer credential
// with account ids of its own: `accounts --json` lists each account once,
// under the one connection `consents` shows, and the user is told why.
func TestConnectingTwiceListsEachAccountOnce(t *testing.T) {
	env, _ := cliEnv(t)
	setFaults(t, env, sandbox.Faults{AccountIDsPerConnection: true})
	first := connectAs(t, env, "john", "doe")

	out, errOut, code := run(t, env, "callback", "--no-sync", bankRedirect(t, env, "john", "doe"))
	if code != 0 || strings.TrimSpace(out) != first {
		t.Fatalf("second callback: %d %q %s", code, out, errOut)
	}
	if !strings.Contains(errOut, "Mock was already connected in Bankdesk") || !strings.Contains(errOut, "ended at TrueLayer") {
		t.Fatalf("the user is not told: %s", errOut)
	}

	accts := accountsJSON(t, env)
	seen := map[string]bool{}
	for _, a := range accts {
		key := a["kind"].(string) + " " + a["display_name"].(string)
		if seen[key] || a["connection_id"] != first {
			t.Fatalf("%s listed twice or under %v:\n%v", key, a["connection_id"], accts)
		}
		seen[key] = true
	}
	if len(accts) != 3 {
		t.Fatalf("%d accounts:\n%v", len(accts), accts)
	}
	items := consentsJSON(t, env)
	if len(items) != 1 || items[first] == nil || items[first]["status"] != "active" {
		t.Fatalf("consents %v", items)
	}
}

// The bank's /me failing right after the login: `callback` still saves the
// connection and says, in a sentence, that the next sync finishes it;
// `sync` does, and the accounts are there.
func TestCallbackWhoseMeFailsFinishesAtTheNextSync(t *testing.T) {
	env, _ := cliEnv(t)
	cb := bankRedirect(t, env, "john", "doe")
	setFaults(t, env, sandbox.Faults{ServerErrors: 3, Path: "/data/v1/me"})
	out, errOut, code := run(t, env, "callback", "--no-sync", cb)
	if code != 0 || len(strings.TrimSpace(out)) != 32 {
		t.Fatalf("callback: %d %q %s", code, out, errOut)
	}
	// What the command says, as opposed to what it logs.
	var said []string
	for _, l := range strings.Split(errOut, "\n") {
		if strings.HasPrefix(l, "bankdesk callback: ") {
			said = append(said, l)
		}
	}
	if len(said) != 1 || !strings.Contains(said[0], "finishes setting it up at the next sync") || strings.Contains(said[0], "truelayer") {
		t.Fatalf("callback stderr: %s", errOut)
	}
	if out, _, _ := run(t, env, "accounts", "--json"); strings.TrimSpace(out) != "[]" {
		t.Fatalf("accounts before the bank answered: %s", out)
	}
	_, errOut, code = run(t, env, "sync")
	if code != 0 || !strings.Contains(errOut, "Finished connecting Mock: 2 accounts and 1 card") {
		t.Fatalf("sync: %d %s", code, errOut)
	}
	if accts := accountsJSON(t, env); len(accts) != 3 {
		t.Fatalf("accounts after the sync: %v", accts)
	}
}

// An error redirect without state reads as what happened at the bank, in
// one sentence, and stores nothing.
func TestStatelessCancelSaysSo(t *testing.T) {
	env, _ := cliEnv(t)
	out, errOut, code := run(t, env, "callback", "bankdesk://callback?error=access_denied&error_description=User%20cancelled&scope=info")
	if code != 1 || out != "" || !toldOnce(errOut, "bankdesk callback: ") || !strings.Contains(lines(errOut)[0], "cancelled") || strings.Contains(errOut, "not a valid") {
		t.Fatalf("stateless cancel: %d %q %q", code, out, errOut)
	}
	if out, _, _ := run(t, env, "accounts", "--json"); strings.TrimSpace(out) != "[]" {
		t.Fatalf("accounts: %s", out)
	}
}
