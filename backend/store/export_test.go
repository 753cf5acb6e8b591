package store

import "go.etcd.io/bbolt"

// What the benchmarks of the external test package (store_test, which
// shares its data with other packages' through internal/fixture) need of
// the package's insides.

// NewBenchSealer is the XChaCha20-Poly1305 test sealer (random 24-byte
// nonce, AAD bucket|key): what a real vault costs per record.
func NewBenchSealer() Sealer { return newXChaChaSealer() }

// UseSchema makes Open create and migrate files up to schema version v
// until restore is called.
func UseSchema(v int) (restore func()) {
	saved := migrations
	migrations, currentSchemaVersion = saved[:v], v
	return func() { migrations, currentSchemaVersion = saved, len(saved) }
}

// WriteV1 and WriteV2 store transactions as schemas 3 and 4 did.
var WriteV1, WriteV2 = writeV1, writeV2

// EncodeRecord is a transaction's record encoding, before sealing.
var EncodeRecord = encodeRecord

// TransactionBytes is the size of keys and values in the transactions
// bucket: of the records, and of the month indexes.
func TransactionBytes(st *Store) (records, index int, err error) {
	err = st.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketTransactions).ForEach(func(k, v []byte) error {
			if id, _ := recordID(k); id == 0 {
				index += len(k) + len(v)
			} else {
				records += len(k) + len(v)
			}
			return nil
		})
	})
	return records, index, err
}

// realisticTransactions is fixture.Transactions for the package's own
// tests, which cannot import fixture (it imports store): the external
// test package, in the same test binary, sets it.
var realisticTransactions func(n int) []Transaction

// UseTransactions sets realisticTransactions.
func UseTransactions(fn func(n int) []Transaction) { realisticTransactions = fn }
