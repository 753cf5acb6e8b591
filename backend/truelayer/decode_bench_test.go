package truelayer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// transactionsBody builds a realistic /transactions response with n items:
// ids of all three kinds, merchant, classification, running balance, meta,
// and the mix of timestamp formats TrueLayer sends.
func transactionsBody(n int) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	merchants := []string{"Sainsburys", "Tesco", "Google play", "Ebay", "Talktalk", "Thames Water", "Pret A Manger", "TfL"}
	classes := [][]string{{"Shopping", "Groceries"}, {"Entertainment", "Games"}, {"Bills and Utilities", "Internet"}, {"Transport", "Public transport"}, {}}
	categories := []string{"PURCHASE", "DIRECT_DEBIT", "TRANSFER", "BILL_PAYMENT", "ATM"}
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var b bytes.Buffer
	b.WriteString(`{"results":[`)
	balance := 2500.00
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		amount := float64(rng.IntN(20000)+1) / 100
		typ := "DEBIT"
		if rng.IntN(5) == 0 {
			typ = "CREDIT"
			balance += amount
		} else {
			amount = -amount
			balance += amount
		}
		ts := start.Add(time.Duration(i) * 37 * time.Minute)
		var stamp string
		switch i % 3 {
		case 0:
			stamp = ts.Format("2006-01-02T15:04:05")
		case 1:
			stamp = ts.Format("2006-01-02T15:04:05-07:00")
		default:
			stamp = ts.Format(time.RFC3339Nano)
		}
		m := merchants[rng.IntN(len(merchants))]
		cl, _ := json.Marshal(classes[rng.IntN(len(classes))])
		fmt.Fprintf(&b, `{"transaction_id":"%032x","normalised_provider_transaction_id":"txn-%016x","provider_transaction_id":"%012x",`+
			`"timestamp":"%s","description":"CARD PAYMENT TO %s REF %06d","amount":%.2f,"currency":"GBP","transaction_type":"%s",`+
			`"transaction_category":"%s","transaction_classification":%s,"merchant_name":"%s",`+
			`"running_balance":{"amount":%.2f,"currency":"GBP"},`+
			`"meta":{"bank_transaction_id":"%012x","provider_transaction_category":"DEB","provider_reference":"REF%06d","counter_party_preferred_name":"%s"}}`,
			rng.Uint64(), rng.Uint64(), rng.Uint64()&0xffffffffffff,
			stamp, m, i, amount, typ, categories[rng.IntN(len(categories))], cl, m, balance, rng.Uint64()&0xffffffffffff, i, m)
	}
	b.WriteString(`],"status":"Succeeded"}`)
	return b.Bytes()
}

func BenchmarkDecodeTransactions10k(b *testing.B) {
	body := transactionsBody(10_000)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var env envelope[Transaction]
		if err := decodeEnvelope(newBodyReader(bytes.NewReader(body)), &env); err != nil {
			b.Fatal(err)
		}
		if len(env.Results) != 10_000 {
			b.Fatalf("%d results", len(env.Results))
		}
	}
}

func TestTransactionsBodyDecodes(t *testing.T) {
	body := transactionsBody(300)
	if !json.Valid(body) {
		t.Fatal("generated body is not JSON")
	}
	var env envelope[Transaction]
	if err := decodeEnvelope(bytes.NewReader(body), &env); err != nil {
		t.Fatal(err)
	}
	for i, tx := range env.Results {
		if !tx.Timestamp.Valid() || tx.StableID() == "" || tx.RunningBalance == nil || tx.Meta["provider_transaction_category"] != "DEB" {
			t.Fatalf("item %d: %+v", i, tx)
		}
	}
}
