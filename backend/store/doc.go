// Package store keeps Bankdesk's data (bank connections and their tokens,
// accounts, balances, transactions and the person's own fields of them,
// auth attempts, settings) in one bbolt file on the user's disk, every
// value sealed by a Sealer.
//
// # What is in clear
//
// Bucket names, the schema version, the store id, and record keys that
// are keyed hashes (keys.go): no id, name or time is in a key since schema
// 5. Every value goes through Sealer.Seal with the store id and bucket
// name, and the record key, as additional data, so a value moved to
// another key, bucket or store fails to unseal, and so does a flipped
// byte; reads then return an error matching ErrUnreadable and the sealer's
// own error. Plaintexts are padded to size classes. SECURITY.md has the
// table of what a file still shows (sizes, counts, clusters).
//
// # Buckets and keys
//
// Left of the arrow is the record's name, which the key is the keyed hash
// of (HMAC(index key, bucket, name), 16 bytes); right of it is the payload
// sealed in its envelope (keys.go: name, payload, padding).
//
//	meta          "schema_version" → 8-byte big-endian version (clear, key in clear)
//	              "store_id"       → 16 random bytes (clear, key in clear)
//	              "index_key"      → the HMAC key of record keys (sealed, no envelope)
//	              "canary"         → sealed constant, checked at Open (no envelope)
//	connections   connection id    → Connection (JSON)
//	accounts      account id       → Account (JSON)
//	balances      account id       → Balance (JSON)
//	transactions  (key: cluster(account, month) ‖ hash(account, dedupe key))
//	              → record (binary, txcodec.go format 3: account, booking
//	              time and dedupe key, then format 2's fields)
//	txindex       account 0x00 month(4) → that month's (booking time, dedupe key), in order
//	txdir         account id       → the account's months, with counts
//	pending       account id       → []Transaction (JSON), the whole set
//	providers     "providers"      → fetchedAt(8) then the raw JSON
//	attempts      hex(SHA-256(state)) → Attempt (JSON, without State)
//	settings      setting name     → value as given
//	checkpoints   account id       → checkpoint as given
//	standing_orders account id     → []StandingOrder (JSON), the whole set
//	direct_debits account id       → []DirectDebit (JSON), the whole set
//	user_fields   account id       → the person's fields of its transactions
//	              (JSON, the whole set, by dedupe key; userfields.go)
//	imports       import id        → Import (JSON: file, account, the keys it
//	              added; imports.go)
//
// A date range reads the months it spans (one cursor Seek each) and sorts
// them; the newest N read the month indexes from the end. The dedupe index
// (txindex.go) finds a transaction's record from its dedupe key alone (see
// DedupeKey), which is how a changed booking time moves a record instead of
// duplicating it; it lives in memory, built from the month indexes.
// Schemas 1 to 4 kept ids and booking times in clear in the keys (account
// 0x00 bookedAt(8) 0x00 dedupe key, txkeys.go), which the migrations still
// read.
//
// # Schema
//
// migrations is an ordered list; Open runs the missing ones in one Update.
// A file whose version is newer than the code is refused (ErrNewerSchema).
// The JSON field names of the record types, and the binary transaction
// format, are the file format: changing either needs a migration.
package store
