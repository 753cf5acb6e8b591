package desk

import (
	"context"
	"testing"

	"bankdesk/backend/connect"
	"bankdesk/backend/sandbox"
	"bankdesk/backend/store"
)

// The built-in sandbox keeps what it issued across restarts: a connection
// made before two restarts still syncs (its old access token is refused
// and the kept refresh token renews it) and its consent extends, with no
// reconnect. Before, the in-process sandbox forgot every token when the
// app quit, and a new user's first restart showed "reconnect".
func TestTheBuiltinSandboxRemembersItsConnections(t *testing.T) {
	cfg := fileVaultConfig(t, nil)
	ctx := context.Background()
	d := openDesk(t, Options{Config: cfg})
	res := connectJohn(t, d)
	_ = d.Close()

	for restart := 1; restart <= 2; restart++ {
		d = openDesk(t, Options{Config: cfg})
		rep, err := d.Sync(ctx, res.ConnectionID, true, nil)
		if err != nil || !rep.OK() {
			t.Fatalf("restart %d: sync %v %+v", restart, err, rep)
		}
		c, err := d.Store().Connection(res.ConnectionID)
		if err != nil || c.Status != store.StatusActive {
			t.Fatalf("restart %d: connection %s %v", restart, c.Status, err)
		}
		out, err := d.Extend(ctx, res.ConnectionID, store.User{Name: "John Doe", Email: "john@doe.com"})
		if err != nil || !out.Extended {
			t.Fatalf("restart %d: extend %+v %v", restart, out, err)
		}
		_ = d.Close()
	}
}

// connectJohn connects john at the built-in sandbox's Mock bank through
// d's login and syncs his history.
func connectJohn(t *testing.T, d *Desk) connect.Result {
	t.Helper()
	ctx := context.Background()
	link, err := d.BeginLogin(ctx, "mock", false)
	if err != nil {
		t.Fatal(err)
	}
	cb, err := sandbox.Login(ctx, nil, link.URL, "john", "eternal")
	if err != nil {
		t.Fatal(err)
	}
	res, err := d.Complete(ctx, cb, false)
	if err != nil {
		t.Fatal(err)
	}
	if rep, err := d.Sync(ctx, res.ConnectionID, true, nil); err != nil || !rep.OK() {
		t.Fatalf("first sync: %v %+v", err, rep)
	}
	return res
}
