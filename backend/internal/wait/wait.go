// Package wait is the one owner of how Bankdesk waits between tries: an
// exponential schedule, the jitter that keeps clients that failed together
// from retrying together, and a sleep that ends with its context. The
// policies around it (how many tries, what a Retry-After asks, how long in
// all) stay with their callers: syncer's retries and truelayer's async
// polls.
package wait

import (
	"context"
	"math/rand/v2"
	"time"
)

// Sleep waits for d, or until ctx ends, and then returns ctx.Err().
// Callers take it as their default for an injectable
// `func(context.Context, time.Duration) error`, which tests replace.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Exponential is the wait before try number n (1-based; n below 1 counts
// as 1) without jitter: base, doubling each time, never above max.
func Exponential(base, max time.Duration, n int) time.Duration {
	d := base
	for i := 1; i < n && d < max; i++ {
		d *= 2
	}
	return min(d, max)
}

// Backoff is Exponential spread by Jitter.
func Backoff(base, max time.Duration, n int) time.Duration {
	return Jitter(Exponential(base, max, n))
}

// Jitter spreads d uniformly over [d/2, d], so that many clients waiting
// out the same outage do not stay in step.
func Jitter(d time.Duration) time.Duration {
	if d <= 1 {
		return d
	}
	half := d / 2
	return half + rand.N(d-half+1)
}
