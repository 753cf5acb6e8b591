package query

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/shopspring/decimal"
)

// amountTest is amount:'s test: a closed or half-open range, on the
// magnitude unless a bound was written with a sign.
type amountTest struct {
	signed         bool
	hasLo, hasHi   bool
	loOpen, hiOpen bool // > and < leave the bound out
	lo, hi         bound
}

// bound is one end of the range, exact, with its hundredths when it has
// at most two decimals (the fast path, for every real amount).
type bound struct {
	d     decimal.Decimal
	minor int64
	exact bool
}

func newBound(d decimal.Decimal) bound {
	b := bound{d: d}
	if m := d.Shift(2); m.IsInteger() && m.Abs().LessThan(decimal.NewFromInt(math.MaxInt64/2)) {
		b.minor, b.exact = m.IntPart(), true
	}
	return b
}

func (a *amountTest) match(s *Subject) bool {
	if a.hasLo && !a.above(s, a.lo) {
		return false
	}
	return !a.hasHi || a.below(s, a.hi)
}

// cmp compares the subject's amount (or its magnitude) with b.
func (a *amountTest) cmp(s *Subject, b bound) int {
	if s.Exact && b.exact {
		v := s.Minor
		if !a.signed && v < 0 {
			v = -v
		}
		switch {
		case v < b.minor:
			return -1
		case v > b.minor:
			return 1
		}
		return 0
	}
	v := s.Amount
	if !a.signed {
		v = v.Abs()
	}
	return v.Cmp(b.d)
}

func (a *amountTest) above(s *Subject, b bound) bool {
	c := a.cmp(s, b)
	return c > 0 || (c == 0 && !a.loOpen)
}

func (a *amountTest) below(s *Subject, b bound) bool {
	c := a.cmp(s, b)
	return c < 0 || (c == 0 && !a.hiOpen)
}

// parseAmount reads >N, >=N, <N, <=N, =N, N, N..M, N.. and ..M. A bound
// may carry a currency sign and thousands commas (£1,000.50).
func parseAmount(v string) (amountTest, error) {
	var a amountTest
	if lo, hi, ok := strings.Cut(v, ".."); ok {
		if lo == "" && hi == "" {
			return a, errors.New(`".." needs a number on at least one side`)
		}
		if lo != "" {
			d, signed, err := number(lo)
			if err != nil {
				return a, err
			}
			a.lo, a.hasLo, a.signed = newBound(d), true, signed
		}
		if hi != "" {
			d, signed, err := number(hi)
			if err != nil {
				return a, err
			}
			a.hi, a.hasHi, a.signed = newBound(d), true, a.signed || signed
		}
		if a.hasLo && a.hasHi && a.lo.d.GreaterThan(a.hi.d) {
			a.lo, a.hi = a.hi, a.lo // -20..-50 means what -50..-20 does
		}
		return a, nil
	}
	op := ""
	for _, o := range []string{">=", "<=", ">", "<", "="} {
		if strings.HasPrefix(v, o) {
			op, v = o, v[len(o):]
			break
		}
	}
	d, signed, err := number(v)
	if err != nil {
		return a, err
	}
	a.signed = signed
	b := newBound(d)
	switch op {
	case ">":
		a.lo, a.hasLo, a.loOpen = b, true, true
	case ">=":
		a.lo, a.hasLo = b, true
	case "<":
		a.hi, a.hasHi, a.hiOpen = b, true, true
	case "<=":
		a.hi, a.hasHi = b, true
	default:
		a.lo, a.hasLo, a.hi, a.hasHi = b, true, b, true
	}
	return a, nil
}

// number reads a decimal, saying whether it was written with a sign.
func number(s string) (decimal.Decimal, bool, error) {
	signed := strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+")
	clean := strings.NewReplacer("£", "", "€", "", "$", "", ",", "").Replace(s)
	if clean == "" || clean == "-" || clean == "+" {
		return decimal.Decimal{}, false, fmt.Errorf("%q is not a number", s)
	}
	d, err := decimal.NewFromString(clean)
	if err != nil || strings.ContainsAny(clean, "eE") {
		return decimal.Decimal{}, false, fmt.Errorf("%q is not a number", s)
	}
	return d, signed, nil
}
