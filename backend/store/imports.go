package store

import (
	"cmp"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"go.etcd.io/bbolt"
)

// MetaImport is the Meta entry of a transaction an import added: the
// import's id. It is how an undo knows the row is still the file's (a sync
// that later lists the same booking replaces the record, and the entry with
// it), and why a full window of the bank never marks the row removed.
const MetaImport = "bankdesk_import"

// Imported is the id of the import that added t, or "".
func (t Transaction) Imported() string { return t.Meta[MetaImport] }

// Import is one imported file: one unit, undone whole (UndoImport).
type Import struct {
	ID        string    `json:"id"`
	At        time.Time `json:"at"`
	File      string    `json:"file"` // the file's base name
	Format    string    `json:"format"`
	AccountID string    `json:"account_id"`
	// Keys are the dedupe keys of the transactions it added.
	Keys []string `json:"keys"`
	// Skipped counts the file's rows already stored; Review the rows it
	// left out as near-matches of stored ones.
	Skipped int `json:"skipped"`
	Review  int `json:"review"`
}

// Added is how many transactions the import added.
func (i Import) Added() int { return len(i.Keys) }

// importRun is one ImportTransactions call: its record, kept current with
// each committed run of writes.
type importRun struct {
	s   *Store
	rec Import
}

// record notes keys as added and stores the record, in the write that adds
// them.
func (r *importRun) record(tx *bbolt.Tx, keys []string) error {
	b, err := bucket(tx, bucketImports)
	if err != nil {
		return err
	}
	rec := r.rec
	rec.Keys = append(slices.Clip(rec.Keys), keys...)
	if err := r.s.putJSON(b, bucketImports, []byte(rec.ID), rec); err != nil {
		return err
	}
	r.rec = rec
	return nil
}

// ImportTransactions adds booked transactions of a file to an account as
// the import rec (its ID made here when empty), and returns the record as
// stored. Each is marked with the import's id (MetaImport) and keyed as
// PutTransactions keys it, but only added: one that matches a stored
// transaction is left as stored and not counted (the caller has left out
// what it knows to be stored already; this is the guarantee). The record
// is written with the transactions, so what it lists is exactly what was
// added. An import that adds nothing is not recorded.
func (s *Store) ImportTransactions(rec Import, txs []Transaction) (Import, error) {
	if rec.ID == "" {
		var id [8]byte
		rand.Read(id[:]) // never fails since Go 1.24
		rec.ID = hex.EncodeToString(id[:])
	}
	if err := validID("import id", rec.ID); err != nil {
		return Import{}, err
	}
	rec.At, rec.Keys = utc(rec.At), nil
	marked := make([]Transaction, len(txs))
	for i, t := range txs {
		t.Meta = maps.Clone(t.Meta)
		if t.Meta == nil {
			t.Meta = map[string]string{}
		}
		t.Meta[MetaImport] = rec.ID
		t.Status = TxBooked
		marked[i] = t
	}
	run := &importRun{s: s, rec: rec}
	if len(marked) == 0 {
		return run.rec, nil
	}
	_, err := s.putTransactions(rec.AccountID, marked, Window{}, nil, run)
	return run.rec, err
}

// Imports lists every import not undone, newest first.
func (s *Store) Imports() ([]Import, error) {
	out, err := listJSON[Import](s, bucketImports)
	slices.SortFunc(out, func(a, b Import) int { return cmp.Or(b.At.Compare(a.At), strings.Compare(a.ID, b.ID)) })
	return out, err
}

// UndoImport removes what the import id added, and its record: each
// transaction it lists that still carries its mark (a sync may since have
// made one the bank's), with the person's fields of those and the
// transfer links into them. Nothing else changes. It returns the record
// and how many transactions went; ErrNotFound for an unknown id.
func (s *Store) UndoImport(id string) (Import, int, error) {
	s.index.mu.Lock()
	defer s.index.mu.Unlock()
	var rec Import
	removed := 0
	err := s.update(func(tx *bbolt.Tx) error {
		imports, err := bucket(tx, bucketImports)
		if err != nil {
			return err
		}
		found, err := s.getJSONIn(imports, bucketImports, []byte(id), &rec)
		if err != nil {
			return err
		}
		if !found {
			return fmt.Errorf("%w: import %q", ErrNotFound, id)
		}
		gone, err := s.deleteImported(tx, rec)
		if err != nil {
			return err
		}
		removed = len(gone)
		if err := s.dropUserFields(tx, rec.AccountID, gone); err != nil {
			return err
		}
		return s.del(imports, bucketImports, []byte(id))
	})
	// The account's index is read again from what was committed.
	delete(s.index.accounts, rec.AccountID)
	if err != nil {
		return Import{}, 0, err
	}
	return rec, removed, nil
}

// deleteImported deletes the records of rec's keys that still carry its
// mark and rewrites the month indexes and directory they were in. It
// returns the keys deleted. Caller holds s.index.mu.
func (s *Store) deleteImported(tx *bbolt.Tx, rec Import) (map[string]bool, error) {
	primary, err := bucket(tx, bucketTransactions)
	if err != nil {
		return nil, err
	}
	live, err := s.index.load(s, tx, rec.AccountID)
	if err != nil {
		return nil, err
	}
	gone := map[string]bool{}
	touched := map[month]bool{}
	for _, k := range rec.Keys {
		sl, ok := live.at[k]
		if !ok {
			continue
		}
		key := s.keys.tx(rec.AccountID, sl.at, sl.id)
		sealed := primary.Get(key)
		if sealed == nil {
			continue
		}
		t, err := s.decodeSealedOf(key, sealed, rec.AccountID)
		if err != nil || t.Imported() != rec.ID {
			continue // unreadable, or no longer the file's: kept
		}
		if err := primary.Delete(key); err != nil {
			return nil, fmt.Errorf("store: delete %s/%s: %w", bucketTransactions, printableKey(key), err)
		}
		gone[k] = true
		touched[monthOf(sl.at)] = true
	}
	if live.rebuilt {
		for m := range live.months {
			touched[m] = true
		}
	}
	counts := make(map[month]int, len(live.months))
	for m, es := range live.months {
		if touched[m] {
			es = slices.DeleteFunc(slices.Clone(es), func(e indexEntry) bool { return gone[e.dedupe] })
			if err := s.writeMonthIndex(primary, rec.AccountID, m, es); err != nil {
				return nil, err
			}
		}
		if len(es) > 0 {
			counts[m] = len(es)
		}
	}
	return gone, s.writeDir(tx, rec.AccountID, counts)
}

// dropUserFields removes the person's fields of the account's gone keys,
// and the transfer links of others into them.
func (s *Store) dropUserFields(tx *bbolt.Tx, accountID string, gone map[string]bool) error {
	if len(gone) == 0 {
		return nil
	}
	b, err := bucket(tx, bucketUserFields)
	if err != nil {
		return err
	}
	set, err := s.readUserSet(b, accountID)
	if err != nil {
		return err
	}
	n := len(set)
	maps.DeleteFunc(set, func(k string, _ *userEntry) bool { return gone[k] })
	if len(set) != n {
		if err := s.writeUserSet(b, accountID, set); err != nil {
			return err
		}
	}
	return s.repoint(tx, func(ref TxRef) (TxRef, bool) { return ref, ref.AccountID != accountID || !gone[ref.Key] })
}

// editImports passes each import record of accountID through edit and
// stores it again, or deletes it when edit returns false (inside an
// Update: an account's removal or rename).
func (s *Store) editImports(tx *bbolt.Tx, accountID string, edit func(*Import) bool) error {
	b, err := bucket(tx, bucketImports)
	if err != nil {
		return err
	}
	var recs []Import
	err = eachJSON(s, b, bucketImports, func(_ []byte, i Import) error {
		if i.AccountID == accountID {
			recs = append(recs, i)
		}
		return nil
	})
	if err != nil {
		return err
	}
	// Written after the walk: a cursor is not to be used across writes.
	for _, i := range recs {
		if !edit(&i) {
			err = s.del(b, bucketImports, []byte(i.ID))
		} else {
			err = s.putJSON(b, bucketImports, []byte(i.ID), i)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
