package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"bankdesk/backend/bankday"
)

// Transaction records use a small binary format rather than JSON: at 100k
// transactions per import, encoding/json was a quarter of the time and most
// of the garbage. The format (version 2):
//
//	byte       format version (2)
//	varint     the bank's UTC offset of the booking time, in seconds
//	uvarint    missing (see Transaction.Missing)
//	string ×9  description, merchant, category, currency, type, status,
//	           normalised provider id, provider transaction id, amount
//	byte+str   running balance: 0, or 1 followed by the amount
//	uvarint n  classification count, then n strings
//	uvarint n  meta count, then n key/value string pairs sorted by key
//	string     transaction id (last: the volatile field)
//
// A string is its length as a uvarint followed by its bytes; amounts are
// decimal.String (canonical: "-2.99", "1.5"). Encoding is deterministic, so
// equal content gives equal bytes. Version 1 had neither the offset (its
// times were UTC) nor missing; schema 4 rewrote every record as version 2
// (migrateBankDays), and decodeRecord still reads version 1 for it.
const (
	txFormatV1 = 1
	txFormatV2 = 2
)

var errShortRecord = errors.New("truncated transaction record")

func appendString(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

// encodeRecord encodes t's value (everything but the account, booking time
// and key, which live in the record key).
func encodeRecord(t Transaction) ([]byte, error) {
	return appendBody(append(make([]byte, 0, 256), txFormatV2), t), nil
}

// appendBody appends format 2's fields after its version byte.
func appendBody(b []byte, t Transaction) []byte {
	_, offset := t.BookedAt.Zone()
	b = binary.AppendVarint(b, int64(offset))
	b = binary.AppendUvarint(b, uint64(max(t.Missing, 0)))
	for _, s := range []string{
		t.Description, t.Merchant, t.Category, t.Currency, t.Type, t.Status,
		t.NormalisedProviderID, t.ProviderTransactionID,
	} {
		b = appendString(b, s)
	}
	b = appendDecimal(b, t.Amount)
	if t.RunningBalance == nil {
		b = append(b, 0)
	} else {
		b = appendDecimal(append(b, 1), *t.RunningBalance)
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
	return appendString(b, t.TransactionID)
}

// appendDecimal appends d as a string, exactly as decimal.String writes it
// ("-2.99", "1.5", "0"). Money fits an int64 coefficient, and formatting
// that directly spares the big.Int text conversion, which was a tenth of
// a sync's ingest time.
func appendDecimal(dst []byte, d decimal.Decimal) []byte {
	exp := d.Exponent()
	if exp > 0 || exp < -18 || d.NumDigits() > 18 {
		return appendString(dst, d.String())
	}
	v := d.CoefficientInt64()
	var buf [20]byte
	digits := strconv.AppendUint(buf[:0], absUint(v), 10)
	frac := int(-exp)
	var num [40]byte // sign, "0.", zeros and at most 18 digits
	n := num[:0]
	if v < 0 {
		n = append(n, '-')
	}
	if frac == 0 {
		n = append(n, digits...)
	} else {
		if len(digits) <= frac {
			n = append(n, '0')
		} else {
			n = append(n, digits[:len(digits)-frac]...)
		}
		fraction := digits[max(len(digits)-frac, 0):]
		zeros := frac - len(fraction)
		fraction = bytes.TrimRight(fraction, "0")
		if len(fraction) > 0 {
			n = append(n, '.')
			for range zeros {
				n = append(n, '0')
			}
			n = append(n, fraction...)
		}
	}
	dst = binary.AppendUvarint(dst, uint64(len(n)))
	return append(dst, n...)
}

func absUint(v int64) uint64 {
	if v < 0 {
		return uint64(-v)
	}
	return uint64(v)
}

// recordReader consumes an encoded record; the first error sticks.
type recordReader struct {
	b   []byte
	err error
}

func (r *recordReader) uvarint() uint64 { return readVarint(r, binary.Uvarint) }

func (r *recordReader) varint() int64 { return readVarint(r, binary.Varint) }

// readVarint consumes one varint decoded by decode (binary.Uvarint or
// binary.Varint).
func readVarint[T int64 | uint64](r *recordReader, decode func([]byte) (T, int)) T {
	if r.err != nil {
		return 0
	}
	v, n := decode(r.b)
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

// stringAs reads a string, returning want itself when they are equal.
func (r *recordReader) stringAs(want string) string {
	n := r.uvarint()
	if r.err != nil || n > uint64(len(r.b)) {
		r.err = errShortRecord
		return ""
	}
	var s string
	if string(r.b[:n]) == want { // compiled without a copy
		s = want
	} else {
		s = string(r.b[:n])
	}
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

// maxOffset bounds a stored UTC offset: real zones lie within ±14 hours.
const maxOffset = 14 * 3600

// decodeRecord fills t's value fields from an encoded record, and puts
// t.BookedAt (set from the record key) in the bank's offset.
func decodeRecord(b []byte, t *Transaction) error {
	r := &recordReader{b: b}
	return decodeBody(r, r.byte(), t)
}

// decodeBody reads a record's fields after its version byte v; r.err
// set means there was none.
func decodeBody(r *recordReader, v byte, t *Transaction) error {
	switch {
	case r.err != nil:
	case v == txFormatV2:
		offset := r.varint()
		if r.err == nil && (offset < -maxOffset || offset > maxOffset) {
			return fmt.Errorf("transaction record offset %d out of range", offset)
		}
		t.BookedAt = t.BookedAt.In(fixedZone(int(offset)))
		t.Missing = int(min(r.uvarint(), 255))
	case v != txFormatV1:
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

// peekBody reads only what matching an id needs from a record's fields
// after its version byte v, without decoding the rest: its type (DEBIT or
// CREDIT) and the bank's UTC offset. A sync's overlap re-reads a week of
// transactions each time, so this runs for most of what it stores.
func peekBody(r *recordReader, v byte) (typ []byte, offset int, err error) {
	if v == txFormatV2 {
		offset = int(r.varint())
		r.uvarint() // missing
	} else if r.err == nil && v != txFormatV1 {
		return nil, 0, fmt.Errorf("unknown transaction record format %d", v)
	}
	for range 4 { // description, merchant, category, currency
		n := r.uvarint()
		if r.err != nil || n > uint64(len(r.b)) {
			return nil, 0, errShortRecord
		}
		r.b = r.b[n:]
	}
	n := r.uvarint()
	if r.err != nil || n > uint64(len(r.b)) {
		return nil, 0, errShortRecord
	}
	return r.b[:n], offset, nil
}

// Version 3 (schema 5) carries what the record key no longer says, ahead
// of version 2's fields (offset onwards):
//
//	byte       format version (3)
//	string     account id
//	varint     booking instant, Unix nanoseconds
//	string     dedupe key
//	…          version 2 from the offset on
const txFormatV3 = 3

// encodeTx encodes a whole transaction (version 3).
func encodeTx(t Transaction) ([]byte, error) {
	b := make([]byte, 0, 224+len(t.AccountID)+len(t.Key)+len(t.Description)+len(t.TransactionID))
	b = append(b, txFormatV3)
	b = appendString(b, t.AccountID)
	b = binary.AppendVarint(b, t.BookedAt.UnixNano())
	b = appendString(b, t.Key)
	return appendBody(b, t), nil
}

// decodeTx decodes a version 3 record.
func decodeTx(b []byte) (Transaction, error) { return decodeTxOf(b, "") }

// decodeTxOf is decodeTx for a record expected to be account's: its id
// is then that string, not a copy (one allocation less per record read).
func decodeTxOf(b []byte, account string) (Transaction, error) {
	r := &recordReader{b: b}
	if v := r.byte(); r.err == nil && v != txFormatV3 {
		return Transaction{}, fmt.Errorf("unknown transaction record format %d", v)
	}
	var t Transaction
	t.AccountID = r.stringAs(account)
	at := r.varint()
	t.Key = r.string()
	if r.err != nil {
		return Transaction{}, r.err
	}
	t.BookedAt = time.Unix(0, at).UTC()
	// The rest is version 2 with its version byte taken as read.
	if err := decodeBody(r, txFormatV2, &t); err != nil {
		return Transaction{}, err
	}
	return t, nil
}

// txHead is what matching and indexing need of a version 3 record,
// read without decoding the rest.
type txHead struct {
	accountID string
	at        int64
	dedupe    string
	offset    int
	typ       []byte
}

func peekTx(b []byte) (txHead, error) {
	r := &recordReader{b: b}
	if v := r.byte(); r.err == nil && v != txFormatV3 {
		return txHead{}, fmt.Errorf("unknown transaction record format %d", v)
	}
	h := txHead{accountID: r.string(), at: r.varint(), dedupe: r.string()}
	if r.err != nil {
		return txHead{}, r.err
	}
	typ, offset, err := peekBody(r, txFormatV2)
	h.typ, h.offset = typ, offset
	return h, err
}

// day is the booking day the head says.
func (h txHead) day() bankday.Day {
	return bankday.Of(time.Unix(0, h.at).In(fixedZone(h.offset)))
}
