package syncer

import (
	"context"
	"errors"
	"testing"
)

// Accounts waiting for their turn when the caller gives up are not started,
// and say so: their report carries the context's error, not a silent
// success.
func TestCancelledSyncReportsTheAccountsNotStarted(t *testing.T) {
	e := newEnv(t, envOptions{years: 1})
	e.mustSync(Attended)
	e.opts.AccountsAtOnce = 1
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	running := ""
	rep, err := e.engine().Sync(cctx, e.connID, Attended, func(p Progress) {
		if running == "" && p.Phase != PhaseDone {
			running = p.AccountID
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Sync = %v, want cancelled", err)
	}
	if running == "" || len(rep.Accounts) != 3 {
		t.Fatalf("first account %q, %d accounts reported", running, len(rep.Accounts))
	}
	for _, a := range rep.Accounts {
		if a.AccountID != running && !errors.Is(a.Err, context.Canceled) {
			t.Errorf("%s, not started: error %v, want the cancellation", a.Name, a.Err)
		}
	}
}
