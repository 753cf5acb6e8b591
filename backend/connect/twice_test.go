package connect

import (
	"errors"
	"maps"
	"testing"

	"bankdesk/backend/sandbox"
	"bankdesk/backend/store"
	"bankdesk/backend/truelayer"
)

// The bank's /me failing once right after the code exchange costs nothing:
// the code was single-use, and the connection comes out complete.
func TestMeFailingOnceLosesNothing(t *testing.T) {
	e := newEnv(t)
	e.sb.SetFaults(sandbox.Faults{MeFailOnce: true})
	res, err := e.flow.Complete(ctx, e.callback("john", "doe"))
	if err != nil {
		t.Fatalf("a /me failing once lost the connection: %v", err)
	}
	c, err := e.st.Connection(res.ConnectionID)
	if err != nil || c.CredentialsID == "" || c.ProviderName != "Mock" || c.AccessToken == "" || c.RefreshToken == "" {
		t.Fatalf("connection %+v %v", c, err)
	}
	if accts, _ := e.st.AccountsOf(c.ID); len(accts) != 3 || res.Accounts != 2 || res.Cards != 1 {
		t.Fatalf("accounts %d, result %+v", len(accts), res)
	}
}

// /me failing for longer than Complete waits: the tokens are in the store
// all the same, since nothing could bring them back.
func TestMeFailingLongerKeepsTheTokens(t *testing.T) {
	e := newEnv(t)
	e.sb.SetFaults(sandbox.Faults{ServerErrors: 3, Path: "/data/v1/me"})
	if _, err := e.flow.Complete(ctx, e.callback("john", "doe")); err != nil {
		t.Fatalf("the tokens of a single-use code were thrown away: %v", err)
	}
	cs, _ := e.st.Connections()
	if len(cs) != 1 || cs[0].AccessToken == "" || cs[0].RefreshToken == "" {
		t.Fatalf("connections %+v", cs)
	}
	if _, err := e.flow.Client.Accounts(ctx, cs[0].AccessToken); err != nil {
		t.Fatalf("the saved token does not work: %v", err)
	}
}

// An error redirect without state (the user cancelled where the dialog had
// lost the attempt) says so, stores nothing and spends no attempt.
func TestStatelessCancel(t *testing.T) {
	e := newEnv(t)
	cb := e.callback("john", "doe")
	_, err := e.flow.Complete(ctx, "bankdesk://callback?error=access_denied&error_description=User%20cancelled&scope=info%20accounts")
	if !errors.Is(err, ErrCancelled) {
		t.Fatalf("stateless cancel: %v", err)
	}
	_, err = e.flow.Complete(ctx, "bankdesk://callback?error=temporarily_unavailable&error_description=The%20bank%20is%20unavailable")
	var be *BankError
	if !errors.As(err, &be) || be.Description != "The bank is unavailable" || be.Code != "temporarily_unavailable" {
		t.Fatalf("stateless bank error: %v", err)
	}
	if n := e.connections(); n != 0 {
		t.Fatalf("%d connections", n)
	}
	if _, err := e.flow.Complete(ctx, cb); err != nil {
		t.Fatalf("the attempt was spent by a stateless error: %v", err)
	}
}

// Connecting the same bank again (a new TrueLayer credential, with the same
// account ids, or new ones as TrueLayer gives each connection) leaves one
// connection holding each account once, with its history; it takes the
// newer consent and the older one is revoked at TrueLayer.
func TestConnectingTheSameBankTwiceKeepsOneConnection(t *testing.T) {
	for name, perConnection := range map[string]bool{"same account ids": false, "new account ids": true} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			e.sb.SetFaults(sandbox.Faults{AccountIDsPerConnection: perConnection})
			first, history := e.connectJohn()
			old, _ := e.st.Connection(first.ConnectionID)

			second, err := e.flow.Complete(ctx, e.callback("john", "doe"))
			if err != nil {
				t.Fatal(err)
			}
			if n := e.connections(); n != 1 || second.ConnectionID != first.ConnectionID {
				t.Fatalf("%d connections; the second login made %s, the first %s", n, second.ConnectionID, first.ConnectionID)
			}
			accts, _ := e.st.Accounts()
			if len(accts) != 3 || second.Accounts != 2 || second.Cards != 1 {
				t.Fatalf("%d accounts stored, result %+v", len(accts), second)
			}
			for _, a := range accts {
				if a.ConnectionID != first.ConnectionID {
					t.Fatalf("%s is under %s", a.DisplayName, a.ConnectionID)
				}
			}
			if got := e.historyByNumber(first.ConnectionID); !maps.Equal(got, history) {
				t.Fatalf("history by account %v, was %v", got, history)
			}
			if c := e.tookTheNewConsent(first.ConnectionID, old); c.Status != store.StatusActive {
				t.Fatalf("status %s", c.Status)
			}
		})
	}
}

// tookTheNewConsent wants connID to hold a consent other than old's, one
// that works, and old's ended at TrueLayer; it returns the connection.
func (e *env) tookTheNewConsent(connID string, old store.Connection) store.Connection {
	e.t.Helper()
	c, err := e.st.Connection(connID)
	if err != nil {
		e.t.Fatal(err)
	}
	if c.CredentialsID == old.CredentialsID || c.AccessToken == old.AccessToken {
		e.t.Fatalf("the connection kept the older consent: %+v", c)
	}
	if _, err := e.flow.Client.Accounts(ctx, c.AccessToken); err != nil {
		e.t.Fatalf("the newer consent does not work: %v", err)
	}
	if _, err := e.flow.Client.Refresh(ctx, old.RefreshToken); !truelayer.NeedsReconnect(err) {
		e.t.Fatalf("the older consent was not revoked: %v", err)
	}
	return c
}

// A connection TrueLayer refused (reconnect needed), connected again with
// "Connect a bank" rather than "Reconnect": the stored connection comes
// back to life instead of a second one appearing beside it.
func TestConnectingALostConnectionAgainRevivesIt(t *testing.T) {
	e := newIDsPerConnectionEnv(t)
	first, history := e.connectJohn()
	if err := e.st.UpdateConnection(first.ConnectionID, func(c *store.Connection) error {
		c.Status = store.StatusReconnectNeeded
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	link, _ := e.flow.Begin(ctx, "")
	res, err := e.flow.Complete(ctx, e.login(link.URL, "john", "doe"))
	if err != nil {
		t.Fatal(err)
	}
	c, _ := e.st.Connection(first.ConnectionID)
	if e.connections() != 1 || res.ConnectionID != first.ConnectionID || c.Status != store.StatusActive {
		t.Fatalf("%d connections, result %s, stored status %s", e.connections(), res.ConnectionID, c.Status)
	}
	if got := e.historyByNumber(first.ConnectionID); !maps.Equal(got, history) {
		t.Fatalf("history by account %v, was %v", got, history)
	}
}

// The second consent shares more than the first (cards this time): the new
// card joins the connection that holds the accounts, reported as new.
func TestConnectingAgainWithMoreAccountsAddsThemToTheConnection(t *testing.T) {
	e := newIDsPerConnectionEnv(t)
	e.flow.Scopes = []string{"info", "accounts", "balance", "transactions", "offline_access"}
	first, _ := e.connectJohn()
	if first.Cards != 0 || first.Accounts != 2 {
		t.Fatalf("first %+v", first)
	}
	e.flow.Scopes = nil
	res, _ := e.connect()
	accts, _ := e.st.Accounts()
	if e.connections() != 1 || res.ConnectionID != first.ConnectionID || len(accts) != 3 {
		t.Fatalf("%d connections, %d accounts, result %+v", e.connections(), len(accts), res)
	}
	if len(res.Unmatched) != 1 || res.Unmatched[0].Kind != store.KindCard || len(res.Renamed) != 2 || len(res.Missing) != 0 {
		t.Fatalf("unmatched %v renamed %v missing %v", res.Unmatched, res.Renamed, res.Missing)
	}
}

// A reconnect ends the consent it replaces at TrueLayer: a fresh login
// makes a new credential, and the old one would linger in the bank's app.
func TestReconnectRevokesTheOlderConsent(t *testing.T) {
	e := newEnv(t)
	first, _ := e.connectJohn()
	old, _ := e.st.Connection(first.ConnectionID)
	link, _ := e.flow.Reconnect(ctx, first.ConnectionID)
	if _, err := e.flow.Complete(ctx, e.login(link.URL, "john", "doe")); err != nil {
		t.Fatal(err)
	}
	if n := e.connections(); n != 1 {
		t.Fatalf("%d connections", n)
	}
	e.tookTheNewConsent(first.ConnectionID, old)
}
