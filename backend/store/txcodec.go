package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"github.com/shopspring/decimal"
)

// Transaction records use a small binary format rather than JSON: at 100k
// transactions per import, encoding/json was a quarter of the time and most
// of the garbage. The format (version 1):
//
//	byte       format version (1)
//	string ×9  description, merchant, category, currency, type, status,
//	           normalised provider id, provider transaction id, amount
//	byte+str   running balance: 0, or 1 followed by the amount
//	uvarint n  classification count, then n strings
//	uvarint n  meta count, then n key/value string pairs sorted by key
//	string     transaction id (last: the volatile field)
//
// A string is its length as a uvarint followed by its bytes; amounts are
// decimal.String (canonical: "-2.99", "1.5"). Encoding is deterministic, so
// equal content gives equal bytes.
const txFormatV1 = 1

var errShortRecord = errors.New("truncated transaction record")

func appendString(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

// encodeRecord encodes t's value (everything but the account, booking time
// and key, which live in the record key).
func encodeRecord(t Transaction) ([]byte, error) {
	b := make([]byte, 0, 256)
	b = append(b, txFormatV1)
	for _, s := range []string{
		t.Description, t.Merchant, t.Category, t.Currency, t.Type, t.Status,
		t.NormalisedProviderID, t.ProviderTransactionID, t.Amount.String(),
	} {
		b = appendString(b, s)
	}
	if t.RunningBalance == nil {
		b = append(b, 0)
	} else {
		b = appendString(append(b, 1), t.RunningBalance.String())
	}
	b = binary.AppendUvarint(b, uint64(len(t.Classification)))
	for _, c := range t.Classification {
		b = appendString(b, c)
	}
	b = binary.AppendUvarint(b, uint64(len(t.Meta)))
	keys := make([]string, 0, len(t.Meta))
	for k := range t.Meta {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		b = appendString(appendString(b, k), t.Meta[k])
	}
	return appendString(b, t.TransactionID), nil
}

// recordReader consumes an encoded record; the first error sticks.
type recordReader struct {
	b   []byte
	err error
}

func (r *recordReader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errShortRecord
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *recordReader) byte() byte {
	if r.err != nil || len(r.b) == 0 {
		r.err = errShortRecord
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *recordReader) string() string {
	n := r.uvarint()
	if r.err != nil || n > uint64(len(r.b)) {
		r.err = errShortRecord
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func (r *recordReader) decimal() decimal.Decimal {
	s := r.string()
	if r.err != nil {
		return decimal.Decimal{}
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		r.err = err
	}
	return d
}

// decodeRecord fills t's value fields from an encoded record.
func decodeRecord(b []byte, t *Transaction) error {
	r := &recordReader{b: b}
	if v := r.byte(); r.err == nil && v != txFormatV1 {
		return fmt.Errorf("unknown transaction record format %d", v)
	}
	for _, s := range []*string{
		&t.Description, &t.Merchant, &t.Category, &t.Currency, &t.Type, &t.Status,
		&t.NormalisedProviderID, &t.ProviderTransactionID,
	} {
		*s = r.string()
	}
	t.Amount = r.decimal()
	if r.byte() == 1 {
		d := r.decimal()
		t.RunningBalance = &d
	}
	if n := r.uvarint(); n > 0 && n <= uint64(len(r.b)) {
		t.Classification = make([]string, n)
		for i := range t.Classification {
			t.Classification[i] = r.string()
		}
	}
	if n := r.uvarint(); n > 0 && n <= uint64(len(r.b)) {
		t.Meta = make(map[string]string, n)
		for range n {
			k := r.string()
			t.Meta[k] = r.string()
		}
	}
	t.TransactionID = r.string()
	if r.err == nil && len(r.b) != 0 {
		r.err = errors.New("trailing bytes in transaction record")
	}
	return r.err
}
