// Package money formats exact amounts: one formatter for the window, the
// command line and the exports, so the three never disagree on a figure.
package money

import (
	"strconv"

	"github.com/shopspring/decimal"
)

// String is an exact decimal with at least two decimals ("-12.50",
// "0.125"), the one form every screen, `bankdesk transactions --json` and the exports write. It
// is d.StringFixed(max(2, -d.Exponent())); amounts that fit an int64 (all
// real ones) skip its big.Int arithmetic, the export's costliest cell.
func String(d decimal.Decimal) string {
	exp := d.Exponent()
	if exp > 0 || exp < -18 || d.NumDigits() > 18 {
		return d.StringFixed(max(2, -exp))
	}
	c := d.CoefficientInt64()
	var buf [48]byte
	b := buf[:0]
	if c < 0 {
		b = append(b, '-')
	}
	var digits [20]byte
	ds := strconv.AppendUint(digits[:0], absInt(c), 10)
	scale := int(-exp)
	if len(ds) > scale {
		b = append(b, ds[:len(ds)-scale]...)
		b = append(b, '.')
		b = append(b, ds[len(ds)-scale:]...)
	} else {
		b = append(b, '0', '.')
		for range scale - len(ds) {
			b = append(b, '0')
		}
		b = append(b, ds...)
	}
	for range 2 - scale {
		b = append(b, '0')
	}
	return string(b)
}

func absInt(c int64) uint64 {
	if c < 0 {
		return uint64(-c) // also right for math.MinInt64
	}
	return uint64(c)
}

// Ptr is String of *d, or nil.
func Ptr(d *decimal.Decimal) *string {
	if d == nil {
		return nil
	}
	s := String(*d)
	return &s
}
