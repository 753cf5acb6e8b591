package cli

import (
	"strings"
	"testing"

	"bankdesk/backend/problem"
	"bankdesk/backend/sandbox"
	"bankdesk/backend/vault"
)

// lines splits stderr into its lines, without the last newline.
func lines(s string) []string { return strings.Split(strings.TrimSuffix(s, "\n"), "\n") }

// toldOnce reports whether stderr is one failure told as the command line
// tells them: a line starting with head, then at most its Details line.
func toldOnce(stderr, head string) bool {
	got := lines(stderr)
	return stderr != "" && strings.HasPrefix(got[0], head) && len(got) <= 2 && (len(got) == 1 || strings.HasPrefix(got[1], "Details: "))
}

// A wrong passphrase reads as the window's sentence, with the chain on a
// Details line after it; the exit status stays 1. Before, the one line was
// the chain ("open vault: vault: wrong passphrase").
func TestAWrongPassphraseSaysTheSentenceThenTheDetails(t *testing.T) {
	env, _ := cliEnv(t)
	if _, errOut, code := run(t, env, "accounts"); code != 0 { // creates the vault
		t.Fatalf("accounts: %d %s", code, errOut)
	}
	env["BANKDESK_PASSPHRASE"] = "not the passphrase"
	out, errOut, code := run(t, env, "accounts")
	got := lines(errOut)
	want := "bankdesk accounts: " + problem.Of(vault.ErrWrongPassphrase).Message
	if code != 1 || out != "" || len(got) != 2 || got[0] != want ||
		!strings.HasPrefix(got[1], "Details: ") || !strings.Contains(got[1], "wrong passphrase") {
		t.Fatalf("accounts with a wrong passphrase: exit %d, stderr:\n%s\nwant exit 1 and %q, then a Details line", code, errOut, want)
	}
}

// A bank answering 503 to /me, so that a new connection cannot be
// finished: the sync's line says what the window says, and the status,
// TrueLayer's error and its correlation id go on the Details line below
// it; the sync still exits 0 (the next one tries again). Before, the line
// ended in the chain ("(truelayer: GET /data/v1/me: 503 …)").
func TestABanks503SaysTheSentenceThenTheDetails(t *testing.T) {
	env, _ := cliEnv(t)
	cb := bankRedirect(t, env, "john", "doe")
	setFaults(t, env, sandbox.Faults{ServerErrors: 1000, ServerErrorStatus: 503, Path: "/data/v1/me"})
	if _, errOut, code := run(t, env, "callback", "--no-sync", cb); code != 0 {
		t.Fatalf("callback: %d %s", code, errOut)
	}
	_, errOut, code := run(t, env, "sync")
	if code != 0 {
		t.Fatalf("sync with the bank down: exit %d\n%s", code, errOut)
	}
	assertToldThenDetails(t, errOut, "bankdesk sync: connection ", "Bankdesk could not finish setting up this bank connection yet", "503", "correlation id ")
}

// assertToldThenDetails finds the line of stderr that starts with head and
// checks that it goes on with the sentence that starts with said, free of
// technical words, and that the next line starts "Details: " and holds
// every one of details.
func assertToldThenDetails(t *testing.T, stderr, head, said string, details ...string) {
	t.Helper()
	got := lines(stderr)
	for i, l := range got {
		if !strings.HasPrefix(l, head) {
			continue
		}
		_, rest, _ := strings.Cut(strings.TrimPrefix(l, head), said)
		if !strings.Contains(l, said) || strings.Contains(rest, "truelayer") || strings.Contains(rest, "503") || strings.Contains(rest, "(") {
			t.Errorf("the line says %q, want the sentence %q… alone", l, said)
		}
		if i+1 == len(got) || !strings.HasPrefix(got[i+1], "Details: ") {
			t.Fatalf("no Details line after %q:\n%s", l, stderr)
		}
		for _, d := range details {
			if !strings.Contains(got[i+1], d) {
				t.Errorf("the Details line %q lacks %q", got[i+1], d)
			}
		}
		return
	}
	t.Fatalf("no line starting %q:\n%s", head, stderr)
}
