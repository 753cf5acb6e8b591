package connect

import (
	"fmt"
	"time"

	"bankdesk/backend/store"
	"bankdesk/backend/truelayer"
)

// Renewal is a stored attempt for a link Bankdesk does not build itself:
// connections/extend is given State, CodeChallenge, RedirectURI and
// ResponseMode, and when TrueLayer answers with a user_input_link the code
// comes back to RedirectURI with State and completes through Complete like
// any other, renewing the connection the attempt names.
type Renewal struct {
	State         string
	CodeChallenge string // PKCE S256 challenge; the verifier stays in the store
	RedirectURI   string
	ResponseMode  string // "" or "form_post", as the Flow's own links
	ExpiresAt     time.Time
}

// BeginRenewal stores an attempt that renews connectionID, exactly as
// Reconnect does, and returns what the other door needs to carry it.
// Abandon it when no code will come back.
func (f *Flow) BeginRenewal(connectionID string) (Renewal, error) {
	c, err := f.Store.Connection(connectionID)
	if err != nil {
		return Renewal{}, fmt.Errorf("renew %s: %w", connectionID, err)
	}
	a, err := f.newAttempt(c.ProviderID, c.ID)
	if err != nil {
		return Renewal{}, err
	}
	return Renewal{
		State:         a.State,
		CodeChallenge: truelayer.S256Challenge(a.Verifier),
		RedirectURI:   a.RedirectURI,
		ResponseMode:  f.ResponseMode,
		ExpiresAt:     a.ExpiresAt,
	}, nil
}

// Abandon deletes the attempt behind state (a renewal that needed no login,
// or failed), so its state cannot be used. An unknown state is ignored.
func (f *Flow) Abandon(state string) {
	if _, err := f.Store.TakeAttempt(state, f.now()); err != nil {
		f.log().Debug("abandon attempt", "err", err)
	}
}

// newAttempt stores a new attempt (state + PKCE verifier) after pruning
// expired ones.
func (f *Flow) newAttempt(providerID, connectionID string) (store.Attempt, error) {
	state, err := randomToken(32) // 256 bits; ≥128 is the floor
	if err != nil {
		return store.Attempt{}, err
	}
	verifier := truelayer.NewVerifier()
	if f.Verifier != nil {
		verifier = f.Verifier()
	}
	now := f.now()
	a := store.Attempt{
		State:        state,
		Verifier:     verifier,
		ProviderID:   providerID,
		RedirectURI:  f.redirectURI(),
		ConnectionID: connectionID,
		CreatedAt:    now,
		ExpiresAt:    now.Add(AttemptTTL),
	}
	if err := f.Store.PruneAttempts(now); err != nil {
		return store.Attempt{}, fmt.Errorf("prune old attempts: %w", err)
	}
	if err := f.Store.PutAttempt(a); err != nil {
		return store.Attempt{}, fmt.Errorf("store attempt: %w", err)
	}
	return a, nil
}
