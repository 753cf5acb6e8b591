package cli

import (
	"errors"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"bankdesk/backend/desk"
	"bankdesk/backend/sandbox"
	"bankdesk/backend/tokens"
)

// Each status, as a script sees it. The bank's clock is moved back so that
// its consents began 91 and 80 days ago.
func TestConsentsJSON(t *testing.T) {
	var offset atomic.Int64
	env, _ := cliEnvWith(t, sandbox.Options{Now: func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }})
	if out, _, code := run(t, env, "consents", "--json"); code != 0 || strings.TrimSpace(out) != "[]" {
		t.Fatalf("no connections: %d %q", code, out)
	}
	days := func(n int) int64 { return int64(time.Duration(n) * 24 * time.Hour) }
	offset.Store(-days(91))
	expired := connectAs(t, env, "john", "doe")
	offset.Store(-days(80))
	expiring := connectAs(t, env, "john1", "doe")
	offset.Store(0)
	active := connectAs(t, env, "john2", "doe")
	lost := connectAs(t, env, "john3", "doe")
	markLost(t, env, lost)

	items := consentsJSON(t, env)
	if len(items) != 4 {
		t.Fatalf("%d items", len(items))
	}
	// days_left counts to the consent's end: a consent given just now has
	// 89 days left, as the app says, not the 29 until the refresh token
	// lapses. That deadline is the headline, as nothing keeps the token in
	// use while no window is open; for the consent ending in 9 days, whose
	// refresh deadline is capped at its end, the consent is.
	for id, want := range map[string]struct {
		status           string
		daysLeft         int
		headline         string
		headlineDaysLeft int
	}{
		expired:  {"expired", -2, "consent", -2},
		expiring: {"expiring", 9, "consent", 9},
		active:   {"active", 89, "refresh", 29},
		lost:     {"reconnect_needed", 89, "refresh", 29},
	} {
		it := items[id]
		for _, k := range []string{"connection_id", "provider_id", "consent_created_at", "consent_expires_at", "refresh_idle_deadline", "days_left", "status"} {
			if _, ok := it[k]; !ok {
				t.Errorf("%s lacks %q: %v", want.status, k, it)
			}
		}
		for _, k := range []string{"consent_created_at", "consent_expires_at", "refresh_idle_deadline", "headline_deadline"} {
			if _, err := time.Parse(time.RFC3339, it[k].(string)); err != nil {
				t.Errorf("%s: %s %q", want.status, k, it[k])
			}
		}
		if it["status"] != want.status || it["days_left"] != float64(want.daysLeft) || it["provider_id"] != "mock" ||
			it["headline"] != want.headline || it["headline_days_left"] != float64(want.headlineDaysLeft) {
			t.Errorf("%s: %v", want.status, it)
		}
	}

	out, errOut, code := run(t, env, "consents")
	if code != 0 || strings.Count(out, "\n") != 5 || !strings.Contains(out, "reconnect_needed") || !strings.Contains(out, expiring) {
		t.Fatalf("table:\n%s", out)
	}
	// Only the active connection is warned about its refresh deadline.
	if strings.Count(errOut, "loses access") != 1 || !strings.Contains(errOut, "in 29 days") {
		t.Fatalf("headline notes:\n%s", errOut)
	}
}

// markLost records, as a sync would when TrueLayer refuses the consent,
// that a connection needs a reconnect.
func markLost(t *testing.T, env map[string]string, id string) {
	t.Helper()
	withDesk(t, env, func(d *desk.Desk) {
		if err := d.Tokens().MarkReconnectNeeded(id, errors.New("revoked at the bank")); !errors.Is(err, tokens.ErrReconnectNeeded) {
			t.Fatal(err)
		}
	})
}

func TestExtend(t *testing.T) {
	env, sb := cliEnv(t)
	opened := stubBrowser(t)
	user := []string{"--name", "John Doe", "--email", "john@doe.com"}

	// no_action_needed
	eternal := connectAs(t, env, "john", "eternal")
	before := consentsJSON(t, env)[eternal]
	sb.Advance(time.Hour) // so the renewed consent's dates differ at the second
	out, errOut, code := run(t, env, append([]string{"extend", "--connection", eternal}, user...)...)
	if code != 0 || out != "extended\n" || !strings.Contains(errOut, "renewed") {
		t.Fatalf("extend john/eternal: %d %q %q", code, out, errOut)
	}
	if after := consentsJSON(t, env)[eternal]; after["consent_expires_at"].(string) <= before["consent_expires_at"].(string) {
		t.Fatalf("consent not renewed: %v", after)
	}
	if *opened != "" {
		t.Fatal("nothing to open when no action is needed")
	}

	// authentication_needed: the link alone, opened; `callback` completes it
	doe := connectAs(t, env, "john1", "doe")
	out, errOut, code = run(t, env, "extend", "--connection", doe, "--name", "John Doe", "--phone", "+447700900123")
	link := strings.TrimSpace(out)
	if code != 0 || strings.Count(out, "\n") != 1 || !strings.HasPrefix(link, sb.AuthURL()+"/?session_id=") || *opened != link {
		t.Fatalf("extend john1/doe: %d %q %q (opened %q)", code, out, errOut, *opened)
	}
	if got := completeLogin(t, env, link, "john1", "doe"); got != doe {
		t.Fatalf("callback renewed %s, want %s", got, doe)
	}

	// refused (422): a provider-specific auth link alone, the reason on stderr
	*opened = ""
	sb.SetFaults(sandbox.Faults{ExtendStatus: 422})
	out, errOut, code = run(t, env, append([]string{"extend", "--no-browser", "--connection", doe}, user...)...)
	u, err := url.Parse(strings.TrimSpace(out))
	if code != 0 || err != nil || strings.Count(out, "\n") != 1 || u.Query().Get("provider_id") != "mock" ||
		!strings.Contains(errOut, "cannot extend") || *opened != "" {
		t.Fatalf("refused extend: %d %q %q", code, out, errOut)
	}
	if got := completeLogin(t, env, strings.TrimSpace(out), "john1", "doe"); got != doe {
		t.Fatalf("fallback login renewed %s, want %s", got, doe)
	}

	for _, args := range [][]string{
		{"extend", "--name", "John Doe", "--email", "john@doe.com"},
		{"extend", "--connection", doe, "--email", "john@doe.com"},
		{"extend", "--connection", doe, "--name", "John Doe"},
		{"extend", "--connection", doe, "--name", "John Doe", "--email", "john@doe.com", "extra"},
	} {
		if _, _, code := run(t, env, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	out, errOut, code = run(t, env, append([]string{"extend", "--connection", "nope"}, user...)...)
	if code != 1 || out != "" || strings.Count(strings.TrimSpace(errOut), "\n") != 0 || !strings.Contains(errOut, "not found") {
		t.Fatalf("unknown connection: %d %q %q", code, out, errOut)
	}
}

func TestReconnect(t *testing.T) {
	env, _ := cliEnv(t)
	id := connectAs(t, env, "john", "doe")
	out, errOut, code := run(t, env, "reconnect", "--connection", id, "--no-browser")
	link := strings.TrimSpace(out)
	u, err := url.Parse(link)
	if code != 0 || err != nil || strings.Count(out, "\n") != 1 || u.Query().Get("provider_id") != "mock" {
		t.Fatalf("reconnect: %d %q %q", code, out, errOut)
	}
	if got := completeLogin(t, env, link, "john", "doe"); got != id {
		t.Fatalf("reconnect completed %s, want %s", got, id)
	}
	if _, _, code := run(t, env, "reconnect"); code != 2 {
		t.Fatalf("without --connection: exit %d", code)
	}
	if _, errOut, code := run(t, env, "reconnect", "--connection", "nope", "--no-browser"); code != 1 || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
		t.Fatalf("unknown connection: %d %q", code, errOut)
	}
}
