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

	"bankdesk/backend/store"
	"bankdesk/backend/truelayer"
)

// RefreshMargin is how long before its expiry an access token is replaced,
// so that it cannot lapse during the calls made with it.
const RefreshMargin = 2 * time.Minute

// defaultLifetime is assumed when the token endpoint sends no expires_in
// (TrueLayer's documented default).
const defaultLifetime = time.Hour

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
	unlock := k.lock(connID)
	defer unlock()
	c, err := k.usable(connID)
	if err != nil {
		return "", err
	}
	if c.AccessToken != "" && (c.AccessTokenExpiry.IsZero() || c.AccessTokenExpiry.Sub(k.now()) > RefreshMargin) {
		return c.AccessToken, nil
	}
	return k.refresh(ctx, c)
}

// Refresh replaces the access token whatever its expiry, for a call that was
// answered 401: the bank may end a token early.
func (k *Keeper) Refresh(ctx context.Context, connID string) (string, error) {
	unlock := k.lock(connID)
	defer unlock()
	c, err := k.usable(connID)
	if err != nil {
		return "", err
	}
	return k.refresh(ctx, c)
}

// Replace returns an access token other than rejected, which a call was
// just refused with (401): the stored one if another caller has refreshed
// meanwhile, else a new one. Syncing several accounts at once, each of them
// may see the same token refused; only the first refreshes.
func (k *Keeper) Replace(ctx context.Context, connID, rejected string) (string, error) {
	unlock := k.lock(connID)
	defer unlock()
	c, err := k.usable(connID)
	if err != nil {
		return "", err
	}
	if c.AccessToken != "" && c.AccessToken != rejected {
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
	// x/oauth2 dates the expiry by the wall clock; restate the lifetime on
	// the Keeper's clock, which is what Access compares with.
	lifetime := defaultLifetime
	if !tok.Expiry.IsZero() {
		lifetime = time.Until(tok.Expiry).Round(time.Second)
	}
	// The old refresh token is already spent at TrueLayer: this write is
	// what keeps the connection alive, so it happens before anything else.
	// It edits only the token fields inside one store transaction, so a
	// concurrent writer (an extend, a status change) is not overwritten
	// with the copy read before the network call.
	err = k.Store.UpdateConnection(c.ID, func(cur *store.Connection) error {
		cur.AccessToken = tok.AccessToken
		cur.AccessTokenExpiry = now.Add(lifetime)
		cur.RefreshToken = tok.RefreshToken // Client.Refresh keeps the old one if none came back
		if len(tok.Scopes) > 0 {
			cur.Scopes = tok.Scopes
		}
		cur.LastRefreshAt = now
		cur.UpdatedAt = now
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

func (k *Keeper) now() time.Time {
	if k.Now != nil {
		return k.Now()
	}
	return time.Now()
}
