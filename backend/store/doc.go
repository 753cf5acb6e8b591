// Package store keeps Bankdesk's data (bank connections and their tokens,
// accounts, balances, transactions, auth attempts, settings) in one bbolt
// file on the user's disk, every value sealed by a Sealer.
//
// # What is in clear
//
// Bucket names, record keys and the schema version. Every value goes through
// Sealer.Seal with the bucket name and the record key as additional data, so
// a value moved to another key or bucket fails to unseal, and so does a
// flipped byte; reads then return an error matching ErrUnreadable and the
// sealer's own error. No token, description, amount or name is stored in
// clear. (bbolt's free pages may keep old values; they were sealed too.)
//
// Keys do reveal structure: connection ids (random), TrueLayer account ids,
// setting names, each account's booking times (in transaction keys, as
// instants; the bank's offset is sealed) and the dedupe keys. Dedupe keys
// carry provider transaction ids (with a booking day after "@" when a bank
// reused one), or a SHA-256 of account, day, amount and description, which
// someone holding the file could test a guess against. Transaction counts
// per account follow.
//
// # Buckets and keys
//
// Left of the arrow is in clear; right of it is the plaintext that is
// sealed (all but the schema version).
//
//	meta          "schema_version" → 8-byte big-endian version (clear)
//	              "canary"         → sealed constant, checked at Open
//	connections   connection id    → Connection (JSON)
//	accounts      account id       → Account (JSON)
//	balances      account id       → Balance (JSON)
//	transactions  accountID 0x00 bookedAt(8) 0x00 dedupeKey → record (binary, txcodec.go;
//	              format 2 holds the bank's UTC offset and the removal count)
//	pending       account id       → []Transaction (JSON), the whole set
//	providers     "providers"      → fetchedAt(8) then the raw JSON
//	attempts      hex(SHA-256(state)) → Attempt (JSON, without State)
//	settings      setting name     → value as given
//	checkpoints   account id       → checkpoint as given
//	standing_orders account id     → []StandingOrder (JSON), the whole set
//	direct_debits account id       → []DirectDebit (JSON), the whole set
//
// bookedAt(8) is Unix nanoseconds, big-endian, sign bit flipped, so an
// account's transactions are contiguous and in booking order: a date range
// is one cursor Seek, the newest N a walk back from the range's end. The
// dedupe index finds a transaction's current primary key from its dedupe
// key alone (see DedupeKey), which is how a changed booking time moves a
// record instead of duplicating it. Since schema 3 that index is built in
// memory from these keys (txindex.go); schemas 1 and 2 also kept it on
// disk, in a "dedupe" bucket.
//
// # Schema
//
// migrations is an ordered list; Open runs the missing ones in one Update.
// A file whose version is newer than the code is refused (ErrNewerSchema).
// The JSON field names of the record types, and the binary transaction
// format, are the file format: changing either needs a migration.
package store
