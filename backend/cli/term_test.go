package cli

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"bankdesk/backend/desk"
	"bankdesk/backend/store"
)

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"Tesco Stores 3297":    "Tesco Stores 3297",
		"Café Müller – 5,00 €": "Café Müller – 5,00 €",
		"👩‍👩‍👧 family ❤️ 🏴󠁧󠁢󠁳󠁣󠁴󠁿": "👩‍👩‍👧 family ❤️ 🏴󠁧󠁢󠁳󠁣󠁴󠁿", // joiners, variation selector, tag flag
		"日本語テキスト": "日本語テキスト",
		// The review's reproduction (B38).
		"\x1b[2J\x1b[31mFAKE\nbankdesk callback: Connected": "FAKE bankdesk callback: Connected",
		"a\x1b]0;new title\x07b":                            "ab",     // OSC, BEL-terminated
		"a\x1b]8;;http://evil/\x1b\\link\x1b]8;;\x1b\\b":    "alinkb", // OSC 8 hyperlink, ST-terminated
		"a\x1bPq#0;2;0;0;0\x1b\\b":                          "ab",     // DCS (sixel)
		"a\u009b31mred\u009b0m":                             "ared",   // 8-bit CSI
		"a\u009d0;t\u009cb":                                 "ab",     // 8-bit OSC and ST
		"a\x1b(0b":                                          "ab",     // charset switch
		"a\x1b7b\x1b8":                                      "ab",     // save/restore cursor
		"a\x1b]0;never ends":                                "a",      // swallowed, as a terminal would
		"tab\there\r\nnext":                                 "tab here  next",
		"a\u2028b\u2029c\u0085d":                            "a b c d",
		"safe\u202egnp.exe":                                 "safegnp.exe", // bidi override
		"zero\u200bwidth\ufeff\u2066x\u2069":                "zerowidthx",
		"bell\x07 nul\x00 del\x7f bs\x08":                   "bell nul del bs",
		"bad\xffutf8":                                       "bad\ufffdutf8",
		"trailing esc\x1b":                                  "trailing esc",
	} {
		if got := clean(in); got != want {
			t.Errorf("clean(%q) = %q, want %q", in, got, want)
		}
	}
}

// hostile is bank text that would rewrite the terminal if printed raw.
const hostile = "\x1b[2J\x1b[31mFAKE\u009b1m\nbankdesk callback: Connected\u202e\x1b]0;pwned\x07"

// Text from the bank reaches the terminal cleaned, in every command that
// prints it: account names in `accounts`, descriptions and account names in
// `transactions`. The JSON keeps the exact text, with what a terminal would
// act on escaped.
func TestBankTextIsCleanedForTheTerminal(t *testing.T) {
	env, _ := cliEnv(t)
	connID := connectAs(t, env, "john", "doe")
	var accts []store.Account
	withDesk(t, env, func(d *desk.Desk) {
		var err error
		accts, err = d.Store().AccountsOf(connID)
		if err != nil || len(accts) == 0 {
			t.Fatalf("accounts %v %v", accts, err)
		}
		accts[0].DisplayName = "Current" + hostile
		if err := d.Store().PutAccounts(connID, accts[:1]); err != nil {
			t.Fatal(err)
		}
		if _, _, err := d.Store().PutTransactions(accts[0].ID, []store.Transaction{{
			AccountID: accts[0].ID, BookedAt: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), Description: "Coffee" + hostile,
			Amount: decimal.RequireFromString("-2.50"), Currency: "GBP", Type: store.TypeDebit, Status: store.TxBooked,
			ProviderTransactionID: "hostile-1",
		}}); err != nil {
			t.Fatal(err)
		}
	})

	terminalSafe := func(cmd, out string, lines int) {
		t.Helper()
		if strings.ContainsAny(out, "\x1b\u009b\u202e\x07") {
			t.Errorf("%s printed raw control text: %q", cmd, out)
		}
		if n := strings.Count(out, "\n"); lines >= 0 && n != lines {
			t.Errorf("%s printed %d lines, want %d: %q", cmd, n, lines, out)
		}
	}
	out, errOut, code := run(t, env, "accounts")
	if code != 0 {
		t.Fatalf("accounts: %s", errOut)
	}
	terminalSafe("accounts", out, 3)
	if !strings.Contains(out, "CurrentFAKE bankdesk callback: Connected") {
		t.Errorf("accounts lost the readable text: %q", out)
	}
	out, errOut, code = run(t, env, "transactions", "--account", accts[0].ID, "--from", "2026-03-02", "--to", "2026-03-02")
	if code != 0 {
		t.Fatalf("transactions: %s", errOut)
	}
	terminalSafe("transactions", out, 1)

	out, _, _ = run(t, env, "transactions", "--json", "--account", accts[0].ID, "--from", "2026-03-02", "--to", "2026-03-02")
	terminalSafe("transactions --json", out, -1)
	var txs []struct{ Description string }
	if err := json.Unmarshal([]byte(out), &txs); err != nil || len(txs) != 1 || txs[0].Description != "Coffee"+hostile {
		t.Fatalf("JSON must keep the exact text: %v %+v", err, txs)
	}
	out, _, _ = run(t, env, "accounts", "--json")
	terminalSafe("accounts --json", out, -1)
	if !strings.Contains(out, `\u009b`) || !strings.Contains(out, `\u202e`) {
		t.Errorf("accounts --json: %s", out)
	}
}

// The error lines are cleaned too: a crafted URL's path comes back in
// the parse error, which the Details line shows. Its line break cannot
// start a line of its own ("bankdesk callback: Connected").
func TestErrorLineIsCleaned(t *testing.T) {
	env, _ := cliEnv(t)
	_, errOut, code := run(t, env, "callback", "--no-sync", "bankdesk://callback/%1B%5B2J%1B%5B31mFAKE%0Abankdesk%20callback:%20Connected?code=x&state=y")
	if got := lines(errOut); code != 1 || strings.ContainsAny(errOut, "\x1b") || len(got) != 2 ||
		!strings.HasPrefix(got[0], "bankdesk callback: ") || !strings.HasPrefix(got[1], "Details: ") || !strings.Contains(got[1], "FAKE") {
		t.Fatalf("code %d, stderr %q", code, errOut)
	}
}

// failingWriter is a stdout that fails every write, like /dev/full.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) {
	return 0, &os.PathError{Op: "write", Path: "/dev/stdout", Err: errors.New("no space left on device")}
}

func runFailingStdout(t *testing.T, env map[string]string, args ...string) (string, int) {
	t.Helper()
	var errb lockedBuffer
	code := Main(t.Context(), envIO(env, failingWriter{}, &errb), args)
	return errb.String(), code
}

// A result that cannot be written fails the command: a script must not
// take an empty stdout for "nothing there".
func TestUnwritableStdoutFails(t *testing.T) {
	env, _ := syncedEnv(t)
	opened := stubBrowser(t)
	for _, args := range [][]string{
		{"accounts"}, {"accounts", "--json"}, {"consents"}, {"consents", "--json"},
		{"transactions"}, {"connect", "--provider", "mock"}, {"version"},
	} {
		errOut, code := runFailingStdout(t, env, args...)
		if code != 1 || !strings.Contains(errOut, "could not write the output (no space left on device)") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errOut)
		}
	}
	if *opened != "" {
		t.Error("connect opened a browser on a link it could not print")
	}
}

// The same through a real process, as `bankdesk accounts --json > /dev/full`.
func TestDevFullExitsNonZero(t *testing.T) {
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no /dev/full:", err)
	}
	defer full.Close()
	env, _ := cliEnv(t)
	for _, args := range [][]string{{"accounts", "--json"}, {"connect", "--no-browser", "--provider", "mock"}} {
		cmd := process(env, args...)
		cmd.Stdout = full
		var errb strings.Builder
		cmd.Stderr = &errb
		err := cmd.Run()
		if cmd.ProcessState == nil || cmd.ProcessState.ExitCode() != 1 || !strings.Contains(errb.String(), "could not write the output") {
			t.Errorf("%v > /dev/full: %v, stderr %q", args, err, errb.String())
		}
	}
}
