// Package testclock is the injectable clock tests give the sandbox and the
// engines: it stands still until told to move.
package testclock

import (
	"context"
	"sync"
	"time"
)

// Clock is safe for concurrent use.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// New returns a clock stopped at t.
func New(t time.Time) *Clock { return &Clock{now: t} }

// Now is the clock's time; pass c.Now as a `func() time.Time`.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Add moves the clock forward by d.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// Sleep moves the clock forward by d and returns at once, or returns
// ctx.Err() without moving it if ctx has ended; pass c.Sleep where a
// `func(context.Context, time.Duration) error` is injected, so that waits
// cost no time and still pass on the clock.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.Add(d)
	return nil
}
