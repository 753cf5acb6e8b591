package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"go.etcd.io/bbolt"
)

// RenameAccount moves an account and everything stored under it (its
// record, balance, booked and pending transactions, sync checkpoint,
// standing orders and direct debits) from oldID to newID, in one
// transaction: either all of it moves or nothing does.
//
// It exists for banks that hand out new account ids when the user
// authenticates again. Bankdesk stores everything under TrueLayer's account
// id because that is the id every later call must name; keeping the old id
// and mapping would leave two names for one account in every layer above.
// Renaming once keeps a single name, and the history, categories and sync
// progress carry on under it.
//
// Every value is sealed to its key, so each is unsealed and sealed again
// under the new key. Content-hash dedupe keys ("h:", which cover the
// account id; see DedupeKey) are recomputed for the new id, keeping any
// "#n" repeat number, so the next sync recognises what is already stored.
//
// oldID must exist (ErrNotFound); newID must not (ErrInvalid), so two
// accounts are never merged by mistake. Renaming an id to itself does
// nothing.
func (s *Store) RenameAccount(oldID, newID string) error {
	if err := validID("account id", oldID); err != nil {
		return err
	}
	if err := validID("account id", newID); err != nil {
		return err
	}
	if oldID == newID {
		return nil
	}
	// The dedupe index is keyed by account: both ids are rebuilt when next
	// used.
	s.index.mu.Lock()
	defer s.index.mu.Unlock()
	defer s.index.forgetAll()
	return s.update(func(tx *bbolt.Tx) error {
		if err := accountExists(tx, oldID); err != nil {
			return err
		}
		if accountExists(tx, newID) == nil {
			return fmt.Errorf("%w: cannot rename account %q to %q: that account already exists", ErrInvalid, oldID, newID)
		}
		r := renamer{s: s, tx: tx, oldID: oldID, newID: newID}
		steps := []struct {
			bucket []byte
			edit   func([]byte) ([]byte, error)
		}{
			{bucketAccounts, r.account},
			{bucketBalances, r.balance},
			{bucketPending, r.pending},
			{bucketCheckpoints, nil},
			{bucketStandingOrders, nil},
			{bucketDirectDebits, nil},
		}
		for _, step := range steps {
			if err := r.move(step.bucket, step.edit); err != nil {
				return err
			}
		}
		return r.transactions()
	})
}

// renamer is one RenameAccount inside its write transaction.
type renamer struct {
	s            *Store
	tx           *bbolt.Tx
	oldID, newID string
}

// move re-keys the account's one value in bucket (if it has one), passing
// its plaintext through edit when set.
func (r renamer) move(name []byte, edit func([]byte) ([]byte, error)) error {
	b, err := bucket(r.tx, name)
	if err != nil {
		return err
	}
	oldKey, newKey := []byte(r.oldID), []byte(r.newID)
	sealed := b.Get(oldKey)
	if sealed == nil {
		return nil
	}
	plain, err := r.s.open(name, oldKey, sealed)
	if err != nil {
		return err
	}
	if edit != nil {
		if plain, err = edit(plain); err != nil {
			return fmt.Errorf("store: rename %s/%s: %w", name, r.oldID, err)
		}
	}
	if err := r.s.put(b, name, newKey, plain); err != nil {
		return err
	}
	if err := b.Delete(oldKey); err != nil {
		return fmt.Errorf("store: delete %s/%s: %w", name, r.oldID, err)
	}
	return nil
}

func (r renamer) account(plain []byte) ([]byte, error) {
	var a Account
	if err := json.Unmarshal(plain, &a); err != nil {
		return nil, err
	}
	a.ID = r.newID
	return json.Marshal(a)
}

func (r renamer) balance(plain []byte) ([]byte, error) {
	var b Balance
	if err := json.Unmarshal(plain, &b); err != nil {
		return nil, err
	}
	b.AccountID = r.newID
	return json.Marshal(b)
}

func (r renamer) pending(plain []byte) ([]byte, error) {
	var set []Transaction
	if err := json.Unmarshal(plain, &set); err != nil {
		return nil, err
	}
	for i := range set {
		set[i].AccountID = r.newID
		set[i].Key = rehash(set[i])
	}
	return json.Marshal(set)
}

// transactions re-keys every booked transaction. The record values hold
// neither the account nor the key (they live in the record key), so only
// the key changes; the value is sealed again because it is bound to it.
func (r renamer) transactions() error {
	b, err := bucket(r.tx, bucketTransactions)
	if err != nil {
		return err
	}
	prefix := accountPrefix(r.oldID)
	var old []sealedKV
	c := b.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		old = append(old, sealedKV{clone(k), clone(v)})
	}
	for _, kv := range old {
		plain, err := r.s.open(bucketTransactions, kv.key, kv.value)
		if err != nil {
			return err
		}
		t, err := decodeTransaction(kv.key, plain)
		if err != nil {
			return err
		}
		t.AccountID = r.newID
		key := primaryKey(r.newID, t.BookedAt, rehash(t))
		if err := r.s.put(b, bucketTransactions, key, plain); err != nil {
			return err
		}
	}
	// Last to first, as deletePrefix explains.
	for i := len(old) - 1; i >= 0; i-- {
		if err := b.Delete(old[i].key); err != nil {
			return fmt.Errorf("store: delete %s/%s: %w", bucketTransactions, printableKey(old[i].key), err)
		}
	}
	return nil
}

// rehash returns t's dedupe key for t.AccountID: a content-hash key is
// computed again (it covers the account id) with its repeat number kept;
// provider ids do not depend on the account and stay.
func rehash(t Transaction) string {
	if !strings.HasPrefix(t.Key, "h:") {
		return t.Key
	}
	_, repeat, numbered := strings.Cut(t.Key, "#")
	key := contentKey(t)
	if numbered {
		key += "#" + repeat
	}
	return key
}
