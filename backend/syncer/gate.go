package syncer

import (
	"context"
	"sync"
	"time"
)

// gate is one connection's limiter, shared by every call of a sync: it
// bounds the calls in flight, and when the bank answers 429 it holds every
// call back for the wait asked, not only the one that got it. Parallel
// windows would otherwise each retry on their own schedule and keep the
// bank saying 429.
type gate struct {
	slots chan struct{}
	sleep func(context.Context, time.Duration) error

	mu     sync.Mutex
	until  time.Time // no call starts before this (wall clock)
	pauses int       // counts pauses, so one waited out can be cleared
}

func newGate(inFlight int, sleep func(context.Context, time.Duration) error) *gate {
	return &gate{slots: make(chan struct{}, max(inFlight, 1)), sleep: sleep}
}

// enter waits for a slot and for any pause to pass; leave gives the slot
// back. A pause waited out is over, also when Sleep is a test's that
// returns at once (no new pause came meanwhile).
func (g *gate) enter(ctx context.Context) error {
	select {
	case g.slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	g.mu.Lock()
	wait, pauses := time.Until(g.until), g.pauses
	g.mu.Unlock()
	if wait > 0 {
		if err := g.sleep(ctx, wait); err != nil {
			g.leave()
			return err
		}
		g.mu.Lock()
		if g.pauses == pauses {
			g.until = time.Time{}
		}
		g.mu.Unlock()
	}
	return nil
}

func (g *gate) leave() { <-g.slots }

// pause holds every call back for d from now (extending, never
// shortening, a pause already set).
func (g *gate) pause(d time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if until := time.Now().Add(d); until.After(g.until) {
		g.until = until
		g.pauses++
	}
}
