package store

import (
	"bytes"
	"encoding/binary"
	"sync"

	"go.etcd.io/bbolt"
)

// txIndex is the dedupe index: for each account, every stored dedupe key
// and the booking time it is stored under, which is what finds a
// transaction whose booking time changed.
//
// It lives in memory, built from the transactions' primary keys (which
// hold account, booking time and dedupe key, see txkeys.go) the first time
// an account is written or looked up, then kept current by the writes.
// Schema 1 and 2 kept it on disk too, keyed by dedupe key: those keys are
// random with respect to time, so every window a sync stored dirtied a page
// of that bucket per transaction, and rewriting those pages at each commit
// was most of an import's cost (65,000 transactions/s against 170,000
// without it). Only one process opens the data file at a time (its lock),
// so a per-Store index cannot go stale.
//
// Cost: about 60 bytes of memory per stored transaction of the accounts
// touched, and one walk over an account's keys (no unsealing; about 10 ms
// per 100,000) when it is first touched.
type txIndex struct {
	// mu is held across each write transaction that changes transactions
	// (and each lookup), so that the index always matches what is
	// committed: writes update it only after their commit succeeded.
	mu       sync.Mutex
	accounts map[string]*acctIndex
}

// acctIndex is one account's part of the index.
type acctIndex struct {
	at map[string]uint64 // dedupe key → bookedAt(8) as stored
	// variants lists, per id key ("n:…", "p:…"), the keys of the other
	// transactions that arrived with the same id (variantKey): banks reuse
	// ids, and each of those is a transaction of its own.
	variants map[string][]string
}

func (a *acctIndex) add(key string, at uint64) {
	if base, ok := variantBase(key); ok {
		if _, known := a.at[key]; !known {
			a.variants[base] = append(a.variants[base], key)
		}
	}
	a.at[key] = at
}

// load returns the account's index, building it from tx when needed.
// Caller holds mu.
func (x *txIndex) load(tx *bbolt.Tx, accountID string) (*acctIndex, error) {
	if m, ok := x.accounts[accountID]; ok {
		return m, nil
	}
	b, err := bucket(tx, bucketTransactions)
	if err != nil {
		return nil, err
	}
	prefix := accountPrefix(accountID)
	m := &acctIndex{at: map[string]uint64{}, variants: map[string][]string{}}
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		if len(k) < len(prefix)+timeLen+1 {
			continue // not a transaction key; decodeTransaction reports it when read
		}
		m.add(string(k[len(prefix)+timeLen+1:]), binary.BigEndian.Uint64(k[len(prefix):]))
	}
	if x.accounts == nil {
		x.accounts = map[string]*acctIndex{}
	}
	x.accounts[accountID] = m
	return m, nil
}

// forgetAll drops every account's index; each is rebuilt when next used.
// Caller holds mu.
func (x *txIndex) forgetAll() { x.accounts = nil }

// stagedIndex collects one write transaction's index changes, applied to
// the index only once it has committed.
type stagedIndex struct {
	live    *acctIndex
	changes map[string]uint64
	// added lists new variant keys per id key, in the order they were set.
	added map[string][]string
}

func (s *stagedIndex) get(key string) (uint64, bool) {
	if at, ok := s.changes[key]; ok {
		return at, true
	}
	at, ok := s.live.at[key]
	return at, ok
}

// variants are the variant keys of the id key base, committed or staged.
func (s *stagedIndex) variants(base string) []string {
	live, staged := s.live.variants[base], s.added[base]
	if len(staged) == 0 {
		return live
	}
	return append(append([]string(nil), live...), staged...)
}

func (s *stagedIndex) set(key string, at uint64) {
	if s.changes == nil {
		s.changes = map[string]uint64{}
	}
	if base, ok := variantBase(key); ok {
		if _, known := s.get(key); !known {
			if s.added == nil {
				s.added = map[string][]string{}
			}
			s.added[base] = append(s.added[base], key)
		}
	}
	s.changes[key] = at
}

func (s *stagedIndex) commit() {
	for k, at := range s.changes {
		s.live.add(k, at)
	}
}
