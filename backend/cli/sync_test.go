package cli

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"go.etcd.io/bbolt"

	"bankdesk/backend/desk"
	"bankdesk/backend/sandbox"
)

// assertTruthJSON compares `transactions --json` with the bank: each
// booked and pending transaction once, exact signed amounts, nothing else.
func assertTruthJSON(t *testing.T, txs []txJSON, truth sandbox.Truth) {
	t.Helper()
	got := map[string]txJSON{}
	for _, tx := range txs {
		k := tx.AccountID + "|" + tx.ID
		if _, dup := got[k]; dup {
			t.Errorf("%s listed twice", k)
		}
		got[k] = tx
		if tx.Merchant == nil || tx.Category == nil || tx.Currency == "" || tx.Description == "" {
			t.Errorf("%s lacks a field: %+v", k, tx)
		}
		if _, err := time.Parse(time.RFC3339, tx.BookedAt); err != nil {
			t.Errorf("%s: booked_at %q", k, tx.BookedAt)
		}
	}
	want := 0
	for _, a := range append(slices.Clone(truth.Accounts), truth.Cards...) {
		for status, list := range map[string][]sandbox.TruthTransaction{"booked": a.Booked, "pending": a.Pending} {
			for _, tt := range list {
				want++
				key := "p:" + tt.ProviderTransactionID
				if tt.NormalisedProviderID != "" {
					key = "n:" + tt.NormalisedProviderID
				}
				g, ok := got[a.AccountID+"|"+key]
				if !ok {
					t.Errorf("%s: %s %s %s %s missing", a.DisplayName, status, tt.Timestamp.Format(time.DateOnly), tt.Description, tt.Amount)
					continue
				}
				amount := tt.Amount.Abs()
				if tt.Type == "DEBIT" {
					amount = amount.Neg()
				}
				if d, err := decimal.NewFromString(g.Amount); err != nil || !d.Equal(amount) || g.Status != status || g.Type != tt.Type {
					t.Errorf("%s: %s: %s %s %s, want %s %s %s", a.DisplayName, key, g.Amount, g.Type, g.Status, amount, tt.Type, status)
				}
				if at, _ := time.Parse(time.RFC3339, g.BookedAt); !at.Equal(tt.Timestamp) {
					t.Errorf("%s: %s booked at %s, want %s", a.DisplayName, key, g.BookedAt, tt.Timestamp)
				}
			}
		}
	}
	if len(got) != want {
		t.Errorf("%d transactions listed, the bank has %d", len(got), want)
	}
}

func TestSyncThenTransactions(t *testing.T) {
	env, sb := cliEnv(t)
	connID := connectOnly(t, env)
	if txs := transactionsJSON(t, env); len(txs) != 0 {
		t.Fatalf("transactions before any sync: %d", len(txs))
	}

	out, errOut, code := run(t, env, "sync", "--connection", connID)
	if code != 0 || out != "" {
		t.Fatalf("sync: %d stdout %q stderr %s", code, out, errOut)
	}
	var first string
	for _, l := range strings.Split(errOut, "\n") {
		if strings.HasPrefix(l, "Club Classic Current Account: ") {
			first = l
			break
		}
	}
	// The deep history comes first (the bank serves it only for minutes),
	// with the time left to read it.
	var from, to, of string
	var n int
	if _, err := fmt.Sscanf(strings.TrimPrefix(first, "Club Classic Current Account: backfill "), "%10s..%10s (%d/%s", &from, &to, &n, &of); err != nil || n != 1 {
		t.Fatalf("first progress line of the current account %q: %v", first, err)
	}
	if end, err := time.Parse(time.DateOnly, to); err != nil || time.Since(end) < 89*24*time.Hour || !strings.Contains(first, "left)") {
		t.Fatalf("first window %s..%s is not deep history, or no time left shown: %q", from, to, first)
	}
	windows, _ := strconv.Atoi(strings.TrimSuffix(of, ")"))
	if c := strings.Count(errOut, ": backfill "); windows < 25 || c != 3*windows {
		t.Fatalf("%d backfill lines, want %d windows × 3", c, windows)
	}
	for _, want := range []string{"Club Instant Saver: standing orders: not applicable", "Platinum Rewards Credit Card: done +", "Club Classic Current Account: balance"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q", want)
		}
	}
	truth := sb.Truth("john")
	all := transactionsJSON(t, env)
	assertTruthJSON(t, all, truth)

	// Filters: one account, a date range (both ends included).
	cur := truth.Accounts[0].AccountID
	for _, tx := range transactionsJSON(t, env, "--account", cur, "--from", "2025-06-01", "--to", "2025-06-30") {
		if tx.AccountID != cur || tx.BookedAt < "2025-06-01" || tx.BookedAt >= "2025-07-01" {
			t.Fatalf("filtered list has %+v", tx)
		}
	}
	if _, errOut, code := run(t, env, "transactions", "--from", "June"); code != 2 || !strings.Contains(errOut, "YYYY-MM-DD") {
		t.Fatalf("bad --from: %d %s", code, errOut)
	}
	if _, errOut, code := run(t, env, "transactions", "--account", "nope"); code != 1 || !strings.Contains(errOut, "no such account") {
		t.Fatalf("unknown account: %d %s", code, errOut)
	}
	table, _, code := run(t, env, "transactions", "--account", cur)
	if code != 0 || !strings.Contains(table, "booked") || !strings.Contains(table, "Club Classic Current Account") {
		t.Fatalf("table: %.300s", table)
	}

	out, _, _ = run(t, env, "accounts", "--json")
	var accts []map[string]any
	if err := json.Unmarshal([]byte(out), &accts); err != nil {
		t.Fatal(err)
	}
	for _, a := range accts {
		if a["history_from"] != "2020-"+truth.AsOf.Format("01")+"-01" && a["history_from"] != truth.AsOf.AddDate(-6, 0, 0).Format("2006-01")+"-01" {
			t.Errorf("%v: history_from %v", a["display_name"], a["history_from"])
		}
		if s, _ := a["last_synced_at"].(string); s == "" {
			t.Errorf("%v: no last_synced_at", a["display_name"])
		}
	}

	// A background sync straight after: nothing new, exit 0.
	_, errOut, code = run(t, env, "sync", "--background")
	if code != 0 || strings.Contains(errOut, "backfill") {
		t.Fatalf("background sync: %d %s", code, errOut)
	}
	assertTruthJSON(t, transactionsJSON(t, env), sb.Truth("john"))
}

// `callback URL` prints the connection id alone on stdout, then backfills
// at once with progress on stderr; --no-sync may also come after the URL.
func TestCallbackSyncsRightAway(t *testing.T) {
	env, sb := cliEnv(t)
	out, errOut, code := run(t, env, "callback", bankRedirect(t, env, "john", "doe"))
	if code != 0 || strings.Count(out, "\n") != 1 || len(strings.TrimSpace(out)) != 32 {
		t.Fatalf("callback: %d stdout %q stderr %.300s", code, out, errOut)
	}
	if !strings.Contains(errOut, "Club Classic Current Account: backfill") {
		t.Fatalf("no backfill progress: %.300s", errOut)
	}
	assertTruthJSON(t, transactionsJSON(t, env), sb.Truth("john"))

	// Another user: john again would renew the first connection, and say so.
	cb := bankRedirect(t, env, "john1", "doe")
	if out, errOut, code := run(t, env, "callback", cb, "--no-sync"); code != 0 || errOut != "" || len(strings.TrimSpace(out)) != 32 {
		t.Fatalf("callback URL --no-sync: %d %q %q", code, out, errOut)
	}
}

// A connection whose consent lapsed: sync exits 1 with one line per
// account saying why, and the data stays readable.
func TestSyncFailureExitsNonZeroWithAReasonPerAccount(t *testing.T) {
	env, sb := cliEnv(t)
	connID := connectOnly(t, env)
	if _, errOut, code := run(t, env, "sync"); code != 0 {
		t.Fatalf("first sync: %s", errOut)
	}
	before := len(transactionsJSON(t, env))
	sb.Advance(91 * 24 * time.Hour)
	_, errOut, code := run(t, env, "sync")
	if code != 1 {
		t.Fatalf("sync after the consent lapsed: exit %d\n%s", code, errOut)
	}
	var reasons []string
	for _, l := range strings.Split(strings.TrimSpace(errOut), "\n") {
		if strings.HasPrefix(l, "bankdesk sync: ") {
			reasons = append(reasons, l)
		}
	}
	if len(reasons) != 4 || !strings.Contains(reasons[0], "reconnect") || !strings.HasPrefix(reasons[0], "bankdesk sync: Club Classic Current Account: ") ||
		reasons[3] != "bankdesk sync: the bank needs you to log in again: run `bankdesk reconnect --connection "+connID+"`" {
		t.Fatalf("reasons:\n%s", strings.Join(reasons, "\n"))
	}
	if after := len(transactionsJSON(t, env)); after != before {
		t.Fatalf("%d transactions after the failed sync, had %d", after, before)
	}
}

// A bank that keeps only 500 days: the first sync stores what it keeps
// and says since when; neither it nor the next exits non-zero. A bank that
// is down for an account is a warning, not a failure.
func TestSyncThroughAHistoryHorizonExitsZero(t *testing.T) {
	env, sb := cliEnv(t)
	sb.SetFaults(sandbox.Faults{HistoryHorizonDays: 500})
	connectOnly(t, env)
	for i := range 2 {
		_, errOut, code := run(t, env, "sync")
		if code != 0 {
			t.Fatalf("sync %d through the horizon: exit %d\n%s", i+1, code, errOut)
		}
		if i == 0 && !strings.Contains(errOut, "note: Club Classic Current Account: the bank keeps history only since ") {
			t.Fatalf("the first sync does not say since when:\n%s", errOut)
		}
	}
	card := sb.Truth("john").Cards[0].AccountID
	sb.SetFaults(sandbox.Faults{HistoryHorizonDays: 500, ServerErrors: 100, Path: card})
	_, errOut, code := run(t, env, "sync")
	if code != 0 {
		t.Fatalf("a bank down for one card: exit %d\n%s", code, errOut)
	}
	// The window's sentence, then the status and the path for whoever needs them.
	assertToldThenDetails(t, errOut, "bankdesk sync: warning: Platinum Rewards Credit Card: not fully synced, will try again at the next sync: ",
		"Your bank is not answering right now.", "503", card)
}

// A data file damaged on disk: commands fail with a sentence naming the
// remedy (never a panic or the usage exit code), `check` says what is
// wrong, and `repair` brings back everything from the snapshot the last
// sync left, after which a sync finds nothing missing.
func TestCheckAndRepairADamagedFile(t *testing.T) {
	env, _ := syncedEnv(t)
	before := len(transactionsJSON(t, env))
	if out, _, code := run(t, env, "check"); code != 0 || !strings.Contains(out, "Every page and every record reads.") {
		t.Fatalf("check of a good file: %d %s", code, out)
	}
	// Cut the file to a third of the pages in use.
	path := filepath.Join(env["BANKDESK_DATA_DIR"], "bankdesk.db")
	size, count := pages(path)
	if err := os.Truncate(path, size*count/3/4096*4096); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := run(t, env, "accounts")
	if code != 1 || !strings.Contains(errOut, "bankdesk repair") || strings.Contains(errOut, "goroutine") {
		t.Fatalf("accounts on a damaged file: %d %s", code, errOut)
	}
	out, _, code := run(t, env, "check")
	if code != 1 || !strings.Contains(out, "cannot be opened") {
		t.Fatalf("check of a damaged file: %d %s", code, out)
	}
	out, errOut, code = run(t, env, "repair")
	if code != 0 || !strings.Contains(out, "came from the snapshot") {
		t.Fatalf("repair: %d %s %s", code, out, errOut)
	}
	if after := len(transactionsJSON(t, env)); after != before {
		t.Fatalf("%d transactions after the repair, had %d", after, before)
	}
	_, errOut, code = run(t, env, "sync")
	if code != 0 || strings.Contains(errOut, "+1") {
		t.Fatalf("sync after the repair: %d %s", code, errOut)
	}
}

// Every stored transaction made unreadable: commands still work without
// them and say so at the end, naming check and repair; the next sync
// fetches again, and so heals, what the bank serves without the user (the
// last 89 days); repair brings the rest back from the snapshot.
func TestUnreadableTransactionsAreNoticedHealedAndRepaired(t *testing.T) {
	env, _ := syncedEnv(t)
	booked := func() []txJSON {
		var out []txJSON
		for _, tx := range transactionsJSON(t, env) {
			if tx.Status != "pending" {
				out = append(out, tx)
			}
		}
		return out
	}
	before := booked()
	path := filepath.Join(env["BANKDESK_DATA_DIR"], "bankdesk.db")
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	flipped := 0
	err = db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket([]byte("transactions"))
		var keys [][]byte
		_ = b.ForEach(func(k, _ []byte) error {
			if len(k) == 16 && binary.BigEndian.Uint64(k[8:]) != 0 { // not a month index
				keys = append(keys, bytes.Clone(k))
			}
			return nil
		})
		for _, k := range keys {
			v := bytes.Clone(b.Get(k))
			v[len(v)/2] ^= 1
			if err := b.Put(k, v); err != nil {
				return err
			}
			flipped++
		}
		return nil
	})
	db.Close()
	if err != nil || flipped != len(before) {
		t.Fatalf("flipped %d of %d: %v", flipped, len(before), err)
	}
	_, errOut, code := run(t, env, "accounts")
	if code != 0 {
		t.Fatalf("accounts: %d %s", code, errOut)
	}
	out, errOut, code := run(t, env, "transactions", "--json")
	if code != 0 || !strings.Contains(errOut, fmt.Sprintf("%d saved record(s) could not be read", flipped)) || !strings.Contains(errOut, "bankdesk repair") {
		t.Fatalf("transactions: %d %s", code, errOut)
	}
	if strings.Contains(out, `"booked"`) {
		t.Fatalf("an unreadable transaction listed: %.300s", out)
	}
	if _, errOut, code := run(t, env, "sync"); code != 0 {
		t.Fatalf("sync: %s", errOut)
	}
	healed := booked()
	now := time.Now()
	recent := 0
	for _, tx := range before {
		if at, _ := time.Parse(time.RFC3339, tx.BookedAt); now.Sub(at) < 85*24*time.Hour {
			recent++
		}
	}
	if len(healed) < recent || len(healed) >= len(before) {
		t.Fatalf("%d readable after the sync: want the %d+ of the last 89 days, not all %d", len(healed), recent, len(before))
	}
	for _, tx := range healed {
		if at, _ := time.Parse(time.RFC3339, tx.BookedAt); now.Sub(at) > 92*24*time.Hour {
			t.Fatalf("%s healed, older than the bank serves", tx.BookedAt)
		}
	}
	if out, errOut, code := run(t, env, "repair"); code != 0 || !strings.Contains(out, "came from the snapshot") {
		t.Fatalf("repair: %d %s %s", code, out, errOut)
	}
	if got := booked(); len(got) != len(before) {
		t.Fatalf("%d after the repair, want %d", len(got), len(before))
	}
	if _, errOut, _ := run(t, env, "accounts"); strings.Contains(errOut, "could not be read") {
		t.Fatalf("after the repair: %s", errOut)
	}
}

// A panic in a command is a bug: one line, exit status 1 (not the
// runtime's 2, which reads as a usage error), no stack.
func TestAPanicIsExitOne(t *testing.T) {
	defer func(all []command) { commands = all }(commands)
	commands = append(commands, command{name: "panic-for-test", flags: noFlags(func(context.Context, *desk.Desk, IO) error { panic("boom \x1b[31m") })})
	var stderr strings.Builder
	code := Main(context.Background(), IO{Stdout: io.Discard, Stderr: &stderr, Getenv: func(string) string { return "" }}, []string{"panic-for-test"})
	if code != 1 || !strings.Contains(stderr.String(), "internal error: boom") || strings.Contains(stderr.String(), "goroutine") || strings.Contains(stderr.String(), "\x1b") {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
}

// A connection record that cannot be read does not cost the tokens of the
// next login: connecting again stores the new connection, the commands
// work, and the damage is named with its remedy.
func TestAnUnreadableConnectionDoesNotLoseANewLogin(t *testing.T) {
	env, _ := cliEnv(t)
	connectOnly(t, env)
	path := filepath.Join(env["BANKDESK_DATA_DIR"], "bankdesk.db")
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket([]byte("connections"))
		k, v := b.Cursor().First()
		v = bytes.Clone(v)
		v[len(v)/2] ^= 1
		return b.Put(bytes.Clone(k), v)
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	// john again: the same accounts.
	out, errOut, code := run(t, env, "callback", "--no-sync", bankRedirect(t, env, "john", "doe"))
	if code != 0 || !strings.Contains(errOut, "could not be read") || !strings.Contains(errOut, "bankdesk repair") {
		t.Fatalf("callback: %d %q", code, errOut)
	}
	id := strings.TrimSpace(out)
	out, errOut, code = run(t, env, "consents", "--json")
	if code != 0 || !strings.Contains(out, id) {
		t.Fatalf("consents: %d %s %s", code, out, errOut)
	}
	if _, errOut, code := run(t, env, "sync", "--connection", id); code != 0 {
		t.Fatalf("sync of the new connection: %d %s", code, errOut)
	}
	if n := len(transactionsJSON(t, env)); n == 0 {
		t.Fatal("no transactions after the new login's sync")
	}
}
