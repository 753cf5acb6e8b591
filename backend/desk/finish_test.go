package desk

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"bankdesk/backend/connect"
	"bankdesk/backend/internal/testenv"
	"bankdesk/backend/problem"
	"bankdesk/backend/sandbox"
	"bankdesk/backend/store"
	"bankdesk/backend/syncer"
	"bankdesk/backend/tokens"
)

// openWithSandbox is a desk on a fresh sandbox (on the real clock).
func openWithSandbox(t *testing.T) (*Desk, *sandbox.Server) {
	t.Helper()
	sb := testenv.Sandbox(t, nil)
	d := openDesk(t, Options{Config: sandboxConfig(t, sb, nil)})
	d.Flow().MeRetryWaits = []time.Duration{time.Millisecond, time.Millisecond} // no need to wait in tests
	return d, sb
}

// The bank's /me keeps failing right after the login: the connection is
// saved all the same, and the next sync (Sync, as the app and
// `bankdesk sync --connection` run it) reads its details and accounts
// first, then syncs them.
func TestSyncFinishesAConnectionSavedUnfinished(t *testing.T) {
	d, sb := openWithSandbox(t)
	ctx := context.Background()
	sb.SetFaults(sandbox.Faults{ServerErrors: 3, Path: "/data/v1/me"})
	res := testenv.Connect(t, d.Flow(), "john", "doe")
	if accts, _ := d.Accounts(); len(accts) != 0 {
		t.Fatalf("%d accounts before the bank answered", len(accts))
	}
	var messages []string
	rep, err := d.Sync(ctx, res.ConnectionID, true, func(p syncer.Progress) {
		if p.Phase == "connect" {
			messages = append(messages, p.Message)
		}
	})
	if err != nil || !rep.OK() || len(rep.Accounts) != 3 || rep.ConnectionID != res.ConnectionID {
		t.Fatalf("sync: %v %+v", err, rep)
	}
	if len(messages) != 1 || !strings.Contains(messages[0], "Finished connecting Mock: 2 accounts and 1 card") {
		t.Fatalf("progress messages %q", messages)
	}
	accts, _ := d.Accounts()
	if len(accts) != 3 || accts[0].LastSyncedAt == "" {
		t.Fatalf("accounts after the sync: %+v", accts)
	}
}

// SyncAll (`bankdesk sync`, the app's background sync) does the same, and
// a bank that still does not answer is a plain sentence on that
// connection's report, with the rest synced.
func TestSyncAllFinishesUnfinishedConnections(t *testing.T) {
	d, sb := openWithSandbox(t)
	ctx := context.Background()
	testenv.Connect(t, d.Flow(), "john", "doe")
	sb.SetFaults(sandbox.Faults{ServerErrors: 3, Path: "/data/v1/me"})
	unfinished := testenv.Connect(t, d.Flow(), "john1", "doe").ConnectionID

	sb.SetFaults(sandbox.Faults{ServerErrors: 3, Path: "/data/v1/me"}) // still down at the first sync
	reports, err := d.SyncAll(ctx, true, nil)
	if err != nil || len(reports) != 2 {
		t.Fatalf("sync all: %v %+v", err, reports)
	}
	for _, r := range reports {
		if r.ConnectionID == unfinished {
			// The error keeps its cause for Details; the screen's sentence (problem) has none of it.
			if !errors.Is(r.Err, connect.ErrUnfinished) || strings.Contains(problem.Of(r.Err).Message, "truelayer") {
				t.Fatalf("report of the unfinished connection: %v", r.Err)
			}
		} else if !r.OK() || len(r.Accounts) != 3 {
			t.Fatalf("the other connection: %+v", r)
		}
	}

	reports, err = d.SyncAll(ctx, true, nil)
	if err != nil || len(reports) != 2 {
		t.Fatalf("second sync all: %v %+v", err, reports)
	}
	for _, r := range reports {
		if !r.OK() || len(r.Accounts) != 3 {
			t.Fatalf("second sync: %+v", r)
		}
	}
}

// The same bank connected again while the first connection's backfill is
// still running: the sync is stopped before the new consent takes over and
// the old one is revoked, so it cannot see the revocation and mark the
// renewed connection as needing a reconnect.
func TestTakeoverStopsTheRunningSyncFirst(t *testing.T) {
	d, sb := openWithSandbox(t)
	ctx := context.Background()
	first := testenv.Connect(t, d.Flow(), "john", "doe")
	sb.SetFaults(sandbox.Faults{DelayMS: 20}) // a slow bank: the backfill takes a while
	started := make(chan struct{})
	var once sync.Once
	type outcome struct {
		rep syncer.Report
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		rep, err := d.Sync(ctx, first.ConnectionID, true, func(p syncer.Progress) {
			if p.Phase == syncer.PhaseBackfill {
				once.Do(func() { close(started) })
			}
		})
		done <- outcome{rep, err}
	}()
	<-started
	second, err := d.Flow().Complete(ctx, testenv.Callback(t, d.Flow(), "john", "doe"))
	if err != nil || second.ConnectionID != first.ConnectionID || !second.RevokedOld {
		t.Fatalf("second login: %+v %v", second, err)
	}
	if o := <-done; !errors.Is(o.err, syncer.ErrInProgress) {
		t.Fatalf("the sync under way: %v %+v", o.err, o.rep)
	}
	c, err := d.Store().Connection(first.ConnectionID)
	if err != nil || c.Status != store.StatusActive {
		t.Fatalf("after the takeover: status %q, %v", c.Status, err)
	}
	sb.SetFaults(sandbox.Faults{})
	if rep, err := d.Sync(ctx, first.ConnectionID, true, nil); err != nil || !rep.OK() {
		t.Fatalf("sync with the new consent: %v %+v", err, rep)
	}
	// A call refused with the revoked token would have cut history short.
	accts, _ := d.Accounts()
	for _, a := range accts {
		if a.HistoryLimited {
			t.Errorf("%s: history limited since %s", a.DisplayName, a.HistoryFrom)
		}
	}
}

// SyncAll covers every connection and reports each; one needing a
// reconnect does not stop the others.
func TestSyncAllReportsEveryConnection(t *testing.T) {
	d, _ := syncedDesk(t)
	dead := store.Connection{ID: "dead-connection", ProviderID: "mock", Status: store.StatusReconnectNeeded}
	if err := d.Store().PutConnection(dead); err != nil {
		t.Fatal(err)
	}
	reports, err := d.SyncAll(context.Background(), true, nil)
	if err != nil || len(reports) != 2 {
		t.Fatalf("SyncAll: %d reports, %v", len(reports), err)
	}
	for _, r := range reports {
		if r.ConnectionID == dead.ID {
			if !errors.Is(r.Err, tokens.ErrReconnectNeeded) {
				t.Errorf("the dead connection: %v", r.Err)
			}
		} else if !r.OK() {
			t.Errorf("the live connection: %+v", r)
		}
	}
}
