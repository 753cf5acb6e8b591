// Package tokens keeps each connection's access token fresh: it hands out
// the stored one, refreshes it shortly before it expires, and persists what
// the refresh returns (TrueLayer rotates refresh tokens, so a lost one means
// asking the user to reconnect).
package tokens

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"bankdesk/backend/internal/defaults"
	"bankdesk/backend/store"
	"bankdesk/backend/truelayer"
)

// RefreshMargin is how long before its expiry an access token is replaced,
// so that it cannot lapse during the calls made with it.
const RefreshMargin = 2 * time.Minute

// Apply writes a token grant into c: the answer of a code exchange, a
// refresh or a consent extend, received at now. It is the one place a
// connection takes new tokens.
//
//   - The access token's expiry is its lifetime counted from now, on the
//     caller's clock: the clock Access later compares it with.
//   - A grant without a refresh token keeps the one c holds: TrueLayer
//     sends one "only if the scope offline_access was requested" and may
//     rotate it on a refresh (TokenExchangeResponse in
//     backend/openapi/authentication-server.json); losing a good one
//     would force the user to log in at the bank again.
//   - A grant without scopes keeps c's: the scope field is optional, and
//     the consent did not shrink because an answer left it out.
func Apply(c *store.Connection, tok *truelayer.Token, now time.Time) {
	apply(c, tok.AccessToken, tok.RefreshToken, tok.ExpiresAt(now), tok.Scopes, now)
}

// Move gives c the tokens from holds, by Apply's rules: from is a new
// consent's connection, which took the grant (Apply) before it was known
// which stored connection the consent renews.
func Move(c *store.Connection, from store.Connection, now time.Time) {
	apply(c, from.AccessToken, from.RefreshToken, from.AccessTokenExpiry, from.Scopes, now)
}

func apply(c *store.Connection, access, refresh string, expiry time.Time, scopes []string, now time.Time) {
	c.AccessToken = access
	c.AccessTokenExpiry = expiry
	if refresh != "" {
		c.RefreshToken = refresh
	}
	if len(scopes) > 0 {
		c.Scopes = scopes
	}
	c.LastRefreshAt = now
	c.UpdatedAt = now
}

// ErrReconnectNeeded means the bank consent is gone (expired, revoked, or no
// refresh token was ever issued): only the user going through the bank's
// dialog again can fix it. The connection is marked
// store.StatusReconnectNeeded; its data is kept.
var ErrReconnectNeeded = errors.New("the bank connection has expired or was revoked; reconnect it")

// ErrRevoked means the connection was disconnected in Bankdesk.
var ErrRevoked = errors.New("the bank connection was disconnected")

// Keeper hands out access tokens for stored connections. Use one Keeper per
// store (it is what serialises refreshes) and share it; the zero value with
// Store and Client set is ready to use.
type Keeper struct {
	Store  *store.Store
	Client *truelayer.Client
	Now    func() time.Time // nil means time.Now

	mu    sync.Mutex
	locks map[string]*sync.Mutex // per connection
}

// Access returns the connection's access token, refreshing it first when it
// expires within RefreshMargin (or has no known expiry and none is stored).
func (k *Keeper) Access(ctx context.Context, connID string) (string, error) {
	return k.with(ctx, connID, func(c store.Connection) bool {
		return c.AccessToken != "" && (c.AccessTokenExpiry.IsZero() || c.AccessTokenExpiry.Sub(k.now()) > RefreshMargin)
	})
}

// Refresh replaces the access token whatever its expiry, for a call that was
// answered 401: the bank may end a token early.
func (k *Keeper) Refresh(ctx context.Context, connID string) (string, error) {
	return k.with(ctx, connID, func(store.Connection) bool { return false })
}

// Replace returns an access token other than rejected, which a call was
// just refused with (401): the stored one if another caller has refreshed
// meanwhile, else a new one. Syncing several accounts at once, each of them
// may see the same token refused; only the first refreshes.
func (k *Keeper) Replace(ctx context.Context, connID, rejected string) (string, error) {
	return k.with(ctx, connID, func(c store.Connection) bool {
		return c.AccessToken != "" && c.AccessToken != rejected
	})
}

// with hands out connID's stored access token if keep says it will do,
// else a refreshed one, holding the connection's lock throughout.
func (k *Keeper) with(ctx context.Context, connID string, keep func(store.Connection) bool) (string, error) {
	unlock := k.lock(connID)
	defer unlock()
	c, err := k.usable(connID)
	if err != nil {
		return "", err
	}
	if keep(c) {
		return c.AccessToken, nil
	}
	return k.refresh(ctx, c)
}

// MarkReconnectNeeded records that the consent behind connID is gone, as
// told by a data call (403 access_denied), and returns an error matching
// ErrReconnectNeeded that wraps cause. Nothing but the status changes.
func (k *Keeper) MarkReconnectNeeded(connID string, cause error) error {
	unlock := k.lock(connID)
	defer unlock()
	c, err := k.Store.Connection(connID)
	if err != nil {
		return fmt.Errorf("read connection %s: %w", connID, err)
	}
	return k.markReconnect(c, cause)
}

// Hold makes every other token use of connID (Access, Refresh, Replace,
// MarkReconnectNeeded) wait until release is called. It is for a writer
// that replaces a connection's tokens wholesale (a new consent taking over
// the connection), so that no refresh started on the old tokens writes
// them back over the new ones. Hold one connection at a time, or several
// in a fixed order.
func (k *Keeper) Hold(connID string) (release func()) { return k.lock(connID) }

// lock serialises token work per connection: refresh tokens rotate, so two
// concurrent refreshes would have the second one present a token the first
// had already burnt.
func (k *Keeper) lock(connID string) func() {
	k.mu.Lock()
	if k.locks == nil {
		k.locks = map[string]*sync.Mutex{}
	}
	l := k.locks[connID]
	if l == nil {
		l = new(sync.Mutex)
		k.locks[connID] = l
	}
	k.mu.Unlock()
	l.Lock()
	return l.Unlock
}

// usable reads the connection and refuses one that cannot be used.
func (k *Keeper) usable(connID string) (store.Connection, error) {
	c, err := k.Store.Connection(connID)
	if err != nil {
		return c, fmt.Errorf("read connection %s: %w", connID, err)
	}
	switch c.Status {
	case store.StatusReconnectNeeded:
		return c, fmt.Errorf("connection %s: %w", connID, ErrReconnectNeeded)
	case store.StatusRevoked:
		return c, fmt.Errorf("connection %s: %w", connID, ErrRevoked)
	}
	return c, nil
}

// refresh trades c's refresh token for new tokens and stores them in one
// write. Caller holds c's lock.
func (k *Keeper) refresh(ctx context.Context, c store.Connection) (string, error) {
	if c.RefreshToken == "" {
		// Without offline_access there is nothing to refresh with.
		return "", k.markReconnect(c, errors.New("no refresh token"))
	}
	tok, err := k.Client.Refresh(ctx, c.RefreshToken)
	if truelayer.NeedsReconnect(err) {
		return "", k.markReconnect(c, err)
	}
	if err != nil {
		return "", fmt.Errorf("refresh access token of connection %s: %w", c.ID, err)
	}
	now := k.now()
	// The old refresh token is already spent at TrueLayer: this write is
	// what keeps the connection alive, so it happens before anything else.
	// It edits only the token fields inside one store transaction, so a
	// concurrent writer (an extend, a status change) is not overwritten
	// with the copy read before the network call.
	err = k.Store.UpdateConnection(c.ID, func(cur *store.Connection) error {
		Apply(cur, tok, now)
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("save refreshed tokens of connection %s: %w", c.ID, err)
	}
	return tok.AccessToken, nil
}

func (k *Keeper) markReconnect(c store.Connection, cause error) error {
	if c.Status != store.StatusReconnectNeeded {
		err := k.Store.UpdateConnection(c.ID, func(cur *store.Connection) error {
			cur.Status = store.StatusReconnectNeeded
			cur.UpdatedAt = k.now()
			return nil
		})
		if err != nil {
			return fmt.Errorf("connection %s: %w (%v); saving that failed: %w", c.ID, ErrReconnectNeeded, cause, err)
		}
	}
	return fmt.Errorf("connection %s: %w (%w)", c.ID, ErrReconnectNeeded, cause)
}

func (k *Keeper) now() time.Time { return defaults.Now(k.Now) }
