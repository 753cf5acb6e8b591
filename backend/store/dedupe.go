package store

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"strconv"
	"strings"
)

// DedupeKey is the identity of a transaction within its account, stable
// across syncs even though TrueLayer's transaction_id is not:
//
//   - "n:" + normalised_provider_transaction_id, when present (TrueLayer's
//     stable id);
//   - else "p:" + provider_transaction_id (the bank's id);
//   - else "h:" + hex(SHA-256(fields)), where fields are, in order, the
//     account id, the booking date in UTC as YYYY-MM-DD, the amount's
//     canonical decimal string (decimal.String: "-2.99", "1.5", "0") and the
//     description, each preceded by its length in bytes as an 8-byte
//     big-endian integer.
//
// A content-hash key cannot follow an edit of the description, amount or
// date: such an edit arrives as a new transaction. Two genuinely separate,
// identical purchases on one day (two coffees) share a hash, so
// PutTransactions and ReplacePending number repeats within one call:
// "h:…", "h:…#2", "h:…#3". That numbering is stable as long as each call
// carries whole days, which TrueLayer's date-bounded requests do.
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
	for _, field := range []string{
		t.AccountID,
		t.BookedAt.UTC().Format("2006-01-02"),
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

// prepareBatch normalises txs (in place on a copy), numbers repeated
// content-hash keys and collapses repeated ids so the last occurrence wins.
// The result has unique keys, in input order.
func prepareBatch(accountID string, txs []Transaction, status string) ([]Transaction, error) {
	if err := validID("account id", accountID); err != nil {
		return nil, err
	}
	out := make([]Transaction, 0, len(txs))
	at := make(map[string]int, len(txs)) // key → index in out
	seen := make(map[string]int)         // content hash → occurrences so far
	for _, t := range txs {
		if err := normalise(&t, accountID, status); err != nil {
			return nil, err
		}
		if strings.HasPrefix(t.Key, "h:") {
			seen[t.Key]++
			if n := seen[t.Key]; n > 1 {
				t.Key += "#" + strconv.Itoa(n)
			}
		}
		if i, dup := at[t.Key]; dup {
			out[i] = t
			continue
		}
		at[t.Key] = len(out)
		out = append(out, t)
	}
	return out, nil
}
