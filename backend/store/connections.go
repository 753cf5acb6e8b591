package store

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.etcd.io/bbolt"
)

// Connection statuses.
const (
	StatusActive          = "active"
	StatusReconnectNeeded = "reconnect_needed"
	StatusRevoked         = "revoked"
)

// Connection is one bank consent and its tokens (the "token table"). It holds
// secrets: never hand it to the UI as is.
type Connection struct {
	ID                string    `json:"id"` // Bankdesk's own; see NewConnectionID
	CredentialsID     string    `json:"credentials_id,omitempty"`
	ProviderID        string    `json:"provider_id,omitempty"`
	ProviderName      string    `json:"provider_name,omitempty"`
	Scopes            []string  `json:"scopes,omitempty"`
	AccessToken       string    `json:"access_token,omitempty"`
	AccessTokenExpiry time.Time `json:"access_token_expiry,omitzero"`
	RefreshToken      string    `json:"refresh_token,omitempty"`
	ConsentCreatedAt  time.Time `json:"consent_created_at,omitzero"`
	ConsentExpiresAt  time.Time `json:"consent_expires_at,omitzero"`
	LastRefreshAt     time.Time `json:"last_refresh_at,omitzero"`
	CreatedAt         time.Time `json:"created_at,omitzero"`
	UpdatedAt         time.Time `json:"updated_at,omitzero"`
	Status            string    `json:"status"`
	User              User      `json:"user,omitzero"`
	// Holder is who the bank says holds the accounts (GET /info), when the
	// consent covers scope info and the bank answered.
	Holder Holder `json:"holder,omitzero"`
	// Unfinished says the bank's code was exchanged and these tokens saved,
	// but reading the connection's details (/me) and listing its accounts
	// and cards are still to do: they failed right after the exchange. The
	// next sync finishes it (connect.Flow.Finish). It holds no accounts.
	Unfinished bool `json:"unfinished,omitempty"`
	// Renews is, on an unfinished connection, the stored connection the
	// login was meant to renew (a reconnect); finishing hands it the tokens.
	Renews string `json:"renews,omitempty"`
}

// Holder is the account holder as the bank knows them (/data/v1/info,
// https://docs.truelayer.com/docs/identity): most banks fill in the name only.
type Holder struct {
	Name   string   `json:"name,omitempty"`
	Emails []string `json:"emails,omitempty"`
	Phones []string `json:"phones,omitempty"`
}

// User is who consented, kept to pre-fill a re-consent.
type User struct {
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
}

// NewConnectionID returns a random, URL-safe connection id (128 bits, hex).
func NewConnectionID() string {
	var b [16]byte
	rand.Read(b[:]) // never fails since Go 1.24
	return hex.EncodeToString(b[:])
}

// PutConnection creates or replaces a connection. A zero CreatedAt keeps the
// stored one (or becomes now); a zero UpdatedAt becomes now; an empty Status
// becomes StatusActive.
func (s *Store) PutConnection(c Connection) error {
	if err := validID("connection id", c.ID); err != nil {
		return err
	}
	if c.Status == "" {
		c.Status = StatusActive
	}
	if err := validStatus(c.Status); err != nil {
		return err
	}
	now := time.Now().UTC()
	if c.UpdatedAt.IsZero() {
		c.UpdatedAt = now
	}
	key := []byte(c.ID)
	return s.connectionsChanged(s.updateIn(bucketConnections, func(_ *bbolt.Tx, b *bbolt.Bucket) error {
		if c.CreatedAt.IsZero() {
			c.CreatedAt = now
			var old Connection
			// One that cannot be read is overwritten: this is its repair.
			if found, err := s.getJSONIn(b, bucketConnections, key, &old); found && err == nil {
				c.CreatedAt = old.CreatedAt
			} else if err != nil && !errors.Is(err, ErrUnreadable) {
				return err
			}
		}
		return s.putJSON(b, bucketConnections, key, utcConnection(c))
	}))
}

// UpdateConnection changes one stored connection within a single write
// transaction: edit gets the stored record and changes it in place; an
// error from edit leaves it unchanged and is returned as is. Reading with
// Connection and writing back with PutConnection could put back tokens that
// a refresh rotated in between (and a burnt refresh token loses the
// connection); this cannot. The id cannot change; a zero UpdatedAt becomes
// now. ErrNotFound when there is no such connection.
func (s *Store) UpdateConnection(id string, edit func(*Connection) error) error {
	key := []byte(id)
	return s.connectionsChanged(s.updateIn(bucketConnections, func(_ *bbolt.Tx, b *bbolt.Bucket) error {
		var c Connection
		found, err := s.getJSONIn(b, bucketConnections, key, &c)
		if err != nil {
			return err
		}
		if !found {
			return fmt.Errorf("%w: connection %q", ErrNotFound, id)
		}
		c.UpdatedAt = time.Time{}
		if err := edit(&c); err != nil {
			return err
		}
		return s.putEdited(b, id, c)
	}))
}

// validStatus refuses a connection status other than the three known.
func validStatus(status string) error {
	switch status {
	case StatusActive, StatusReconnectNeeded, StatusRevoked:
		return nil
	}
	return fmt.Errorf("%w: unknown connection status %q", ErrInvalid, status)
}

// putEdited writes back connection c as id after an edit: the id cannot
// change, the status must be known, and a zero UpdatedAt becomes now.
func (s *Store) putEdited(b *bbolt.Bucket, id string, c Connection) error {
	c.ID = id
	if err := validStatus(c.Status); err != nil {
		return err
	}
	if c.UpdatedAt.IsZero() {
		c.UpdatedAt = time.Now().UTC()
	}
	return s.putJSON(b, bucketConnections, []byte(id), utcConnection(c))
}

// AbsorbConnection hands what connection from holds over to connection
// into, in one write transaction: edit gets from and changes into in
// place (typically: take from's tokens and consent), then from is deleted
// with its auth attempts. It returns into as it was before, so the caller
// can revoke the consent it held. Reading both and writing them back
// separately could hand over a refresh token that a refresh rotated in
// between; this cannot. from must hold no accounts (ErrInvalid), so no
// account changes connection here. ErrNotFound when either is missing.
func (s *Store) AbsorbConnection(from, into string, edit func(from Connection, into *Connection) error) (Connection, error) {
	var before Connection
	if from == into {
		return before, fmt.Errorf("%w: connection %q cannot absorb itself", ErrInvalid, from)
	}
	err := s.updateIn(bucketConnections, func(tx *bbolt.Tx, b *bbolt.Bucket) error {
		var src, dst Connection
		for _, r := range []struct {
			id  string
			out *Connection
		}{{from, &src}, {into, &dst}} {
			found, err := s.getJSONIn(b, bucketConnections, []byte(r.id), r.out)
			if err != nil {
				return err
			}
			if !found {
				return fmt.Errorf("%w: connection %q", ErrNotFound, r.id)
			}
		}
		held, err := s.accountIDsOf(tx, from)
		if err != nil {
			return err
		}
		if len(held) > 0 {
			return fmt.Errorf("%w: connection %q still holds %d account(s)", ErrInvalid, from, len(held))
		}
		before = dst
		dst.UpdatedAt = time.Time{}
		if err := edit(src, &dst); err != nil {
			return err
		}
		if err := s.putEdited(b, into, dst); err != nil {
			return err
		}
		if err := s.del(b, bucketConnections, []byte(from)); err != nil {
			return fmt.Errorf("store: delete connection %q: %w", from, err)
		}
		return s.deleteAttemptsFor(tx, from)
	})
	if err := s.connectionsChanged(err); err != nil {
		return Connection{}, err
	}
	return before, nil
}

// Connection returns one connection, or ErrNotFound.
func (s *Store) Connection(id string) (Connection, error) {
	var c Connection
	err := s.getJSON(bucketConnections, id, fmt.Sprintf("connection %q", id), &c)
	return c, err
}

// Connections returns every connection, ordered by CreatedAt then ID.
func (s *Store) Connections() ([]Connection, error) {
	out, err := listJSON[Connection](s, bucketConnections)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b Connection) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

// DeleteConnection removes a connection and its tokens, plus any auth
// attempt re-authenticating it. Without keepData it also removes everything
// stored for its accounts: accounts, balances, transactions, pending
// sets, standing orders, direct debits and sync checkpoints. With keepData the accounts and their history stay (a later
// connection to the same bank adopts them when PutAccounts sees the same
// account ids).
//
// ErrNotFound only when there was nothing to delete at all, so purging the
// data of a connection deleted earlier with keepData still works.
func (s *Store) DeleteConnection(id string, keepData bool) error {
	return s.connectionsChanged(s.deleteConnection(id, keepData))
}

func (s *Store) deleteConnection(id string, keepData bool) error {
	// Transactions may go: the dedupe index is rebuilt when next needed.
	s.index.mu.Lock()
	defer s.index.mu.Unlock()
	defer s.index.forgetAll()
	return s.update(func(tx *bbolt.Tx) error {
		conns, err := bucket(tx, bucketConnections)
		if err != nil {
			return err
		}
		found := conns.Get(s.key(bucketConnections, []byte(id))) != nil
		if found {
			if err := s.del(conns, bucketConnections, []byte(id)); err != nil {
				return err
			}
		}
		if err := s.deleteAttemptsFor(tx, id); err != nil {
			return err
		}
		if !keepData {
			accounts, err := s.accountIDsOf(tx, id)
			if err != nil {
				return err
			}
			for _, acct := range accounts {
				if err := s.deleteAccountData(tx, acct); err != nil {
					return err
				}
			}
			found = found || len(accounts) > 0
		}
		if !found {
			return fmt.Errorf("%w: connection %q", ErrNotFound, id)
		}
		return nil
	})
}

// OnConnectionsChanged sets f to run after every committed change to the
// connections (PutConnection, UpdateConnection, AbsorbConnection,
// DeleteConnection): every deadline of a connection changes here, so this
// is where a copy of them (the desk's schedule file) keeps up. f runs in
// the writer's goroutine after the commit, outside any transaction, and
// may read the store; nil removes it.
func (s *Store) OnConnectionsChanged(f func()) {
	if f == nil {
		s.onConnections.Store(nil)
		return
	}
	s.onConnections.Store(&f)
}

// connectionsChanged runs the OnConnectionsChanged hook after a write
// that committed (err nil), and returns err.
func (s *Store) connectionsChanged(err error) error {
	if f := s.onConnections.Load(); err == nil && f != nil {
		(*f)()
	}
	return err
}

// utcConnection stores every time in UTC so round trips compare equal.
func utcConnection(c Connection) Connection {
	for _, t := range []*time.Time{
		&c.AccessTokenExpiry, &c.ConsentCreatedAt, &c.ConsentExpiresAt,
		&c.LastRefreshAt, &c.CreatedAt, &c.UpdatedAt,
	} {
		*t = utc(*t)
	}
	return c
}
