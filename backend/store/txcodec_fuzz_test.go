package store

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// fuzzSeeds are transactions whose records seed the codec's fuzz targets:
// the plain case, every optional field set, and the edges of the format
// (empty strings, an offset at its limit, a large amount).
func fuzzSeeds() []Transaction {
	booked := time.Date(2026, 3, 6, 23, 30, 0, 0, time.FixedZone("", 3600))
	rb := dec("1234.56")
	return []Transaction{
		{AccountID: "acc-1", Key: "n:txn-1", BookedAt: booked, Description: "SAINSBURYS", Amount: dec("-12.50"),
			Currency: "GBP", Type: TypeDebit, Status: TxBooked},
		{AccountID: "acc-1", Key: "p:B1", BookedAt: booked.UTC(), Description: "=SUM(A1)\r\nline", Merchant: "Sainsbury's",
			Category: "PURCHASE", Classification: []string{"Shopping", "Groceries"}, Amount: dec("0.01"), Currency: "EUR",
			Type: TypeCredit, Status: TxPending, RunningBalance: &rb, NormalisedProviderID: "txn-1",
			ProviderTransactionID: "B1", TransactionID: "per-request", Meta: map[string]string{"b": "2", "a": "", "count": "7"},
			Missing: 3},
		{AccountID: "", Key: "", BookedAt: time.Unix(0, 0).In(time.FixedZone("", -maxOffset)), Amount: dec("92233720368547758070.12"),
			Missing: 255},
	}
}

// A record from the disk may be anything (a bit flip, a bug, an old
// version): decoding it never panics, and peeking at it agrees with
// decoding it. What decodes encodes again to bytes that decode to the
// same transaction and encode to the same bytes: the encoding is
// deterministic, as change detection needs.
func FuzzDecodeTx(f *testing.F) {
	for _, t := range fuzzSeeds() {
		b, _ := encodeTx(t)
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	f.Add([]byte{})
	f.Add([]byte{txFormatV3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Fuzz(func(t *testing.T, b []byte) {
		tx, err := decodeTx(b)
		head, herr := peekTx(b)
		if err != nil {
			return
		}
		if herr != nil {
			t.Fatalf("peekTx fails (%v) where decodeTx reads %+v", herr, tx)
		}
		if _, offset := tx.BookedAt.Zone(); head.accountID != tx.AccountID || head.dedupe != tx.Key ||
			head.at != tx.BookedAt.UnixNano() || head.offset != offset || string(head.typ) != tx.Type {
			t.Fatalf("peekTx %+v disagrees with decodeTx %+v", head, tx)
		}
		again, _ := encodeTx(tx)
		tx2, err := decodeTx(again)
		if err != nil {
			t.Fatalf("a decoded transaction encodes to bytes that do not decode: %v", err)
		}
		sameJSON(t, "decode(encode(decode(b)))", tx2, tx)
		if third, _ := encodeTx(tx2); !bytes.Equal(third, again) {
			t.Fatalf("encoding is not deterministic:\n%x\n%x", again, third)
		}
	})
}

// The same for the version 1 and 2 records that the schema 4 migration
// reads (decodeRecord: the value only, the rest is in the record key).
func FuzzDecodeRecord(f *testing.F) {
	for _, t := range fuzzSeeds() {
		b, _ := encodeRecord(t)
		f.Add(b)
		// Version 1: no offset, no missing.
		v1 := append([]byte{txFormatV1}, appendBody(nil, Transaction{Description: t.Description, Amount: t.Amount, Type: t.Type})[2:]...)
		f.Add(v1)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		tx := Transaction{BookedAt: time.Date(2026, 3, 6, 12, 0, 0, 0, time.UTC)}
		if err := decodeRecord(b, &tx); err != nil {
			return
		}
		again, _ := encodeRecord(tx)
		tx2 := Transaction{BookedAt: tx.BookedAt}
		if err := decodeRecord(again, &tx2); err != nil {
			t.Fatalf("a decoded record encodes to bytes that do not decode: %v", err)
		}
		sameJSON(t, "decode(encode(decode(b)))", tx2, tx)
	})
}

// Any transaction the store can be given comes back from its record as it
// was: text byte for byte (valid UTF-8 or not), amounts to the cent and
// beyond, the instant and the bank's offset.
func FuzzTxRoundTrip(f *testing.F) {
	f.Add("acc-1", "n:txn-1", int64(1772839800000000000), int32(3600), "SAINSBURYS", "Sainsbury's", "PURCHASE",
		"GBP", TypeDebit, TxBooked, "txn-1", "B1", "per-request", int64(-1250), int32(-2), true, int64(123456), "Shopping", "k", "v", uint8(3))
	f.Add("", "", int64(0), int32(-maxOffset), "", "", "", "", "", "", "", "", "", int64(0), int32(0), false, int64(0), "", "", "", uint8(0))
	f.Fuzz(func(t *testing.T, account, key string, unixNano int64, offset int32, desc, merchant, category, currency,
		typ, status, npid, ptid, tid string, coef int64, exp int32, hasBalance bool, balance int64,
		class, metaKey, metaValue string, missing uint8) {
		offset %= maxOffset + 1
		exp = exp%19 - 18 + 6 // from 10^-30 to 10^6: far beyond money, within reason
		in := Transaction{
			AccountID: account, Key: key, BookedAt: time.Unix(0, unixNano).In(fixedZone(int(offset))),
			Description: desc, Merchant: merchant, Category: category, Currency: currency, Type: typ, Status: status,
			Amount: decimal.New(coef, exp), NormalisedProviderID: npid, ProviderTransactionID: ptid, TransactionID: tid,
			Missing: int(missing),
		}
		if hasBalance {
			d := decimal.New(balance, -2)
			in.RunningBalance = &d
		}
		if class != "" {
			in.Classification = []string{class, class + "/sub"}
		}
		if metaKey != "" {
			in.Meta = map[string]string{metaKey: metaValue}
		}
		b, _ := encodeTx(in)
		out, err := decodeTx(b)
		if err != nil {
			t.Fatalf("decode %+v: %v", in, err)
		}
		if !out.Amount.Equal(in.Amount) || out.RunningBalance != nil != hasBalance ||
			hasBalance && !out.RunningBalance.Equal(*in.RunningBalance) {
			t.Fatalf("amounts: got %s %v, want %s %v", out.Amount, out.RunningBalance, in.Amount, in.RunningBalance)
		}
		if _, off := out.BookedAt.Zone(); !out.BookedAt.Equal(in.BookedAt) || off != int(offset) {
			t.Fatalf("booked at %s, want %s", out.BookedAt, in.BookedAt)
		}
		out.Amount, out.RunningBalance, out.BookedAt = in.Amount, in.RunningBalance, in.BookedAt
		if !reflect.DeepEqual(out, in) {
			t.Fatalf("round trip:\n got %#v\nwant %#v", out, in)
		}
	})
}
