package store

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"go.etcd.io/bbolt"
)

// Attempt is an auth flow in progress: created when Bankdesk opens the
// bank's consent page, taken (once) when the redirect comes back.
type Attempt struct {
	// State is the OAuth state. It is never written to the file: the record
	// is named hex(SHA-256(state)), because state travels in URLs and logs.
	State       string `json:"-"`
	Verifier    string `json:"verifier,omitempty"` // PKCE code verifier
	ProviderID  string `json:"provider_id,omitempty"`
	RedirectURI string `json:"redirect_uri,omitempty"`
	// ConnectionID is set when re-authenticating an existing connection.
	ConnectionID string    `json:"connection_id,omitempty"`
	CreatedAt    time.Time `json:"created_at,omitzero"`
	ExpiresAt    time.Time `json:"expires_at"`
}

func attemptKey(state string) []byte {
	sum := sha256.Sum256([]byte(state))
	return []byte(hex.EncodeToString(sum[:]))
}

// PutAttempt stores an auth attempt under its state. State and ExpiresAt are
// required.
func (s *Store) PutAttempt(a Attempt) error {
	if a.State == "" {
		return fmt.Errorf("%w: auth attempt without state", ErrInvalid)
	}
	if a.ExpiresAt.IsZero() {
		return fmt.Errorf("%w: auth attempt without expiry", ErrInvalid)
	}
	a.CreatedAt = utc(a.CreatedAt)
	a.ExpiresAt = utc(a.ExpiresAt)
	key := attemptKey(a.State)
	return s.updateIn(bucketAttempts, func(_ *bbolt.Tx, b *bbolt.Bucket) error {
		return s.putJSON(b, bucketAttempts, key, a)
	})
}

// TakeAttempt reads and deletes the attempt for state in one transaction,
// so a state works once: a replay gets ErrNotFound. An attempt expired at
// now is deleted too and gives ErrAttemptExpired; so does one that cannot be
// unsealed (with the sealer's error): no path leaves it usable.
func (s *Store) TakeAttempt(state string, now time.Time) (Attempt, error) {
	key := attemptKey(state)
	var a Attempt
	var takeErr error // returned after commit: the delete must stick
	err := s.updateIn(bucketAttempts, func(_ *bbolt.Tx, b *bbolt.Bucket) error {
		found, err := s.getJSONIn(b, bucketAttempts, key, &a)
		if !found {
			takeErr = fmt.Errorf("%w: auth attempt", ErrNotFound)
			return nil
		}
		takeErr = err
		if err := s.del(b, bucketAttempts, key); err != nil {
			return fmt.Errorf("store: delete auth attempt: %w", err)
		}
		if takeErr == nil && !now.Before(a.ExpiresAt) {
			takeErr = fmt.Errorf("%w (expired %s)", ErrAttemptExpired, a.ExpiresAt.Format(time.RFC3339))
		}
		return nil
	})
	if err == nil {
		err = takeErr
	}
	if err != nil {
		return Attempt{}, err
	}
	a.State = state
	return a, nil
}

// PruneAttempts deletes attempts expired at now, and any that cannot be
// unsealed (they can never be taken).
func (s *Store) PruneAttempts(now time.Time) error {
	return s.update(func(tx *bbolt.Tx) error {
		return s.deleteAttemptsIn(tx, func(a Attempt, readable bool) bool {
			return !readable || !now.Before(a.ExpiresAt)
		})
	})
}

// deleteAttemptsFor removes attempts re-authenticating a connection that is
// being deleted, inside the caller's transaction.
func (s *Store) deleteAttemptsFor(tx *bbolt.Tx, connID string) error {
	return s.deleteAttemptsIn(tx, func(a Attempt, readable bool) bool {
		return readable && a.ConnectionID == connID
	})
}

func (s *Store) deleteAttemptsIn(tx *bbolt.Tx, drop func(a Attempt, readable bool) bool) error {
	b, err := bucket(tx, bucketAttempts)
	if err != nil {
		return err
	}
	var doomed [][]byte // physical keys: an unreadable record has no name
	err = b.ForEach(func(k, v []byte) error {
		var a Attempt
		_, payload, err := s.record(bucketAttempts, k, v)
		readable := err == nil && json.Unmarshal(payload, &a) == nil
		if drop(a, readable) {
			doomed = append(doomed, clone(k))
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range doomed {
		if err := b.Delete(k); err != nil {
			return fmt.Errorf("store: delete auth attempt: %w", err)
		}
	}
	return nil
}
