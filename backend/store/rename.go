package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"go.etcd.io/bbolt"
)

// RenameAccount moves an account and everything stored under it (its
// record, balance, booked and pending transactions, sync checkpoint,
// standing orders and direct debits, and the person's fields of its
// transactions, with the transfer links into it) from oldID to newID, in one
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
		if err := s.accountExists(tx, oldID); err != nil {
			return err
		}
		if s.accountExists(tx, newID) == nil {
			return fmt.Errorf("%w: cannot rename account %q to %q: that account already exists", ErrInvalid, oldID, newID)
		}
		r := renamer{s: s, tx: tx, oldID: oldID, newID: newID, rekeyed: map[string]string{}}
		steps := []struct {
			bucket []byte
			edit   func([]byte) ([]byte, error)
		}{
			{bucketAccounts, editJSON(func(a *Account) { a.ID = newID })},
			{bucketBalances, editJSON(func(b *Balance) { b.AccountID = newID })},
			{bucketPending, editJSON(r.pending)},
			{bucketCheckpoints, nil},
			{bucketStandingOrders, nil},
			{bucketDirectDebits, nil},
		}
		for _, step := range steps {
			if err := r.move(step.bucket, step.edit); err != nil {
				return err
			}
		}
		if err := r.transactions(); err != nil {
			return err
		}
		// Its imports follow, so an undo still finds their rows.
		err := s.editImports(tx, oldID, func(i *Import) bool {
			i.AccountID = newID
			for k, key := range i.Keys {
				if to, ok := r.rekeyed[key]; ok {
					i.Keys[k] = to
				}
			}
			return true
		})
		if err != nil {
			return err
		}
		return r.userFields()
	})
}

// renamer is one RenameAccount inside its write transaction.
type renamer struct {
	s            *Store
	tx           *bbolt.Tx
	oldID, newID string
	rekeyed      map[string]string // dedupe keys that changed: old → new
}

// move re-keys the account's one value in bucket (if it has one), passing
// its plaintext through edit when set.
func (r renamer) move(name []byte, edit func([]byte) ([]byte, error)) error {
	b, err := bucket(r.tx, name)
	if err != nil {
		return err
	}
	oldKey, newKey := []byte(r.oldID), []byte(r.newID)
	plain, found, err := r.s.get(b, name, oldKey)
	if err != nil || !found {
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
	return r.s.del(b, name, oldKey)
}

// editJSON is a move edit that decodes a T, changes it with fn and
// encodes it again.
func editJSON[T any](fn func(*T)) func([]byte) ([]byte, error) {
	return func(plain []byte) ([]byte, error) {
		var v T
		if err := json.Unmarshal(plain, &v); err != nil {
			return nil, err
		}
		fn(&v)
		return json.Marshal(v)
	}
}

func (r renamer) pending(set *[]Transaction) {
	for i := range *set {
		t := &(*set)[i]
		t.AccountID = r.newID
		r.rekey(t)
	}
}

// rekey gives t (its AccountID already the new id) its new dedupe key and
// notes the change.
func (r renamer) rekey(t *Transaction) {
	old := t.Key
	if t.Key = rehash(*t); t.Key != old {
		r.rekeyed[old] = t.Key
	}
}

// userFields moves the person's fields to the new id, under the new
// keys, and repoints every transfer link into the account. Fields of a
// pending row that has left its set are keyed again from its shape.
// Fields that cannot be read are left where they are (noted): there is no
// moving what does not open, and a repair can bring back a snapshot's.
func (r renamer) userFields() error {
	b, err := bucket(r.tx, bucketUserFields)
	if err != nil {
		return err
	}
	set, err := r.s.readUserSet(b, r.oldID)
	if errors.Is(err, ErrUnreadable) {
		r.s.noteRecord(bucketUserFields, []byte(r.oldID), err)
		return nil
	}
	if err != nil {
		return err
	}
	moved := make(userSet, len(set))
	for _, e := range set {
		if k, ok := r.rekeyed[e.Key]; ok {
			e.Key = k
		} else if e.Pending != nil {
			p := *e.Pending
			p.Key, p.AccountID = e.Key, r.newID
			e.Key = rehash(p)
		}
		moved[e.Key] = e
	}
	if err := r.s.del(b, bucketUserFields, []byte(r.oldID)); err != nil {
		return err
	}
	if err := r.s.writeUserSet(b, r.newID, moved); err != nil {
		return err
	}
	return r.s.repoint(r.tx, func(ref TxRef) (TxRef, bool) {
		if ref.AccountID != r.oldID {
			return ref, true
		}
		if k, ok := r.rekeyed[ref.Key]; ok {
			ref.Key = k
		}
		ref.AccountID = r.newID
		return ref, true
	})
}

// transactions moves every booked transaction: its account id, its key
// (content-hash keys cover the account) and so its record key change, and
// the new account's indexes are written.
func (r renamer) transactions() error {
	b, err := bucket(r.tx, bucketTransactions)
	if err != nil {
		return err
	}
	a, err := r.s.index.load(r.s, r.tx, r.oldID)
	if err != nil {
		return err
	}
	var txs []Transaction
	for m := range a.months {
		if err := r.s.scanCluster(b, r.oldID, m, func(_ []byte, t Transaction) error {
			txs = append(txs, t)
			return nil
		}); err != nil {
			return err
		}
	}
	if err := r.s.deleteTransactions(r.tx, r.oldID); err != nil {
		return err
	}
	for i := range txs {
		txs[i].AccountID = r.newID
		r.rekey(&txs[i])
	}
	return r.s.writeFresh(r.tx, r.newID, txs)
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
