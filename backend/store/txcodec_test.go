package store

import (
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

// appendDecimal must write exactly what decimal.String writes: the record
// format stores amounts that way, and equal content must give equal bytes.
func TestAppendDecimalMatchesString(t *testing.T) {
	cases := []string{"0", "-0", "0.00", "1", "-1", "1.5", "1.50", "-2.99", "0.01", "-0.01", "0.001", "-0.10",
		"100", "-100.00", "1234567.89", "9223372036854775807", "-9223372036854775808", "92233720368547758070",
		"0.000000000000000001", "1e3", "-2.5e2", "12345678901234567890.12", "0.0000000000000000000001"}
	rng := rand.New(rand.NewPCG(7, 7))
	for range 5000 {
		d := decimal.New(rng.Int64N(2_000_000_001)-1_000_000_000, -int32(rng.IntN(6)))
		cases = append(cases, d.String(), d.StringFixed(4))
	}
	for _, c := range cases {
		d := decimal.RequireFromString(c)
		want := appendString(nil, d.String())
		if got := appendDecimal(nil, d); string(got) != string(want) {
			t.Errorf("%s (coefficient %s exp %d): got %q, want %q", c, d.Coefficient(), d.Exponent(), got[1:], want[1:])
		}
	}
	if got := appendDecimal(nil, decimal.Decimal{}); string(got[1:]) != "0" {
		t.Errorf("zero value: %q", got)
	}
}
