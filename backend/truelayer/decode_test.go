package truelayer

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestTimeFormats(t *testing.T) {
	bst := time.FixedZone("", 3600)
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2017-02-07T17:29:24.740802Z", time.Date(2017, 2, 7, 17, 29, 24, 740802000, time.UTC)},
		{"2020-11-19T09:30:00Z", time.Date(2020, 11, 19, 9, 30, 0, 0, time.UTC)},
		{"2018-01-16T00:00:00+00:00", time.Date(2018, 1, 16, 0, 0, 0, 0, time.UTC)},
		{"2019-07-19T17:28:37.798+01:00", time.Date(2019, 7, 19, 17, 28, 37, 798e6, bst)},
		{"2018-03-06T00:00:00", time.Date(2018, 3, 6, 0, 0, 0, 0, time.UTC)},
		{"2018-03-06T10:11:12.5", time.Date(2018, 3, 6, 10, 11, 12, 5e8, time.UTC)},
		{"2018-03-06T10:11:12+0100", time.Date(2018, 3, 6, 10, 11, 12, 0, bst)},
		{"2020-12-07 12:34:56Z", time.Date(2020, 12, 7, 12, 34, 56, 0, time.UTC)},
		{"2017-01-28", time.Date(2017, 1, 28, 0, 0, 0, 0, time.UTC)},
		{"2017-01", time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"9999-12-31T00:00:00+00:00", time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		var v Time
		if err := json.Unmarshal([]byte(`"`+tt.in+`"`), &v); err != nil {
			t.Fatalf("%s: %v", tt.in, err)
		}
		if !v.Equal(tt.want) || v.Raw != tt.in || !v.Valid() {
			t.Errorf("%s: got %v (raw %q), want %v", tt.in, v.Time, v.Raw, tt.want)
		}
		out, _ := json.Marshal(v)
		if string(out) != `"`+tt.in+`"` {
			t.Errorf("%s: round trip %s", tt.in, out)
		}
	}
}

func TestTimeLenient(t *testing.T) {
	for _, in := range []string{`"2017-02-247T17:29:24.740802Z"`, `""`, `"yesterday"`, `1613066938`, `true`, `"2018-13-45"`} {
		var v struct {
			At   Time   `json:"at"`
			Next string `json:"next"`
		}
		if err := json.Unmarshal([]byte(`{"at":`+in+`,"next":"ok"}`), &v); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if v.At.Valid() || v.Next != "ok" {
			t.Errorf("%s: %+v", in, v)
		}
		if want := strings.Trim(in, `"`); v.At.Raw != want || v.At.String() != want {
			t.Errorf("%s: raw %q string %q", in, v.At.Raw, v.At.String())
		}
	}
	var v Time
	if err := json.Unmarshal([]byte(`null`), &v); err != nil || v.Valid() || v.Raw != "" {
		t.Errorf("null: %+v %v", v, err)
	}
	if out, _ := json.Marshal(Time{}); string(out) != "null" {
		t.Errorf("zero marshals to %s", out)
	}
	now := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	if out, _ := json.Marshal(Time{Time: now}); string(out) != `"2024-05-06T07:08:09Z"` {
		t.Errorf("built time marshals to %s", out)
	}
	if _, ok := ParseTime("2024-05-06"); !ok {
		t.Error("ParseTime date")
	}
}

func TestAmountsNumberOrString(t *testing.T) {
	body := `{"results":[{"transaction_id":"t","amount":"-12.30","currency":"GBP","transaction_type":"DEBIT",
		"running_balance":{"amount":"1000.01","currency":"GBP"},"timestamp":"2024-01-02"},
		{"transaction_id":"u","amount":0.1,"transaction_type":"CREDIT","timestamp":"2024-01-02"},
		{"transaction_id":"v","amount":1e2,"transaction_type":"CREDIT","timestamp":"2024-01-02"},
		{"transaction_id":"w","amount":123456789012345678901234.56,"transaction_type":"CREDIT","timestamp":"2024-01-02"}]}`
	var env envelope[Transaction]
	if err := decodeEnvelope(strings.NewReader(body), &env); err != nil {
		t.Fatal(err)
	}
	tx := env.Results
	if !tx[0].Amount.Equal(dec("-12.3")) || !tx[0].RunningBalance.Amount.Equal(dec("1000.01")) {
		t.Errorf("string amounts: %s %s", tx[0].Amount, tx[0].RunningBalance.Amount)
	}
	// 0.1 must stay exact: no float64 on the way.
	if tx[1].Amount.String() != "0.1" || !tx[2].Amount.Equal(dec("100")) || tx[3].Amount.String() != "123456789012345678901234.56" {
		t.Errorf("number amounts: %s %s %s", tx[1].Amount, tx[2].Amount, tx[3].Amount)
	}

	var cb Balance
	if err := json.Unmarshal([]byte(`{"available":"3279.50","current":20,"credit_limit":"3300"}`), &cb); err != nil {
		t.Fatal(err)
	}
	decEq(t, "card available (string)", cb.Available, "3279.5")
	decEq(t, "credit limit (string)", cb.CreditLimit, "3300")
	if cb.PaymentDue != nil || cb.LastStatementBalance != nil {
		t.Errorf("absent amounts should be nil: %+v", cb)
	}

	var so StandingOrder
	if err := json.Unmarshal([]byte(`{"frequency":"EvryDay","timestamp":"2024-01-01","next_payment_amount":"500.00","first_payment_amount":0,"final_payment_amount":null}`), &so); err != nil {
		t.Fatal(err)
	}
	decEq(t, "next (string)", so.NextPaymentAmount, "500")
	decEq(t, "first (number)", so.FirstPaymentAmount, "0")
	if so.FinalPaymentAmount != nil {
		t.Errorf("null amount: %v", so.FinalPaymentAmount)
	}

	var b Balance
	if err := json.Unmarshal([]byte(`{"currency":"GBP","current":1}`), &b); err != nil || b.Available != nil || b.Overdraft != nil {
		t.Errorf("balance without optional fields: %+v %v", b, err)
	}
}

func TestTransactionDirection(t *testing.T) {
	tests := []struct {
		typ, amount string
		out         bool
		signed      string
	}{
		{"DEBIT", "-2.99", true, "-2.99"},  // account
		{"DEBIT", "24.25", true, "-24.25"}, // card
		{"CREDIT", "100", false, "100"},
		{"CREDIT", "-24.5", false, "24.5"}, // the batch example's sloppy sign
		{"debit", "5", true, "-5"},
		{"", "-3", true, "-3"}, // no type: the sign decides
		{"", "3", false, "3"},
	}
	for _, tt := range tests {
		tx := Transaction{Type: tt.typ, Amount: dec(tt.amount)}
		if tx.Outflow() != tt.out || !tx.SignedAmount().Equal(dec(tt.signed)) {
			t.Errorf("%s %s: outflow %v signed %s", tt.typ, tt.amount, tx.Outflow(), tx.SignedAmount())
		}
	}
}

func TestStableID(t *testing.T) {
	for _, tt := range []struct {
		tx   Transaction
		want string
	}{
		{Transaction{TransactionID: "a", NormalisedProviderTransactionID: "n", ProviderTransactionID: "p"}, "n"},
		{Transaction{TransactionID: "a", ProviderTransactionID: "p"}, "p"},
		{Transaction{TransactionID: "a"}, ""},
	} {
		if got := tt.tx.StableID(); got != tt.want {
			t.Errorf("StableID(%+v) = %q", tt.tx, got)
		}
	}
}

func TestBatchExampleTransactionsDecode(t *testing.T) {
	// The batch results carry transactions without classification or with
	// odd signs; the Transaction type must take them as they are.
	var batch struct {
		Results struct {
			Accounts []struct {
				Transactions []Transaction `json:"transactions"`
				Balance      Balance       `json:"balance"`
			} `json:"accounts"`
		} `json:"results"`
	}
	if err := json.Unmarshal(example(t, "BatchResults200Response"), &batch); err != nil {
		t.Fatal(err)
	}
	if len(batch.Results.Accounts) == 0 || len(batch.Results.Accounts[0].Transactions) == 0 {
		t.Fatalf("batch %+v", batch)
	}
}

// A stamp's zone is known only when it carries one; bankday reads the
// others in the provider's zone.
func TestTimeZoned(t *testing.T) {
	for raw, want := range map[string]bool{
		"2026-07-01T00:00:00+01:00":     true,
		"2026-07-01T00:00:00.123-05:00": true,
		"2026-07-01T00:00:00Z":          true,
		"2026-07-01 10:00:00+0100":      true,
		"2026-07-01T00:00:00":           false,
		"2026-07-01T00:00:00.5":         false,
		"2026-07-01":                    false,
		"2026-07":                       false,
		"":                              false,
	} {
		var tm Time
		if err := tm.UnmarshalJSON([]byte(`"` + raw + `"`)); err != nil {
			t.Fatal(err)
		}
		if tm.Zoned() != want {
			t.Errorf("%q: Zoned() = %v, want %v", raw, tm.Zoned(), want)
		}
	}
}
