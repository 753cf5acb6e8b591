package store

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"math/bits"
	"sync"

	"go.etcd.io/bbolt"
)

// What a file shows without the key. Since schema 5 every record key is a
// keyed hash (HMAC-SHA256 under the store's index key, truncated to 16
// bytes) of the bucket and the record's own name: account ids, connection
// ids, setting names, booking times and transaction ids are inside the
// sealed values, never in keys. Sealed values are padded to a size class
// (padme), so their length says little about what they hold. The index key
// is random, made with the store and kept sealed under the data key in the
// meta bucket, so a new data key (rekey) re-seals it and leaves every
// record key as it is.
//
// Transactions are clustered for writes and scans: a key is the hash of
// (account, booking month) then a random record id, so one account's month
// is one run of keys, in an order that says nothing of booking times. The sealed month index (bucket txindex) lists each
// month's transactions in booking order, and the account directory
// (bucket txdir) its months: newest-first reads need not decode a month.

const (
	keyLen     = 16
	clusterLen = 8
)

var (
	metaStoreID  = []byte("store_id")  // in clear: random, and needed before the key is checked
	metaIndexKey = []byte("index_key") // sealed: the HMAC key of record keys
)

// keyer derives record keys. Safe for concurrent use.
type keyer struct {
	pool     sync.Pool // of hash.Hash (HMAC under the index key)
	mu       sync.RWMutex
	clusters map[clusterID][]byte // an account has a few hundred
}

type clusterID struct {
	account string
	m       month
}

func newKeyer(indexKey []byte) *keyer {
	k := &keyer{clusters: map[clusterID][]byte{}}
	key := append([]byte(nil), indexKey...)
	k.pool.New = func() any { return hmac.New(sha256.New, key) }
	return k
}

// sum is HMAC(index key, parts joined with their lengths), truncated.
func (k *keyer) sum(n int, parts ...[]byte) []byte {
	h := k.pool.Get().(hash.Hash)
	h.Reset()
	var l [binary.MaxVarintLen64]byte
	for _, p := range parts {
		h.Write(l[:binary.PutUvarint(l[:], uint64(len(p)))])
		h.Write(p)
	}
	out := h.Sum(make([]byte, 0, sha256.Size))[:n]
	k.pool.Put(h)
	return out
}

// record is the key of a record named logical in bucket.
func (k *keyer) record(bucket, logical []byte) []byte {
	return k.sum(keyLen, bucket, logical)
}

// cluster is the first half of the keys of an account's transactions
// booked in one month.
func (k *keyer) cluster(accountID string, m month) []byte {
	id := clusterID{accountID, m}
	k.mu.RLock()
	c, ok := k.clusters[id]
	k.mu.RUnlock()
	if ok {
		return c
	}
	c = k.sum(clusterLen, bucketTransactions, []byte(accountID), binary.BigEndian.AppendUint32(nil, uint32(m)))
	k.mu.Lock()
	k.clusters[id] = c
	k.mu.Unlock()
	return c
}

// tx is a transaction's key: its cluster, then its record id, a random
// number given when it is first stored (txindex.go keeps it). Random
// rather than a hash of its dedupe key: as private, and no hash to compute
// per transaction on every write and lookup.
func (k *keyer) tx(accountID string, at int64, id uint64) []byte {
	key := make([]byte, 0, keyLen)
	key = append(key, k.cluster(accountID, monthOf(at))...)
	return binary.BigEndian.AppendUint64(key, id)
}

// recordID reads the record id back from a transaction key.
func recordID(key []byte) (uint64, bool) {
	if len(key) != keyLen {
		return 0, false
	}
	return binary.BigEndian.Uint64(key[clusterLen:]), true
}

// newIndexKey makes a store's index key and id, in clear for the id.
func newIndexKey() (id, key []byte) {
	id, key = make([]byte, 16), make([]byte, 32)
	rand.Read(id) // never fails since Go 1.24
	rand.Read(key)
	return id, key
}

// unlock checks the key against meta and loads what the records need:
// the store id (schema 5 on), the canary (schema 1 on: a wrong key stops
// here, before anything is read or written), then the index key.
func (s *Store) unlock(meta *bbolt.Bucket, version int) error {
	if version >= keyedSchema {
		id := meta.Get(metaStoreID)
		if len(id) != 16 {
			return &DamageError{Path: s.path, Detail: "its store id is missing"}
		}
		s.setID(id)
	}
	if version >= 1 {
		if err := s.checkCanary(meta); err != nil {
			return err
		}
	}
	if version < keyedSchema {
		return nil
	}
	sealed := meta.Get(metaIndexKey)
	if sealed == nil {
		return &DamageError{Path: s.path, Detail: "its index key is missing"}
	}
	key, err := s.open(bucketMeta, metaIndexKey, sealed)
	if err != nil {
		return err
	}
	if len(key) != 32 {
		return &DamageError{Path: s.path, Detail: "its index key is malformed"}
	}
	s.keys = newKeyer(key)
	return nil
}

// keyedSchema is the first schema with keyed-hash keys.
const keyedSchema = 5

// setKeys gives a store a new id and index key, written to meta with the
// canary sealed for the id.
func (s *Store) setKeys(meta *bbolt.Bucket) error {
	id, key := newIndexKey()
	s.setID(id)
	s.keys = newKeyer(key)
	if err := meta.Put(metaStoreID, id); err != nil {
		return fmt.Errorf("store: write store id: %w", err)
	}
	for name, plain := range map[string][]byte{string(metaIndexKey): key, string(metaCanary): canaryPlaintext} {
		sealed, err := s.seal(bucketMeta, []byte(name), plain)
		if err != nil {
			return err
		}
		if err := meta.Put([]byte(name), sealed); err != nil {
			return fmt.Errorf("store: write meta/%s: %w", name, err)
		}
	}
	return nil
}

// setID sets the store id (and what derives from it).
func (s *Store) setID(id []byte) {
	s.id, s.txAAD = bytes.Clone(id), nil
	s.txAAD = s.aad(bucketTransactions)
}

// aad is what a bucket's records are bound to: the store's id and the
// bucket's name. The id keeps a record from being moved into another
// store sealed under the same key (two data dirs once shared one).
func (s *Store) aad(bucket []byte) []byte {
	if len(s.id) == 0 {
		return bucket // before schema 5
	}
	if bytes.Equal(bucket, bucketTransactions) && s.txAAD != nil {
		return s.txAAD // the one sealed in bulk: made once
	}
	out := make([]byte, 0, len(s.id)+1+len(bucket))
	out = append(out, s.id...)
	out = append(out, '/')
	return append(out, bucket...)
}

// Envelopes: the plaintext of a sealed value since schema 5.
//
//	byte     envelope version (1)
//	uvarint  length of the record's name, then the name
//	uvarint  length of the payload, then the payload
//	zeros    padding up to the size class (padme)
const envelopeV1 = 1

var errEnvelope = errors.New("malformed record envelope")

// envelope wraps a record's name and payload, padded.
func envelope(logical, payload []byte) []byte {
	return appendEnvelope(nil, logical, payload)
}

// appendEnvelope is envelope into dst's spare capacity (from its length 0).
func appendEnvelope(dst, logical, payload []byte) []byte {
	n := 1 + 2*binary.MaxVarintLen32 + len(logical) + len(payload)
	b := dst[:0]
	if cap(b) < padme(n) {
		b = make([]byte, 0, padme(n))
	}
	b = append(b, envelopeV1)
	b = binary.AppendUvarint(b, uint64(len(logical)))
	b = append(b, logical...)
	b = binary.AppendUvarint(b, uint64(len(payload)))
	b = append(b, payload...)
	m := padme(len(b))
	clear(b[len(b):m]) // a reused buffer holds old bytes
	return b[:m]
}

// unwrap reads an envelope back.
func unwrap(b []byte) (logical, payload []byte, err error) {
	if len(b) == 0 || b[0] != envelopeV1 {
		return nil, nil, errEnvelope
	}
	r := &recordReader{b: b[1:]}
	ln := r.uvarint()
	if r.err != nil || ln > uint64(len(r.b)) {
		return nil, nil, errEnvelope
	}
	logical, r.b = r.b[:ln], r.b[ln:]
	pn := r.uvarint()
	if r.err != nil || pn > uint64(len(r.b)) {
		return nil, nil, errEnvelope
	}
	return logical, r.b[:pn], nil
}

// padme is the padded length of a plaintext of n bytes: the "Padmé" size
// classes (Nikitin et al., PETS 2019), which waste at most about 12 % and
// leak O(log log n) bits of the length, where padding to powers of two
// would waste up to half.
func padme(n int) int {
	if n < 2 {
		return n
	}
	e := bits.Len(uint(n)) - 1 // floor(log2 n)
	s := bits.Len(uint(e))     // floor(log2 e) + 1
	mask := (1 << uint(e-s)) - 1
	if e-s < 0 {
		mask = 0
	}
	return (n + mask) &^ mask
}
