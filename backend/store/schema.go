package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"bankdesk/backend/bankday"
)

// Bucket names, in clear in the file (see doc.go for each bucket's keys).
var (
	bucketMeta         = []byte("meta")
	bucketConnections  = []byte("connections")
	bucketAccounts     = []byte("accounts")
	bucketBalances     = []byte("balances")
	bucketTransactions = []byte("transactions")
	// bucketDedupe held the dedupe index on disk in schemas 1 and 2; it is
	// in memory since (txindex.go).
	bucketDedupe      = []byte("dedupe")
	bucketPending     = []byte("pending")
	bucketProviders   = []byte("providers")
	bucketAttempts    = []byte("attempts")
	bucketSettings    = []byte("settings")
	bucketCheckpoints = []byte("checkpoints")
	// Added in schema version 2.
	bucketStandingOrders = []byte("standing_orders")
	bucketDirectDebits   = []byte("direct_debits")
	// Added in schema version 6: the person's own fields (userfields.go).
	bucketUserFields = []byte("user_fields")
	// Added in schema version 7: imported files, one record each, for
	// their undo (imports.go).
	bucketImports = []byte("imports")
)

// Keys inside the meta bucket.
var (
	// metaSchemaVersion holds the schema version as an 8-byte big-endian
	// integer, in clear: it is not secret and must be readable before the
	// sealer is trusted.
	metaSchemaVersion = []byte("schema_version")
	// metaCanary holds a sealed constant; unsealing it at Open turns a wrong
	// key into an immediate, clear error instead of a failure on first read.
	metaCanary = []byte("canary")
)

var canaryPlaintext = []byte("bankdesk store")

// migration upgrades the file by one schema version inside the Open Update.
type migration func(s *Store, tx *bbolt.Tx) error

// migrations is ordered: migrations[i] takes the file from version i to i+1.
// Append only; never edit a released entry.
var migrations = []migration{
	migrateCreateBuckets,    // 0 → 1
	migrateRecurringBuckets, // 1 → 2
	migrateDropDedupeBucket, // 2 → 3
	migrateBankDays,         // 3 → 4
	migrateKeyedHashes,      // 4 → 5
	migrateUserFields,       // 5 → 6
	migrateImports,          // 6 → 7
}

// currentSchemaVersion is the version this code writes.
var currentSchemaVersion = len(migrations)

// LatestSchema is the schema version this code writes and the newest it
// opens: a backup of a newer data file cannot be restored here.
func LatestSchema() int { return currentSchemaVersion }

// migrateCreateBuckets is version 1: every bucket plus the canary.
func migrateCreateBuckets(s *Store, tx *bbolt.Tx) error {
	for _, name := range [][]byte{
		bucketConnections, bucketAccounts, bucketBalances, bucketTransactions,
		bucketDedupe, bucketPending, bucketProviders, bucketAttempts,
		bucketSettings, bucketCheckpoints,
	} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return s.put(tx.Bucket(bucketMeta), bucketMeta, metaCanary, canaryPlaintext)
}

// migrateRecurringBuckets is version 2: standing orders and direct debits.
func migrateRecurringBuckets(s *Store, tx *bbolt.Tx) error {
	for _, name := range [][]byte{bucketStandingOrders, bucketDirectDebits} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}

// migrateUserFields is version 6: the person's own fields of
// transactions, kept apart from the bank's (userfields.go).
func migrateUserFields(s *Store, tx *bbolt.Tx) error {
	if _, err := tx.CreateBucketIfNotExists(bucketUserFields); err != nil {
		return fmt.Errorf("create bucket %s: %w", bucketUserFields, err)
	}
	return nil
}

// migrateImports is version 7: the imports bucket (imports.go).
func migrateImports(s *Store, tx *bbolt.Tx) error {
	if _, err := tx.CreateBucketIfNotExists(bucketImports); err != nil {
		return fmt.Errorf("create bucket %s: %w", bucketImports, err)
	}
	return nil
}

// migrateDropDedupeBucket is version 3: the dedupe index moves to memory,
// rebuilt from the transactions' own keys (txindex.go).
func migrateDropDedupeBucket(s *Store, tx *bbolt.Tx) error {
	if tx.Bucket(bucketDedupe) == nil {
		return nil
	}
	if err := tx.DeleteBucket(bucketDedupe); err != nil {
		return fmt.Errorf("delete bucket %s: %w", bucketDedupe, err)
	}
	return nil
}

// migrate brings the file to currentSchemaVersion in one Update, so a crash
// mid-way leaves the file at its old version. A file that holds data but
// no schema version (its meta bucket deleted, or the version) is damage,
// not a new store: starting it afresh would write a new canary, under
// whatever key was given, over data sealed under another.
func (s *Store) migrate() error {
	return s.update(func(tx *bbolt.Tx) error {
		fresh := tx.Bucket(bucketMeta) == nil || tx.Bucket(bucketMeta).Get(metaSchemaVersion) == nil
		if fresh && holdsData(tx) {
			return &DamageError{Path: s.path, Detail: "the file holds data but its schema version is missing"}
		}
		meta, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return fmt.Errorf("store: create meta bucket: %w", err)
		}
		version, err := readSchemaVersion(meta)
		if err != nil {
			return err
		}
		if version > currentSchemaVersion {
			return fmt.Errorf("%w (file version %d, this Bankdesk knows up to %d)", ErrNewerSchema, version, currentSchemaVersion)
		}
		// The key is checked before any migration reads or rewrites a
		// record: one that rewrote records it could not open under another
		// key would lose them (and seal the canary to the wrong key).
		if err := s.unlock(meta, version); err != nil {
			return err
		}
		s.scrub = version > 0 && version < keyedSchema && holdsData(tx)
		for v := version; v < currentSchemaVersion; v++ {
			if err := migrations[v](s, tx); err != nil {
				return fmt.Errorf("store: migrate schema %d → %d: %w", v, v+1, err)
			}
		}
		if version != currentSchemaVersion {
			if err := meta.Put(metaSchemaVersion, encodeVersion(currentSchemaVersion)); err != nil {
				return fmt.Errorf("store: write schema version: %w", err)
			}
		}
		s.version = currentSchemaVersion
		if err := s.checkCanary(meta); err != nil {
			return err
		}
		if err := s.recreateBuckets(tx); err != nil {
			return err
		}
		return s.loadDamageLog(meta)
	})
}

// dataBuckets are every bucket the current schema has besides meta.
var dataBuckets = [][]byte{
	bucketConnections, bucketAccounts, bucketBalances, bucketTransactions, bucketPending,
	bucketProviders, bucketAttempts, bucketSettings, bucketCheckpoints, bucketStandingOrders, bucketDirectDebits,
	bucketTxDir, bucketUserFields, bucketImports,
}

// holdsData reports whether any data bucket has a record.
func holdsData(tx *bbolt.Tx) bool {
	for _, name := range dataBuckets {
		if b := tx.Bucket(name); b != nil {
			if k, _ := b.Cursor().First(); k != nil {
				return true
			}
		}
	}
	return false
}

// recreateBuckets puts back, empty, any bucket something deleted, and
// reports each (Damaged): the store keeps working, and a sync refills what
// the bank still has.
func (s *Store) recreateBuckets(tx *bbolt.Tx) error {
	for _, name := range dataBuckets {
		if tx.Bucket(name) != nil {
			continue
		}
		if _, err := tx.CreateBucket(name); err != nil {
			return fmt.Errorf("store: recreate bucket %s: %w", name, err)
		}
		if err := s.logDamage(tx.Bucket(bucketMeta), fmt.Sprintf("the %s bucket was missing and was recreated empty", name)); err != nil {
			return err
		}
	}
	return nil
}

// checkVersion is migrate's read-only twin: it refuses any file that is not
// exactly at currentSchemaVersion.
func (s *Store) checkVersion() error {
	return s.view(func(tx *bbolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil {
			return fmt.Errorf("%w (no schema version)", ErrOlderSchema)
		}
		version, err := readSchemaVersion(meta)
		if err != nil {
			return err
		}
		switch {
		case version > currentSchemaVersion:
			return fmt.Errorf("%w (file version %d, this Bankdesk knows up to %d)", ErrNewerSchema, version, currentSchemaVersion)
		case version < currentSchemaVersion:
			return fmt.Errorf("%w (file version %d, current %d)", ErrOlderSchema, version, currentSchemaVersion)
		}
		s.version = version
		return s.unlock(meta, version)
	})
}

func (s *Store) checkCanary(meta *bbolt.Bucket) error {
	sealed := meta.Get(metaCanary)
	if sealed == nil {
		return &DamageError{Path: s.path, Detail: "its key check (the meta canary) is missing"}
	}
	_, err := s.open(bucketMeta, metaCanary, sealed)
	return err
}

func readSchemaVersion(meta *bbolt.Bucket) (int, error) {
	raw := meta.Get(metaSchemaVersion)
	if raw == nil {
		return 0, nil
	}
	if len(raw) != 8 {
		return 0, fmt.Errorf("store: schema version is %d bytes, want 8", len(raw))
	}
	v := binary.BigEndian.Uint64(raw)
	if v > 1<<31 {
		return 0, fmt.Errorf("%w (file version %d)", ErrNewerSchema, v)
	}
	return int(v), nil
}

func encodeVersion(v int) []byte {
	return binary.BigEndian.AppendUint64(nil, uint64(v))
}

// migrateBankDays is version 4: booking times carry the bank's offset and
// days are the bank's days (bankday). Earlier versions stored UTC, which
// put a UK booking stamped at local midnight in summer on the day before.
// The offsets as sent are gone, so each time is read in its provider's
// zone: exactly right for the midnight stamps that caused the trouble.
// Content-hash keys cover the day, so they are computed again; every
// record is rewritten in transaction format 2. Pending sets too.
func migrateBankDays(s *Store, tx *bbolt.Tx) error {
	zones := map[string]*time.Location{} // account id → provider zone
	if accts := tx.Bucket(bucketAccounts); accts != nil {
		err := accts.ForEach(func(k, v []byte) error {
			var a Account
			if err := s.openJSON(bucketAccounts, k, v, &a); err != nil {
				return err
			}
			zones[a.ID] = bankday.Zone(bankday.Country(a.ProviderID, ""))
			return nil
		})
		if err != nil {
			return err
		}
	}
	zone := func(accountID string) *time.Location {
		if z, ok := zones[accountID]; ok {
			return z
		}
		return bankday.London
	}
	if b := tx.Bucket(bucketTransactions); b != nil {
		var old []sealedKV
		if err := b.ForEach(func(k, v []byte) error {
			old = append(old, sealedKV{clone(k), clone(v)})
			return nil
		}); err != nil {
			return err
		}
		for _, kv := range old {
			// A record that does not open stays as it is, for the reads to
			// report: one damaged record must not keep the store shut.
			plain, err := s.open(bucketTransactions, kv.key, kv.value)
			if err != nil {
				continue
			}
			t, err := decodeTransaction(kv.key, plain)
			if err != nil {
				continue
			}
			t.BookedAt = bankTime(t.BookedAt.In(zone(t.AccountID)))
			t.Key = rehash(t)
			key := primaryKey(t.AccountID, t.BookedAt, t.Key)
			if !bytes.Equal(key, kv.key) {
				if err := b.Delete(kv.key); err != nil {
					return fmt.Errorf("delete %s: %w", printableKey(kv.key), err)
				}
			}
			if plain, err = encodeRecord(t); err != nil {
				return err
			}
			if err := s.put(b, bucketTransactions, key, plain); err != nil {
				return err
			}
		}
	}
	if b := tx.Bucket(bucketPending); b != nil {
		type set struct {
			key []byte
			txs []Transaction
		}
		var sets []set
		if err := b.ForEach(func(k, v []byte) error {
			var txs []Transaction
			if err := s.openJSON(bucketPending, k, v, &txs); err != nil {
				return nil // left for the reads to report; the next sync replaces it
			}
			sets = append(sets, set{clone(k), txs})
			return nil
		}); err != nil {
			return err
		}
		for _, st := range sets {
			for i := range st.txs {
				t := &st.txs[i]
				t.BookedAt = bankTime(t.BookedAt.In(zone(string(st.key))))
				t.Key = rehash(*t)
			}
			if err := s.putJSON(b, bucketPending, st.key, st.txs); err != nil {
				return err
			}
		}
	}
	return nil
}

// migrateKeyedHashes is version 5: record keys become keyed hashes and
// values are padded envelopes that carry each record's name (keys.go);
// transactions are stored by month with sealed indexes (txindex.go), in
// format 3, which holds what their keys held. Everything is read in the
// old layout first, then every bucket is written afresh in the new one. A
// record that does not open (the key was checked already: it is damaged)
// cannot be carried over; it is reported.
func migrateKeyedHashes(s *Store, tx *bbolt.Tx) error {
	type record struct{ name, payload []byte }
	plain := map[string][]record{}
	var txs []Transaction
	for _, name := range dataBuckets {
		b := tx.Bucket(name)
		if b == nil {
			continue
		}
		err := b.ForEach(func(k, v []byte) error {
			p, err := s.open(name, k, v)
			if err == nil && bytes.Equal(name, bucketTransactions) {
				var t Transaction
				if t, err = decodeTransaction(k, p); err == nil {
					txs = append(txs, t)
					return nil
				}
			}
			if err != nil {
				s.damage.note(name, k, fmt.Errorf("%w: not carried over to schema 5: %w", ErrUnreadable, err))
				return nil
			}
			plain[string(name)] = append(plain[string(name)], record{clone(k), p})
			return nil
		})
		if err != nil {
			return err
		}
	}
	if err := s.setKeys(tx.Bucket(bucketMeta)); err != nil {
		return err
	}
	for _, name := range dataBuckets {
		if tx.Bucket(name) != nil {
			if err := tx.DeleteBucket(name); err != nil {
				return fmt.Errorf("delete bucket %s: %w", name, err)
			}
		}
		b, err := tx.CreateBucket(name)
		if err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
		for _, r := range plain[string(name)] {
			if err := s.put(b, name, r.name, r.payload); err != nil {
				return err
			}
		}
	}
	byAccount := map[string][]Transaction{}
	for _, t := range txs {
		byAccount[t.AccountID] = append(byAccount[t.AccountID], t)
	}
	defer s.index.forgetAll()
	for accountID, txs := range byAccount {
		if err := s.writeFresh(tx, accountID, txs); err != nil {
			return err
		}
	}
	return nil
}
