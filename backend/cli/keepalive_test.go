package cli

import (
	"context"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"bankdesk/backend/config"
	"bankdesk/backend/desk"
	"bankdesk/backend/internal/fakebus"
	"bankdesk/backend/internal/testclock"
	"bankdesk/backend/internal/testenv"
	"bankdesk/backend/store"
	"bankdesk/backend/view"
)

// day0 is when the keep-alive tests connect.
var day0 = time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)

const days = 24 * time.Hour

// builtinEnv is the built-in environment (the in-process sandbox, on the
// desk's clock) in a private data directory with the passphrase vault, its
// passphrase given as a script gives it, so the job can open it without
// asking. No reminder of a test reaches the desktop of whoever runs it:
// the session bus is one that is not there, unless the test starts its own.
func builtinEnv(t *testing.T) map[string]string {
	t.Helper()
	t.Setenv("BANKDESK_TEST_KDF", "cheap") // the vault reads it from the process
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+filepath.Join(t.TempDir(), "no-bus"))
	return map[string]string{"BANKDESK_DATA_DIR": t.TempDir(), "BANKDESK_KEYRING": "file", "BANKDESK_PASSPHRASE": "keepalive test passphrase"}
}

// with is env with some variables changed; "" removes one.
func with(env map[string]string, kv ...string) map[string]string {
	out := maps.Clone(env)
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			delete(out, kv[i])
		} else {
			out[kv[i]] = kv[i+1]
		}
	}
	return out
}

// jobOnClock runs `bankdesk keepalive` on clk for the rest of the test.
func jobOnClock(t *testing.T, clk *testclock.Clock) {
	t.Helper()
	keepaliveClock = clk.Now
	t.Cleanup(func() { keepaliveClock = nil })
}

// openWindow opens the backend env points at as the window does, with
// opts (Config filled in from env), closed when the test ends.
func openWindow(t *testing.T, env map[string]string, opts desk.Options) *desk.Desk {
	t.Helper()
	cfg, err := config.FromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	opts.Config = cfg
	d, err := desk.Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	return d
}

// connectBuiltin logs john/doe in at the built-in Mock bank on clk and
// syncs once, as the window does, then closes the backend.
func connectBuiltin(t *testing.T, env map[string]string, clk *testclock.Clock) string {
	t.Helper()
	ctx := context.Background()
	d := openWindow(t, env, desk.Options{Now: clk.Now})
	defer d.Close()
	res := testenv.Connect(t, d.Flow(), "john", "doe")
	if rep, err := d.Sync(ctx, res.ConnectionID, true, nil); err != nil || !rep.OK() {
		t.Fatalf("first sync: %v %+v", err, rep)
	}
	return res.ConnectionID
}

// hasLine reports whether text has line as one of its lines.
func hasLine(text, line string) bool { return slices.Contains(strings.Split(text, "\n"), line) }

// tokenCalls counts the token calls (code exchanges and refreshes) the
// built-in sandbox logged on stderr (BANKDESK_DEBUG).
func tokenCalls(stderr string) int { return strings.Count(stderr, "path=/connect/token") }

// The sandbox, as TrueLayer, refuses a refresh token unused for 30 days
// (backend/sandbox/tokens.go). With the job run on days 25 and 50 a
// connection made on day 0 still syncs on day 70, with no login; without
// it the same sync on day 70 finds the connection lost. Each run refreshes
// once, says so in one line, and logs no token.
func TestKeepaliveKeepsAConnectionPastItsIdleDeadline(t *testing.T) {
	for _, job := range []bool{true, false} {
		t.Run(map[bool]string{true: "with the job", false: "without it"}[job], func(t *testing.T) {
			env := builtinEnv(t)
			clk := testclock.New(day0)
			id := connectBuiltin(t, env, clk)
			jobOnClock(t, clk)
			for _, day := range []time.Duration{25, 50} {
				clk.Add(day*days - clk.Now().Sub(day0))
				if !job {
					continue
				}
				_, stderr, code := run(t, with(env, "BANKDESK_DEBUG", "1"), "keepalive")
				if code != 0 || !hasLine(stderr, "refreshed Mock (connection "+id+")") || tokenCalls(stderr) != 1 {
					t.Fatalf("day %d: exit %d, %d token calls, stderr:\n%s", day, code, tokenCalls(stderr), stderr)
				}
				d := openWindow(t, env, desk.Options{Now: clk.Now})
				c, err := d.Store().Connection(id)
				_ = d.Close()
				if err != nil || c.LastRefreshAt.IsZero() || strings.Contains(stderr, c.RefreshToken) || strings.Contains(stderr, c.AccessToken) {
					t.Fatalf("day %d: %v, or a token in the log:\n%s", day, err, stderr)
				}
			}
			clk.Add(70*days - clk.Now().Sub(day0))
			d := openWindow(t, env, desk.Options{Now: clk.Now})
			rep, err := d.Sync(context.Background(), id, true, nil)
			c, cerr := d.Store().Connection(id)
			if cerr != nil {
				t.Fatal(cerr)
			}
			if synced := err == nil && rep.OK(); synced != job || (c.Status == store.StatusActive) != job {
				t.Fatalf("day 70: sync %v %+v, connection %s", err, rep, c.Status)
			}
		})
	}
}

// With a passphrase vault and no passphrase the job opens nothing sealed:
// on day 80, ten days before the consent ends, the schedule file the
// window kept has it show "open Bankdesk by" the day before, on the
// session bus's notification service; a second run that day shows
// nothing. The data file is not touched.
func TestKeepaliveRemindsFromTheScheduleWhenTheVaultIsLocked(t *testing.T) {
	env := builtinEnv(t)
	clk := testclock.New(day0)
	connectBuiltin(t, env, clk)
	var ends time.Time
	for _, day := range []time.Duration{25, 50, 70} { // the window open now and then keeps the token in use
		clk.Add(day*days - clk.Now().Sub(day0))
		d := openWindow(t, env, desk.Options{Now: clk.Now})
		d.KeepAliveAndRemind(context.Background())
		infos, err := d.Consent().Infos()
		if err != nil || len(infos) != 1 {
			t.Fatalf("day %d: %+v %v", day, infos, err)
		}
		ends = infos[0].ConsentExpiresAt
		_ = d.Close()
	}
	clk.Add(80*days - clk.Now().Sub(day0))
	jobOnClock(t, clk)
	addr := fakebus.Start(t)
	service := fakebus.Notifications(t, addr)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr)
	locked := with(env, "BANKDESK_PASSPHRASE", "")
	data := filepath.Join(env["BANKDESK_DATA_DIR"], "bankdesk.db")
	before := fileSum(t, data)

	_, stderr, code := run(t, locked, "keepalive")
	e := ends.Local()
	by := time.Date(e.Year(), e.Month(), e.Day()-1, 0, 0, 0, 0, time.Local).Format("Monday 2 January")
	want := fmt.Sprintf("Open Bankdesk by %s to keep your bank connected.", by)
	calls := service.Calls()
	if code != 0 || len(calls) != 1 || calls[0].AppName != "Bankdesk" || calls[0].Summary != "Bankdesk" || calls[0].Body != want ||
		!strings.HasPrefix(stderr, "reminded your bank: ") || strings.Count(stderr, "\n") != 1 {
		t.Fatalf("day 80: exit %d, notifications %+v (want %q), stderr:\n%s", code, calls, want, stderr)
	}
	_, stderr, code = run(t, locked, "keepalive")
	if code != 0 || len(service.Calls()) != 1 || !strings.HasPrefix(stderr, "nothing due") {
		t.Fatalf("day 80 again: exit %d, notifications %+v, stderr:\n%s", code, service.Calls(), stderr)
	}
	if fileSum(t, data) != before {
		t.Fatal("the job changed the data file")
	}
}

// With the key at hand the job fires the window's reminders itself: on
// day 80 (run often enough before to keep the token), ten days before the
// consent ends, its 14-day step is a desktop notification naming the
// bank, shown once.
func TestKeepaliveShowsTheConsentReminderOnce(t *testing.T) {
	env := builtinEnv(t)
	clk := testclock.New(day0)
	id := connectBuiltin(t, env, clk)
	jobOnClock(t, clk)
	for _, day := range []time.Duration{25, 50, 70} {
		clk.Add(day*days - clk.Now().Sub(day0))
		if _, stderr, code := run(t, env, "keepalive"); code != 0 || stderr != "refreshed Mock (connection "+id+")\n" {
			t.Fatalf("day %d: exit %d, stderr:\n%s", day, code, stderr)
		}
	}
	clk.Add(80*days - clk.Now().Sub(day0))
	addr := fakebus.Start(t)
	service := fakebus.Notifications(t, addr)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr)
	_, stderr, code := run(t, env, "keepalive")
	calls := service.Calls()
	if code != 0 || len(calls) != 1 || calls[0].Summary != "Bankdesk: Mock" || !strings.HasPrefix(calls[0].Body, "Your consent for Mock ends in 10 days") ||
		stderr != "refreshed Mock (connection "+id+")\nreminded Mock (connection "+id+"): 10 days left\n" {
		t.Fatalf("day 80: exit %d, notifications %+v, stderr:\n%s", code, calls, stderr)
	}
	if _, stderr, code := run(t, env, "keepalive"); code != 0 || stderr != "nothing due\n" || len(service.Calls()) != 1 {
		t.Fatalf("day 80 again: exit %d, notifications %+v, stderr:\n%s", code, service.Calls(), stderr)
	}
}

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(raw)
}

// tokenCounter counts the token calls a sandbox logs (its debug line per
// request).
type tokenCounter struct {
	mu sync.Mutex
	n  int
}

func (c *tokenCounter) Enabled(context.Context, slog.Level) bool { return true }
func (c *tokenCounter) Handle(_ context.Context, r slog.Record) error {
	if r.Message != "sandbox request" {
		return nil
	}
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "path" && a.Value.String() == "/connect/token" {
			c.mu.Lock()
			c.n++
			c.mu.Unlock()
		}
		return true
	})
	return nil
}
func (c *tokenCounter) WithAttrs([]slog.Attr) slog.Handler { return c }
func (c *tokenCounter) WithGroup(string) slog.Handler      { return c }

func (c *tokenCounter) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

// changedSink tells when the desk reports changed data: Run's keep-alive
// and reminders end with it.
type changedSink struct {
	changed chan struct{}
}

func (s changedSink) SyncProgress(view.SyncProgress)   {}
func (s changedSink) SyncDone(view.SyncDone)           {}
func (s changedSink) Reminder(view.ReminderView) error { return nil }
func (s changedSink) Connected(view.Connected)         {}
func (s changedSink) ConnectFailed(view.ConnectFailed) {}
func (s changedSink) DataChanged() {
	select {
	case s.changed <- struct{}{}:
	default:
	}
}

// stillTicker is a desk.Ticker that never ticks.
func stillTicker(time.Duration) (<-chan time.Time, func()) { return make(chan time.Time), func() {} }

// While the window is open it holds the data directory and its Run keeps
// the connections: the job sees the lock, says so in one line and leaves,
// at once and with exit status 0, and the bank saw one refresh (the
// window's), not two.
func TestKeepaliveHandsOverToTheOpenWindow(t *testing.T) {
	env := builtinEnv(t)
	clk := testclock.New(day0)
	connectBuiltin(t, env, clk)
	clk.Add(2 * days) // the token is due a refresh
	jobOnClock(t, clk)
	bank := &tokenCounter{}
	sink := changedSink{changed: make(chan struct{}, 1)}
	window := openWindow(t, env, desk.Options{Now: clk.Now, Log: slog.New(bank), Sink: sink, Ticker: stillTicker})
	ctx, cancel := context.WithCancel(context.Background())
	ended := make(chan struct{})
	go func() { window.Run(ctx); close(ended) }()
	select {
	case <-sink.changed: // Run's keep-alive is done
	case <-time.After(time.Minute):
		t.Fatal("the window's Run never kept the connection")
	}
	_, stderr, code := run(t, with(env, "BANKDESK_DEBUG", "1"), "keepalive")
	if code != 0 || stderr != "the open window keeps connections alive\n" {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	cancel()
	<-ended
	if n := bank.count(); n != 1 {
		t.Fatalf("the bank saw %d refreshes, want the window's one", n)
	}
}

// Nothing due (the token used within the day, no reminder step reached):
// the job says so and exits 0 without a call to the bank.
func TestKeepaliveWithNothingDueCallsNoBank(t *testing.T) {
	env := builtinEnv(t)
	clk := testclock.New(day0)
	connectBuiltin(t, env, clk)
	clk.Add(time.Hour)
	jobOnClock(t, clk)
	_, stderr, code := run(t, with(env, "BANKDESK_DEBUG", "1"), "keepalive")
	if code != 0 || !hasLine(stderr, "nothing due") || strings.Contains(stderr, "sandbox request") {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	// Nor with nothing stored at all: the job makes no data directory.
	empty := with(env, "BANKDESK_DATA_DIR", filepath.Join(t.TempDir(), "none"))
	if _, stderr, code := run(t, empty, "keepalive"); code != 0 || stderr != "nothing due\n" {
		t.Fatalf("no data: exit %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(empty["BANKDESK_DATA_DIR"]); !os.IsNotExist(err) {
		t.Fatalf("the job made a data directory: %v", err)
	}
}
