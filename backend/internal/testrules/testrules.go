// Package testrules is the benchmarks' 50 rules: the cost of rules on
// ingest and on reads is measured with one set (BENCHMARKS.md).
package testrules

import (
	"fmt"

	"github.com/shopspring/decimal"

	"bankdesk/backend/rules"
)

// Fifty are 50 rules of every kind a person writes: merchant and
// description contains (some with a sign), regular expressions, and
// amount ranges on an account, each setting a category. Few match a
// given transaction, so most transactions run all 50: the dear case.
func Fifty() []rules.Rule {
	var rs []rules.Rule
	for i := range 50 {
		m := rules.Match{MerchantContains: fmt.Sprintf("merchant %d", i)}
		switch i % 5 {
		case 1:
			m = rules.Match{DescriptionRegexp: fmt.Sprintf(`^shop %d\b`, i)}
		case 2:
			m = rules.Match{DescriptionContains: fmt.Sprintf("payee %d", i), Sign: "out"}
		case 3:
			lo, hi := decimal.New(int64(-i-1), 0), decimal.New(int64(-i), 0)
			m = rules.Match{AmountMin: &lo, AmountMax: &hi, Account: "cur"}
		}
		rs = append(rs, rules.Rule{Name: fmt.Sprint("rule ", i), Match: m, Set: rules.Set{Category: fmt.Sprint("C", i)}})
	}
	return rs
}
