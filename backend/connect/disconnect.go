package connect

import (
	"context"
	"fmt"
	"time"

	"bankdesk/backend/truelayer"
)

// RevokeFailedError says the tokens are gone from this computer but TrueLayer
// could not be told; the consent then lapses on its own.
type RevokeFailedError struct{ Err error }

func (e *RevokeFailedError) Error() string {
	return fmt.Sprintf("removed from this computer, but revoking at TrueLayer failed: %v (the consent lapses by itself; you can also revoke it in your bank's app)", e.Err)
}
func (e *RevokeFailedError) Unwrap() error { return e.Err }

// Disconnect revokes the connection at TrueLayer and deletes its tokens;
// with keepData its accounts and transactions stay for offline reading.
// Local removal happens even when TrueLayer cannot be reached.
func (f *Flow) Disconnect(ctx context.Context, connectionID string, keepData bool) error {
	c, err := f.Store.Connection(connectionID)
	if err != nil {
		return fmt.Errorf("disconnect %s: %w", connectionID, err)
	}
	revokeErr := f.revoke(ctx, c.AccessToken, c.AccessTokenExpiry, c.RefreshToken)
	if err := f.Store.DeleteConnection(connectionID, keepData); err != nil {
		return fmt.Errorf("disconnect %s: %w", connectionID, err)
	}
	f.log().Info("bank disconnected", "connection", connectionID, "keep_data", keepData)
	if revokeErr != nil {
		return &RevokeFailedError{Err: revokeErr}
	}
	return nil
}

// revoke needs a live access token; a dead refresh token means TrueLayer has
// already ended the connection, which is what the user wants.
func (f *Flow) revoke(ctx context.Context, at string, expiry time.Time, rt string) error {
	if at == "" || !expiry.After(f.now().Add(30*time.Second)) {
		if rt == "" {
			return nil
		}
		tok, err := f.Client.Refresh(ctx, rt)
		if truelayer.NeedsReconnect(err) {
			return nil
		}
		if err != nil {
			return err
		}
		at = tok.AccessToken
	}
	err := f.Client.Revoke(ctx, at)
	if truelayer.NeedsReconnect(err) {
		return nil
	}
	return err
}
