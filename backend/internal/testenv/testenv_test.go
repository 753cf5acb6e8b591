package testenv

import (
	"context"
	"testing"

	"bankdesk/backend/store"
	"bankdesk/backend/syncer"
)

// Connected is a backend whose parts share one store, client and keeper,
// with the user connected through the real flow: it syncs and its consent
// is active.
func TestConnectedIsOneWiredBackend(t *testing.T) {
	e := Connected(t, Options{User: "john", Pass: "doe", HistoryYears: 1})
	if e.ConnID == "" {
		t.Fatal("no connection")
	}
	if e.Consent.Tokens != e.Tokens || e.Consent.Flow != e.Flow || e.Flow.Store != e.Store || e.Flow.Client != e.Client {
		t.Fatal("the services do not share one keeper, flow, store and client")
	}
	rep, err := e.Syncer.Sync(context.Background(), e.ConnID, syncer.Attended, nil)
	if err != nil || !rep.OK() || len(rep.Accounts) != 3 {
		t.Fatalf("sync: %v %+v", err, rep)
	}
	c, err := e.Store.Connection(e.ConnID)
	if err != nil || c.Status != store.StatusActive {
		t.Fatalf("connection %+v %v", c, err)
	}
	if !e.Clock.Now().Equal(Start) {
		t.Fatalf("clock at %s, want Start", e.Clock.Now())
	}
}
