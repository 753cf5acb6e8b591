package store

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.etcd.io/bbolt"
)

// Account kinds: TrueLayer lists bank accounts and cards separately.
const (
	KindAccount = "account"
	KindCard    = "card"
)

// Account is a bank account or a card. ID is TrueLayer's account_id (cards
// use it too).
type Account struct {
	ID                string `json:"id"`
	ConnectionID      string `json:"connection_id"`
	ProviderID        string `json:"provider_id,omitempty"`
	Kind              string `json:"kind"`           // KindAccount or KindCard
	Type              string `json:"type,omitempty"` // account_type or card_type: TRANSACTION, SAVINGS, CREDIT...
	DisplayName       string `json:"display_name,omitempty"`
	Currency          string `json:"currency,omitempty"`
	Number            string `json:"number,omitempty"`
	SortCode          string `json:"sort_code,omitempty"`
	IBAN              string `json:"iban,omitempty"`
	SwiftBIC          string `json:"swift_bic,omitempty"`
	CardNetwork       string `json:"card_network,omitempty"`
	PartialCardNumber string `json:"partial_card_number,omitempty"`
	NameOnCard        string `json:"name_on_card,omitempty"`
	HolderName        string `json:"holder_name,omitempty"`
	// Manual marks an account Bankdesk keeps itself, filled from the
	// person's bank files (PutManualAccount): it has no ConnectionID, so
	// no sync, reconnect or connection's removal touches it.
	Manual    bool      `json:"manual,omitempty"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
}

// PutAccounts creates or replaces the given accounts of a connection. It never
// deletes: an account missing from a later listing keeps its history (some
// banks only list accounts inside the consent's SCA window). An account id
// already stored under another connection moves to this one, which is how a
// re-connected bank adopts the history kept by DeleteConnection(id, true).
// The connection must exist (ErrNotFound), so a sync racing a delete cannot
// leave orphans behind.
func (s *Store) PutAccounts(connID string, accts []Account) error {
	for i := range accts {
		a := &accts[i]
		if err := validID("account id", a.ID); err != nil {
			return err
		}
		if a.ConnectionID != "" && a.ConnectionID != connID {
			return fmt.Errorf("%w: account %q belongs to connection %q, not %q", ErrInvalid, a.ID, a.ConnectionID, connID)
		}
		if a.Kind != KindAccount && a.Kind != KindCard {
			return fmt.Errorf("%w: account %q has kind %q, want %q or %q", ErrInvalid, a.ID, a.Kind, KindAccount, KindCard)
		}
	}
	return s.updateIn(bucketAccounts, func(tx *bbolt.Tx, b *bbolt.Bucket) error {
		if err := s.connectionExists(tx, connID); err != nil {
			return err
		}
		for _, a := range accts {
			a.ConnectionID = connID
			a.UpdatedAt = utc(a.UpdatedAt)
			if err := s.putJSON(b, bucketAccounts, []byte(a.ID), a); err != nil {
				return err
			}
		}
		return nil
	})
}

// Account returns one account or card, or ErrNotFound.
func (s *Store) Account(id string) (Account, error) {
	var a Account
	err := s.getJSON(bucketAccounts, id, fmt.Sprintf("account %q", id), &a)
	return a, err
}

// Accounts returns every account and card, ordered by connection, kind
// (accounts before cards), display name, then id.
func (s *Store) Accounts() ([]Account, error) {
	return s.accountsWhere(func(Account) bool { return true })
}

// AccountsOf returns the accounts and cards of one connection, in the order
// of Accounts. An unknown connection has none.
func (s *Store) AccountsOf(connID string) ([]Account, error) {
	return s.accountsWhere(func(a Account) bool { return a.ConnectionID == connID })
}

func (s *Store) accountsWhere(keep func(Account) bool) ([]Account, error) {
	var out []Account
	err := s.view(func(tx *bbolt.Tx) error {
		all, err := s.allAccounts(tx)
		for _, a := range all {
			if keep(a) {
				out = append(out, a)
			}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b Account) int {
		return cmp.Or(
			strings.Compare(a.ConnectionID, b.ConnectionID),
			strings.Compare(a.Kind, b.Kind), // "account" < "card"
			strings.Compare(a.DisplayName, b.DisplayName),
			strings.Compare(a.ID, b.ID),
		)
	})
	return out, nil
}

func (s *Store) allAccounts(tx *bbolt.Tx) ([]Account, error) {
	b, err := bucket(tx, bucketAccounts)
	if err != nil {
		return nil, err
	}
	var out []Account
	err = eachJSON(s, b, bucketAccounts, func(_ []byte, a Account) error {
		out = append(out, a)
		return nil
	})
	return out, err
}

// accountIDsOf lists the ids of a connection's accounts inside tx.
func (s *Store) accountIDsOf(tx *bbolt.Tx, connID string) ([]string, error) {
	all, err := s.allAccounts(tx)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, a := range all {
		if a.ConnectionID == connID {
			ids = append(ids, a.ID)
		}
	}
	return ids, nil
}
