package connect

import (
	"strings"
	"testing"
	"time"

	"bankdesk/backend/sandbox"
	"bankdesk/backend/store"
)

// plain fails when a sentence meant for the user reads like an error chain.
func plain(t *testing.T, what string, sentences []string) {
	t.Helper()
	for _, s := range sentences {
		for _, bad := range []string{"truelayer", "GET ", "503", "temporarily_unavailable", "/data/v1", ": %!"} {
			if strings.Contains(s, bad) {
				t.Errorf("%s is not a plain sentence (%q): %s", what, bad, s)
			}
		}
	}
}

// /me failing past Complete's retries: the connection is saved unfinished,
// the user is told in a sentence, and Finish (the next sync) completes it.
func TestUnfinishedConnectionFinishesLater(t *testing.T) {
	e := newEnv(t)
	e.sb.SetFaults(sandbox.Faults{ServerErrors: 3, Path: "/data/v1/me"})
	res, err := e.flow.Complete(ctx, e.callback("john", "doe"))
	if err != nil || !res.Unfinished || len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "next sync") {
		t.Fatalf("complete: %+v %v", res, err)
	}
	plain(t, "the unfinished note", res.Notes)
	if f := e.sb.Faults(); f.ServerErrors != 0 {
		t.Fatalf("/me was not retried: %+v", f)
	}
	c, _ := e.st.Connection(res.ConnectionID)
	if !c.Unfinished || c.AccessToken == "" || c.ProviderID != "mock" || c.Status != store.StatusActive {
		t.Fatalf("stored %+v", c)
	}
	if accts, _ := e.st.AccountsOf(c.ID); len(accts) != 0 {
		t.Fatalf("accounts before finishing: %v", accts)
	}

	done, err := e.flow.Finish(ctx, c.ID, c.AccessToken)
	if err != nil || done.Unfinished || done.ConnectionID != c.ID || done.Accounts != 2 || done.Cards != 1 || done.ProviderName != "Mock" {
		t.Fatalf("finish: %+v %v", done, err)
	}
	c, _ = e.st.Connection(c.ID)
	if c.Unfinished || c.CredentialsID == "" || c.ProviderName != "Mock" {
		t.Fatalf("finished %+v", c)
	}
	if accts, _ := e.st.AccountsOf(c.ID); len(accts) != 3 {
		t.Fatalf("%d accounts after finishing", len(accts))
	}
	if again, err := e.flow.Finish(ctx, c.ID, c.AccessToken); err != nil || again.ConnectionID != c.ID || e.connections() != 1 {
		t.Fatalf("finishing a finished connection: %+v %v", again, err)
	}
}

// A failing account listing right after the exchange used to leave a
// connection without its accounts for good (no later sync lists them):
// now it is unfinished, and finishing lists them.
func TestAccountListingFailureFinishesLater(t *testing.T) {
	e := newEnv(t)
	e.sb.SetFaults(sandbox.Faults{ServerErrors: 1, Path: "/data/v1/accounts"})
	res, err := e.flow.Complete(ctx, e.callback("john", "doe"))
	if err != nil || !res.Unfinished {
		t.Fatalf("complete: %+v %v", res, err)
	}
	c, _ := e.st.Connection(res.ConnectionID)
	if c.CredentialsID == "" || c.ProviderName != "Mock" {
		t.Fatalf("what /me said was not kept: %+v", c)
	}
	done, err := e.flow.Finish(ctx, c.ID, c.AccessToken)
	if err != nil || done.Accounts != 2 || done.Cards != 1 {
		t.Fatalf("finish: %+v %v", done, err)
	}
}

// A reconnect whose /me fails: the stored connection keeps its consent
// until finishing hands it the new one (and revokes the old).
func TestUnfinishedReconnectFinishesIntoItsConnection(t *testing.T) {
	e := newEnv(t)
	first, _ := e.connectJohn()
	old, _ := e.st.Connection(first.ConnectionID)
	e.sb.SetFaults(sandbox.Faults{ServerErrors: 3, Path: "/data/v1/me"})
	link, _ := e.flow.Reconnect(ctx, first.ConnectionID)
	res, err := e.flow.Complete(ctx, e.login(link.URL, "john", "doe"))
	if err != nil || !res.Unfinished || res.ConnectionID == first.ConnectionID || res.ProviderName != "Mock" {
		t.Fatalf("complete: %+v %v", res, err)
	}
	if c, _ := e.st.Connection(first.ConnectionID); c.RefreshToken != old.RefreshToken {
		t.Fatal("the stored connection lost its consent before the new one was finished")
	}
	p, _ := e.st.Connection(res.ConnectionID)
	done, err := e.flow.Finish(ctx, p.ID, p.AccessToken)
	if err != nil || done.ConnectionID != first.ConnectionID || done.Existing || !done.RevokedOld {
		t.Fatalf("finish: %+v %v", done, err)
	}
	if n := e.connections(); n != 1 {
		t.Fatalf("%d connections", n)
	}
	if c := e.tookTheNewConsent(first.ConnectionID, old); c.AccessToken != p.AccessToken || c.Unfinished {
		t.Fatalf("renewed %+v", c)
	}
}

// What connecting the same bank again did is told in sentences.
func TestConnectingTwiceTellsTheUser(t *testing.T) {
	e := newIDsPerConnectionEnv(t)
	first, _ := e.connectJohn()
	res, err := e.flow.Complete(ctx, e.callback("john", "doe"))
	if err != nil || !res.Existing || !res.RevokedOld || res.RevokeFailed || res.ConnectionID != first.ConnectionID {
		t.Fatalf("%+v %v", res, err)
	}
	all := strings.Join(res.Notes, " ")
	if !strings.Contains(all, "Mock was already connected") || !strings.Contains(all, "ended at TrueLayer") || !strings.Contains(all, "new ids for 3 accounts") {
		t.Fatalf("notes %q", res.Notes)
	}
	plain(t, "notes", res.Notes)
}

// Accounts another live connection holds stay there, said so; the rest
// join the connection holding most of them. Every account is stored once.
func TestAnAccountOfAnotherLiveConnectionStaysThere(t *testing.T) {
	e, a, card := cardOfItsOwn(t, store.StatusActive)

	res, err := e.flow.Complete(ctx, e.callback("john", "doe"))
	if err != nil || res.ConnectionID != a.ConnectionID || len(res.Elsewhere) != 1 || res.Elsewhere[0].ID != card.ID || res.Cards != 0 {
		t.Fatalf("%+v %v", res, err)
	}
	if !strings.Contains(strings.Join(res.Notes, " "), "stays with your other Mock connection") {
		t.Fatalf("notes %q", res.Notes)
	}
	accts, _ := e.st.Accounts()
	if len(accts) != 3 || e.connections() != 2 {
		t.Fatalf("%d accounts, %d connections", len(accts), e.connections())
	}
	if got, _ := e.st.Account(card.ID); got.ConnectionID != card.ConnectionID {
		t.Fatalf("the card moved to %s", got.ConnectionID)
	}
}

// Accounts of a connection whose consent TrueLayer refused move to the
// connection that can sync them; the emptied one is removed.
func TestAccountsOfALostConnectionMoveAndItGoes(t *testing.T) {
	e, a, card := cardOfItsOwn(t, store.StatusReconnectNeeded)

	res, err := e.flow.Complete(ctx, e.callback("john", "doe"))
	if err != nil || res.ConnectionID != a.ConnectionID || len(res.Moved) != 1 || len(res.Removed) != 1 || res.Removed[0] != card.ConnectionID || res.Cards != 1 {
		t.Fatalf("%+v %v", res, err)
	}
	accts, _ := e.st.Accounts()
	if len(accts) != 3 || e.connections() != 1 {
		t.Fatalf("%d accounts, %d connections", len(accts), e.connections())
	}
	for _, acc := range accts {
		if acc.ConnectionID != a.ConnectionID {
			t.Fatalf("%s is under %s", acc.DisplayName, acc.ConnectionID)
		}
	}
	if n := e.historyByNumber(a.ConnectionID)[card.PartialCardNumber]; n == 0 {
		t.Fatal("the card's history did not move with it")
	}
}

// newIDsPerConnectionEnv is newEnv at a bank that issues new account ids
// for every connection, as some do: connecting again must match accounts
// by their numbers.
func newIDsPerConnectionEnv(t *testing.T) *env {
	t.Helper()
	e := newEnv(t)
	e.sb.SetFaults(sandbox.Faults{AccountIDsPerConnection: true})
	return e
}

// cardOfItsOwn connects john at such a bank and moves his card to a
// connection of its own with status: the start of the tests where
// connecting again meets an account another connection holds.
func cardOfItsOwn(t *testing.T, status string) (*env, Result, store.Account) {
	t.Helper()
	e := newIDsPerConnectionEnv(t)
	first, _ := e.connectJohn()
	return e, first, e.moveCardToNewConnection(first.ConnectionID, status)
}

// moveCardToNewConnection puts connID's card under a connection of its own
// with the given status, as if it had been connected separately.
func (e *env) moveCardToNewConnection(connID, status string) store.Account {
	e.t.Helper()
	var card store.Account
	accts, _ := e.st.AccountsOf(connID)
	for _, acc := range accts {
		if acc.Kind == store.KindCard {
			card = acc
		}
	}
	c, _ := e.st.Connection(connID)
	c.ID, c.Status, c.CreatedAt = store.NewConnectionID(), status, c.CreatedAt.Add(time.Second)
	if err := e.st.PutConnection(c); err != nil {
		e.t.Fatal(err)
	}
	card.ConnectionID = ""
	if err := e.st.PutAccounts(c.ID, []store.Account{card}); err != nil {
		e.t.Fatal(err)
	}
	card.ConnectionID = c.ID
	return card
}

// A consent that shares no account or card leaves nothing behind: no
// empty connection, and the consent is ended again.
func TestAConsentWithoutAccountsConnectsNothing(t *testing.T) {
	e := newEnv(t)
	e.flow.Scopes = []string{"info", "offline_access"}
	e.refuses(e.callback("john", "doe"), ErrNoAccounts, 0)
}

// A bank that refuses the new consent outright (wrong_credentials on every
// call) is told at once; nothing is kept waiting for a sync that would
// fail the same way.
func TestAConsentRefusedRightAwayIsNotKept(t *testing.T) {
	e := newEnv(t)
	e.refuses(e.callback("error.wrong_credentials", "error"), ErrRefused, 0, "no longer valid")
	// A transient failure of the same kind is kept for the next sync.
	res, err := e.flow.Complete(ctx, e.callback("error.provider_error", "error"))
	if err != nil || !res.Unfinished || e.connections() != 1 {
		t.Fatalf("provider_error: %+v %v", res, err)
	}
}
