package desk

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"bankdesk/backend/connect"
	"bankdesk/backend/internal/testenv"
	"bankdesk/backend/sandbox"
	"bankdesk/backend/view"
)

// bankListName is the display name the bank picker's list gives Mock.
func bankListName(t *testing.T, d *Desk) string {
	t.Helper()
	banks, err := d.Banks(context.Background())
	if err != nil || len(banks) == 0 || banks[0].ID != "mock" || banks[0].Name == "" || banks[0].Name == "mock" {
		t.Fatalf("banks %+v %v", banks, err)
	}
	return banks[0].Name
}

// A connection whose consent was given but whose accounts the bank has
// not listed yet (unfinished: /me did not answer) is called by the name
// the bank list gives its bank, on Connections, in its consent and in the
// notice that says it is unfinished; after a restart too, before the
// window has asked for the bank list again. Before, it was titled by its
// provider id ("mock").
func TestAnUnfinishedConnectionIsNamedLikeTheBankList(t *testing.T) {
	for _, env := range []string{"sandbox", "builtin"} {
		t.Run(env, func(t *testing.T) {
			cfg := fileVaultConfig(t, nil) // the built-in sandbox
			var sb *sandbox.Server
			if env == "sandbox" {
				sb = testenv.Sandbox(t, nil)
				cfg = sandboxConfig(t, sb, nil)
			}
			d := openDesk(t, Options{Config: cfg})
			if sb == nil {
				sb = d.Sandbox()
			}
			d.Flow().MeRetryWaits = []time.Duration{time.Millisecond, time.Millisecond}
			name := bankListName(t, d)
			sb.SetFaults(sandbox.Faults{ServerErrors: 3, Path: "/data/v1/me"})
			res := testenv.Connect(t, d.Flow(), "john", "doe")
			if !res.Unfinished {
				t.Fatalf("the connection is finished: %+v", res)
			}
			sb.SetFaults(sandbox.Faults{})
			if len(res.Notes) == 0 || !strings.Contains(res.Notes[0], "connection to "+name+",") {
				t.Errorf("notes %q do not name %s", res.Notes, name)
			}
			check := func(when string) {
				views, err := d.Connections()
				if err != nil || len(views) != 1 || !views[0].Unfinished {
					t.Fatalf("%s: connections %+v %v", when, views, err)
				}
				if views[0].ProviderName != name {
					t.Errorf("%s: the connection is titled %q, the bank list calls it %q", when, views[0].ProviderName, name)
				}
				consents, err := d.Consents()
				if err != nil || len(consents) != 1 || consents[0].ProviderName != name {
					t.Errorf("%s: consents %+v %v", when, consents, err)
				}
			}
			check("connected")
			if env == "builtin" {
				_ = d.Close()
				d = openDesk(t, Options{Config: cfg})
				check("after a restart")
			}
		})
	}
}

// A login the bank answers with an error names that bank, as the bank
// list does (a renewal, as the connection is called), rather than "Your
// bank": on the screen and on the loopback port's page.
func TestAFailedBankLoginNamesTheBank(t *testing.T) {
	d, sink, _ := wordsDesk(t)
	ctx := context.Background()
	name := bankListName(t, d)
	answer := func(link connect.Link) string {
		t.Helper()
		u, err := url.Parse(link.URL)
		if err != nil || link.State == "" {
			t.Fatalf("link %+v %v", link, err)
		}
		q := url.Values{"error": {"provider_error"}, "error_description": {"The provider is unavailable"}, "state": {link.State}}
		return u.Query().Get("redirect_uri") + "?" + q.Encode()
	}
	failAt := func(link connect.Link) view.ConnectFailed {
		t.Helper()
		d.CompleteAndTell(ctx, answer(link))
		f := <-sink.failed
		if f.Kind != "bank" {
			t.Fatalf("failure %+v", f)
		}
		return f
	}

	link, err := d.BeginLogin(ctx, "mock", false)
	if err != nil {
		t.Fatal(err)
	}
	want := name + " could not complete the login, so nothing was connected. Please connect again."
	if f := failAt(link); f.Problem.Message != want {
		t.Errorf("a new login: %q, want %q", f.Problem.Message, want)
	}
	if link, err = d.BeginLogin(ctx, "mock", false); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Complete(ctx, answer(link), false); PageError(err) != want {
		t.Errorf("the loopback page: %q, want %q", PageError(err), want)
	}

	res := testenv.Connect(t, d.Flow(), "john", "doe")
	c, err := d.Store().Connection(res.ConnectionID)
	if err != nil || c.ProviderName == "" {
		t.Fatalf("connection %+v %v", c, err)
	}
	link, err = d.BeginLogin(ctx, res.ConnectionID, true)
	if err != nil {
		t.Fatal(err)
	}
	if f := failAt(link); !strings.HasPrefix(f.Problem.Message, c.ProviderName+" could not complete the login") {
		t.Errorf("a reconnect: %q does not name %q", f.Problem.Message, c.ProviderName)
	}
}
