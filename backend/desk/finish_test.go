package desk

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"bankdesk/backend/config"
	"bankdesk/backend/sandbox"
	"bankdesk/backend/store"
	"bankdesk/backend/syncer"
)

func openWithSandbox(t *testing.T) (*Desk, *sandbox.Server) {
	t.Helper()
	sb, err := sandbox.Start(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	cfg, err := config.FromEnv(func(k string) string {
		return map[string]string{
			"BANKDESK_AUTH_URL": sb.AuthURL(), "BANKDESK_API_URL": sb.APIURL(),
			"BANKDESK_CLIENT_ID": sandbox.ClientID, "BANKDESK_CLIENT_SECRET": sandbox.ClientSecret,
			"BANKDESK_DATA_DIR": t.TempDir(), "BANKDESK_KEYRING": "file", "BANKDESK_PASSPHRASE": "desk finish test",
		}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	d, err := Open(Options{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
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
	link, _ := d.Flow().Begin(ctx, "mock")
	cb, err := sandbox.Login(ctx, nil, link.URL, "john", "doe")
	if err != nil {
		t.Fatal(err)
	}
	res, err := d.Flow().Complete(ctx, cb)
	if err != nil {
		t.Fatalf("complete: %v", err)
	}
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
	if len(messages) != 1 || !strings.Contains(messages[0], "Finished connecting Mock: 2 account(s) and 1 card(s)") {
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
	connectAs := func(user string) string {
		link, _ := d.Flow().Begin(ctx, "mock")
		cb, err := sandbox.Login(ctx, nil, link.URL, user, "doe")
		if err != nil {
			t.Fatal(err)
		}
		res, err := d.Flow().Complete(ctx, cb)
		if err != nil {
			t.Fatalf("complete %s: %v", user, err)
		}
		return res.ConnectionID
	}
	connectAs("john")
	sb.SetFaults(sandbox.Faults{ServerErrors: 3, Path: "/data/v1/me"})
	unfinished := connectAs("john1")

	sb.SetFaults(sandbox.Faults{ServerErrors: 3, Path: "/data/v1/me"}) // still down at the first sync
	reports, err := d.SyncAll(ctx, true, nil)
	if err != nil || len(reports) != 2 {
		t.Fatalf("sync all: %v %+v", err, reports)
	}
	for _, r := range reports {
		if r.ConnectionID == unfinished {
			if r.Err == nil || !strings.Contains(r.Err.Error(), "next sync tries again") || strings.Contains(r.Err.Error(), "truelayer") {
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
	login := func() string {
		link, _ := d.Flow().Begin(ctx, "mock")
		cb, err := sandbox.Login(ctx, nil, link.URL, "john", "doe")
		if err != nil {
			t.Fatal(err)
		}
		return cb
	}
	first, err := d.Flow().Complete(ctx, login())
	if err != nil {
		t.Fatal(err)
	}
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
	second, err := d.Flow().Complete(ctx, login())
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
