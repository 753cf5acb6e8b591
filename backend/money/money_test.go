package money

import (
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

// String's fast path writes exactly what decimal.StringFixed writes.
func TestMoneyIsStringFixed(t *testing.T) {
	values := []string{"0", "-0", "0.00", "1", "-1", "12.5", "-12.50", "0.01", "-0.01", "0.001", "-0.125", "1500",
		"1234567.891", "-1234567.891", "999999999999999999", "-999999999999999999", "0.000000000000000001",
		"9999999999999999999", "123456789012345678901234.5", "1e3", "-2.5e2", "1e-20", "100.10"}
	r := rand.New(rand.NewPCG(1, 2))
	for range 10000 {
		values = append(values, decimal.New(r.Int64N(2e12)-1e12, -r.Int32N(8)).String())
	}
	for _, v := range values {
		d := decimal.RequireFromString(v)
		if got, want := String(d), d.StringFixed(max(2, -d.Exponent())); got != want {
			t.Errorf("%s: %q, want %q", v, got, want)
		}
	}
}
