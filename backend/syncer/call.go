package syncer

import (
	"context"
	"errors"
	"fmt"
	"time"

	"bankdesk/backend/internal/wait"
	"bankdesk/backend/truelayer"
)

// Endpoints, as counted for the PSD2 budget and named in reports.
const (
	epTransactions   = "transactions"
	epPending        = "pending"
	epBalance        = "balance"
	epStandingOrders = "standing_orders"
	epDirectDebits   = "direct_debits"
)

// errBudgetSpent is returned instead of calling an endpoint whose PSD2
// budget for today is spent.
var errBudgetSpent = errors.New("today's PSD2 budget of unattended calls for this endpoint is spent")

// maxRefreshes bounds the token refreshes one call may make on 401s, so a
// bank that refuses every new token ends the call instead of looping.
const maxRefreshes = 2

// fetch is one Data API request made with an access token.
type fetch func(ctx context.Context, accessToken string, opts ...truelayer.CallOption) error

// call makes one Data API request for the account's endpoint ep:
//   - in the background, it first counts the call against today's budget
//     (each attempt, failed ones too: the bank counts them) or refuses with
//     errBudgetSpent;
//   - a 401 refreshes the access token and tries again, up to
//     maxRefreshes times per call (a call that polls and retries can
//     outlive more than one token);
//   - transient failures (429, 5xx, timeouts, truncated bodies) are retried
//     with exponential backoff and jitter, waiting at least what
//     Retry-After asks, within Retry.MaxAttempts and Retry.MaxElapsed.
//
// Other errors come back as they are, for the caller to classify.
func (r *accountRun) call(ctx context.Context, ep string, opts []truelayer.CallOption, do fetch) error {
	o := r.e.o
	opts = append(opts, r.callOptions...)
	var elapsed time.Duration // time spent calling and waiting
	refreshes := 0
	for attempt := 1; ; attempt++ {
		if err := r.spend(ep); err != nil {
			return err
		}
		token, err := o.Tokens.Access(ctx, r.conn.ID)
		if err != nil {
			return err
		}
		if err := r.gate.enter(ctx); err != nil {
			return err
		}
		start := time.Now()
		err = do(ctx, token, opts...)
		elapsed += time.Since(start)
		r.gate.leave()
		switch {
		case err == nil:
			return nil
		case ctx.Err() != nil:
			return ctx.Err()
		case truelayer.IsUnauthorized(err) && refreshes < maxRefreshes:
			// The bank may end a token before its expiry: refresh, and the
			// retry does not use up an attempt.
			refreshes++
			attempt--
			r.log.Info("access token refused; refreshing", "endpoint", ep, "err", err)
			if _, err := o.Tokens.Replace(ctx, r.conn.ID, token); err != nil {
				return err
			}
			continue
		case truelayer.IsRequestLimitExceeded(err) && r.mode == Background:
			// The bank counted more than we did (another app, a restore
			// from backup): today is over for this endpoint.
			r.exhaust(ep)
			return fmt.Errorf("%w (the bank says so: %w)", errBudgetSpent, err)
		case !truelayer.IsRetryable(err):
			return err
		case attempt >= o.Retry.MaxAttempts:
			return fmt.Errorf("gave up after %d attempts: %w", attempt, err)
		}
		delay := wait.Backoff(o.Retry.BaseDelay, o.Retry.MaxDelay, attempt)
		if ra, ok := truelayer.RetryAfter(err); ok && ra > delay {
			delay = ra
		}
		if elapsed+delay > o.Retry.MaxElapsed {
			return fmt.Errorf("gave up after %d attempts in %s (next try would wait %s): %w",
				attempt, elapsed.Round(time.Millisecond), delay, err)
		}
		r.log.Info("retrying", "endpoint", ep, "attempt", attempt, "wait", delay, "err", err)
		elapsed += delay
		if truelayer.IsRateLimited(err) {
			// The bank is overloaded by this connection's calls: all of them
			// wait (in gate.enter), not just this one.
			r.gate.pause(delay)
			continue
		}
		if err := o.Sleep(ctx, delay); err != nil {
			return err
		}
	}
}

// spend counts a background call to ep against today's budget, persisting
// the count before the call is made (a crash may then overcount, never
// undercount). Attended calls carry X-PSU-IP and are not limited.
func (r *accountRun) spend(ep string) error {
	if r.mode != Background {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	c := r.cp.Calls[ep]
	if c.Day != r.todayKey {
		c = dayCount{Day: r.todayKey}
	}
	if c.N >= UnattendedCallsPerDay {
		return errBudgetSpent
	}
	c.N++
	if r.cp.Calls == nil {
		r.cp.Calls = map[string]dayCount{}
	}
	r.cp.Calls[ep] = c
	return r.saveLocked()
}

// exhaust marks ep's budget for today as spent.
func (r *accountRun) exhaust(ep string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cp.Calls == nil {
		r.cp.Calls = map[string]dayCount{}
	}
	r.cp.Calls[ep] = dayCount{Day: r.todayKey, N: UnattendedCallsPerDay}
	if err := r.saveLocked(); err != nil {
		r.log.Warn("could not record the spent budget", "endpoint", ep, "err", err)
	}
}
