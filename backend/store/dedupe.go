package store

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"strconv"
	"strings"

	"bankdesk/backend/bankday"
)

// DedupeKey is the identity of a transaction within its account, stable
// across syncs even though TrueLayer's transaction_id is not:
//
//   - "n:" + normalised_provider_transaction_id, when present (TrueLayer's
//     stable id);
//   - else "p:" + provider_transaction_id (the bank's id);
//   - else "h:" + hex(SHA-256(fields)), where fields are, in order, the
//     account id, the booking day (the bank's day, bankday) as YYYY-MM-DD,
//     the amount's canonical decimal string (decimal.String: "-2.99",
//     "1.5", "0") and the description, each preceded by its length in
//     bytes as an 8-byte big-endian integer.
//
// A content-hash key covers no enrichment (merchant, category,
// classification, meta, running balance, time of day), so it survives the
// bank improving those; it cannot follow an edit of the description,
// amount or day: such an edit arrives as a new transaction. Two genuinely
// separate, identical purchases on one day (two coffees) share a hash, so
// PutTransactions and ReplacePending number repeats within one call:
// "h:…", "h:…#2", "h:…#3". That numbering is stable as long as each call
// carries whole days, which TrueLayer's date-bounded requests do.
//
// Banks also reuse ids: the same id can come back for another transaction,
// booked days apart or in the other direction. The store then keeps both,
// the second under a variant key (variantKey: "p:ID@2026-07-01"); see
// txWriter.match for what counts as the same transaction.
//
// t.AccountID must be set: the hash covers it.
func DedupeKey(t Transaction) string {
	if t.NormalisedProviderID != "" {
		return "n:" + t.NormalisedProviderID
	}
	if t.ProviderTransactionID != "" {
		return "p:" + t.ProviderTransactionID
	}
	return contentKey(t)
}

// contentKey is DedupeKey's "h:" form, whatever ids t carries.
func contentKey(t Transaction) string {
	h := sha256.New()
	var day [10]byte
	for _, field := range []string{
		t.AccountID,
		string(t.Day().AppendFormat(day[:0])),
		t.Amount.String(),
		t.Description,
	} {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(field)))
		h.Write(n[:])
		h.Write([]byte(field))
	}
	return "h:" + hex.EncodeToString(h.Sum(nil))
}

// isIDKey reports whether key is an id key ("n:" or "p:"), which the
// writer matches by id, day and direction rather than exactly.
func isIDKey(key string) bool {
	return strings.HasPrefix(key, "n:") || strings.HasPrefix(key, "p:")
}

// variantKey is the key of a transaction that arrived with the id of
// another one: the id key, "@", the day it was first stored for, and "#n"
// from the second such transaction of that day on.
func variantKey(base string, day bankday.Day, n int) string {
	k := base + "@" + day.String()
	if n > 1 {
		k += "#" + strconv.Itoa(n)
	}
	return k
}

// variantBase is the id key a variant key was made from.
func variantBase(key string) (string, bool) {
	if !isIDKey(key) {
		return "", false
	}
	i := strings.LastIndexByte(key, '@')
	if i < 0 {
		return "", false
	}
	day, repeat, numbered := strings.Cut(key[i+1:], "#")
	if _, err := bankday.Parse(day); err != nil || len(day) != 10 {
		return "", false
	}
	if numbered {
		if n, err := strconv.Atoi(repeat); err != nil || n < 2 {
			return "", false
		}
	}
	return key[:i], true
}

// prepareBatch normalises txs (in place on a copy) and numbers repeated
// content-hash keys. Booked batches keep repeated id keys, each a
// transaction of its own that the writer gives its own key; pending sets
// (numberIDs) number those too, as they have no stored keys to match.
func prepareBatch(accountID string, txs []Transaction, status string, numberIDs bool) ([]Transaction, error) {
	if err := validID("account id", accountID); err != nil {
		return nil, err
	}
	out := make([]Transaction, 0, len(txs))
	seen := make(map[string]int) // key → occurrences so far
	for _, t := range txs {
		if err := normalise(&t, accountID, status); err != nil {
			return nil, err
		}
		if numberIDs || strings.HasPrefix(t.Key, "h:") {
			seen[t.Key]++
			if n := seen[t.Key]; n > 1 {
				t.Key += "#" + strconv.Itoa(n)
			}
		}
		out = append(out, t)
	}
	return out, nil
}
