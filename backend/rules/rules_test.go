package rules

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func dec(s string) *decimal.Decimal { d := decimal.RequireFromString(s); return &d }
func yes() *bool                    { b := true; return &b }
func no() *bool                     { b := false; return &b }

func tx(desc, merchant, account, amount, typ string, dom int) *Transaction {
	return &Transaction{Description: desc, Merchant: merchant, AccountID: account, Amount: decimal.RequireFromString(amount), Type: typ, DayOfMonth: dom}
}

func withBank(t *Transaction, name string) *Transaction { t.BankCategory = name; return t }

var (
	pret   = withBank(tx("PRET A MANGER 1234 LONDON", "Pret A Manger", "cur", "-4.85", "DEBIT", 3), "Food & Dining")
	rent   = tx("RENT JUNE", "", "cur", "-1250.00", "DEBIT", 1)
	salary = tx("ACME LTD SALARY", "", "cur", "2450.00", "CREDIT", 25)
	tesco  = tx("TESCO STORES 2041", "Tesco", "card", "-56.10", "DEBIT", 14)
	refund = tx("AMAZON REFUND", "Amazon", "card", "23.99", "CREDIT", 14)
)

func TestEachMatchTestSelectsWhatItSays(t *testing.T) {
	all := []*Transaction{pret, rent, salary, tesco, refund}
	names := map[*Transaction]string{pret: "pret", rent: "rent", salary: "salary", tesco: "tesco", refund: "refund"}
	for _, c := range []struct {
		name string
		m    Match
		want string
	}{
		{"description contains, any case", Match{DescriptionContains: "pret a"}, "pret"},
		{"description equals is whole", Match{DescriptionEquals: "rent june"}, "rent"},
		{"description equals is not contains", Match{DescriptionEquals: "RENT"}, ""},
		{"description regexp", Match{DescriptionRegexp: `^(tesco|pret)\b`}, "pret tesco"},
		{"merchant contains", Match{MerchantContains: "manger"}, "pret"},
		{"merchant equals", Match{MerchantEquals: "tesco"}, "tesco"},
		{"merchant regexp", Match{MerchantRegexp: `^a`}, "refund"},
		{"amount range on the signed amount", Match{AmountMin: dec("-60"), AmountMax: dec("-5")}, "tesco"},
		{"amount min alone", Match{AmountMin: dec("0")}, "salary refund"},
		{"amount max, included", Match{AmountMax: dec("-1250")}, "rent"},
		{"money in", Match{Sign: "in"}, "salary refund"},
		{"money out", Match{Sign: "out"}, "pret rent tesco"},
		{"account", Match{Account: "card"}, "tesco refund"},
		{"transaction type", Match{Type: "CREDIT"}, "salary refund"},
		{"day of month", Match{DayOfMonth: []int{1, 25}}, "rent salary"},
		{"the bank's category, any case", Match{BankCategory: "food & dining"}, "pret"},
		{"all together", Match{Account: "card", Sign: "out", MerchantContains: "tes", DayOfMonth: []int{14}}, "tesco"},
	} {
		rs, err := Compile([]Rule{{Match: c.m, Set: Set{Category: "X"}}})
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		var got []string
		for _, x := range all {
			if rs.Apply(x).CategoryRule == 0 {
				got = append(got, names[x])
			}
		}
		if g := strings.Join(got, " "); g != c.want {
			t.Errorf("%s: matched %q, want %q", c.name, g, c.want)
		}
	}
}

// The first enabled rule to set a field wins it; a later rule still sets
// the fields the first left alone; a disabled rule does nothing.
func TestTheFirstMatchWinsPerField(t *testing.T) {
	rs, err := Compile([]Rule{
		{Name: "off", Enabled: no(), Match: Match{MerchantContains: "pret"}, Set: Set{Category: "Never"}},
		{Name: "pret", Match: Match{MerchantContains: "pret"}, Set: Set{Category: "Eating out"}},
		{Name: "coffee", Match: Match{DescriptionContains: "pret"}, Set: Set{Category: "Coffee", Tags: []string{"work"}, Payee: "Pret"}},
		{Name: "small", Match: Match{AmountMin: dec("-10"), AmountMax: dec("0")}, Set: Set{Tags: []string{"small"}, Hidden: yes()}},
	})
	if err != nil {
		t.Fatal(err)
	}
	r := rs.Apply(pret)
	if r.Category != "Eating out" || r.CategoryRule != 1 {
		t.Errorf("category %q from rule %d, want Eating out from rule 1", r.Category, r.CategoryRule)
	}
	if strings.Join(r.Tags, ",") != "work" || r.TagsRule != 2 || r.Payee != "Pret" || r.PayeeRule != 2 {
		t.Errorf("tags %v (rule %d), payee %q (rule %d): want work and Pret from rule 2", r.Tags, r.TagsRule, r.Payee, r.PayeeRule)
	}
	if !r.Hidden || r.HiddenRule != 3 {
		t.Errorf("hidden %v from rule %d, want true from rule 3", r.Hidden, r.HiddenRule)
	}
	if r := rs.Apply(salary); r.Any() {
		t.Errorf("salary matched: %+v", r)
	}
	// The result owns its tags: changing them changes no rule.
	r.Tags[0] = "changed"
	if again := rs.Apply(pret); again.Tags[0] != "work" {
		t.Errorf("a result's tags are the rule's: %v", again.Tags)
	}
}

func TestABadRuleIsRefusedByName(t *testing.T) {
	for _, c := range []struct {
		r    Rule
		want string
	}{
		{Rule{Name: "r", Match: Match{DescriptionRegexp: "(unclosed"}, Set: Set{Category: "X"}}, `r: description_regexp: "(unclosed" is not a regular expression`},
		{Rule{Match: Match{MerchantContains: "x"}}, "rule 1: sets nothing"},
		{Rule{Set: Set{Category: "X"}}, "rule 1: matches every transaction"},
		{Rule{Match: Match{AmountMin: dec("5"), AmountMax: dec("1")}, Set: Set{Category: "X"}}, "amount_min 5 is above amount_max 1"},
		{Rule{Match: Match{Sign: "both"}, Set: Set{Category: "X"}}, `sign "both"`},
		{Rule{Match: Match{Type: "debit"}, Set: Set{Category: "X"}}, `transaction_type "debit"`},
		{Rule{Match: Match{DayOfMonth: []int{32}}, Set: Set{Category: "X"}}, "day_of_month 32"},
	} {
		_, err := Compile([]Rule{c.r})
		var re *Error
		if !errors.As(err, &re) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Compile(%+v) = %v, want %q", c.r, err, c.want)
		}
	}
}

// The file round-trips, and the documented field names are the ones read.
func TestRulesFileRoundTrips(t *testing.T) {
	file := `[
  {"name": "coffee", "match": {"merchant_contains": "PRET", "amount_min": "-20", "amount_max": "0"}, "set": {"category": "Eating out", "tags": ["coffee"], "payee": "Pret"}},
  {"match": {"description_contains": "rent", "account": "cur"}, "set": {"category": "Home › Rent"}, "enabled": false}
]`
	rs, err := Read([]byte(file))
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 || rs[0].Match.MerchantContains != "PRET" || !rs[0].Match.AmountMin.Equal(decimal.RequireFromString("-20")) ||
		rs[1].Set.Category != "Home › Rent" || rs[1].On() || !rs[0].On() {
		t.Fatalf("read %+v", rs)
	}
	out, err := Write(rs)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Read(out)
	if err != nil {
		t.Fatal(err)
	}
	out2, _ := Write(again)
	if string(out2) != string(out) {
		t.Errorf("round trip changed the file:\n%s\n%s", out, out2)
	}
	if empty, _ := Write(nil); strings.TrimSpace(string(empty)) != "[]" {
		t.Errorf("no rules written as %q", empty)
	}
	for _, bad := range []string{`{"match":{}}`, `[{"match":{"merchant_contain":"x"},"set":{"category":"X"}}]`, `[] []`, `[{"match":{"amount_min":"lots"},"set":{"category":"X"}}]`} {
		if _, err := Read([]byte(bad)); err == nil {
			t.Errorf("Read(%s) accepted", bad)
		}
	}
}

// An expression's required literal (a quick test before running it)
// never changes what it matches: not with other cases, not with
// letters (ſ, K) that fold into ASCII ones.
func TestRegexpShortcutMatchesAsTheExpression(t *testing.T) {
	texts := []string{"SHOP 12 LONDON", "shop 12", "ſhop 12", "the Shop 12", "SHOP 1", "Kiosk", "\u212Aiosk", "KIOSK 9", ""}
	for _, expr := range []string{`^shop 12\b`, `kiosk`, `(?-i)Kiosk`, `^(tesco|pret)\b`, `shop\s+1`, `x*`} {
		c, err := Compile([]Rule{{Match: Match{DescriptionRegexp: expr, MerchantRegexp: expr}, Set: Set{Category: "X"}}})
		if err != nil {
			t.Fatal(err)
		}
		re := regexp.MustCompile("(?i)" + expr)
		for _, s := range texts {
			want := re.MatchString(s)
			if got := c.Apply(&Transaction{Description: s, Merchant: s}).CategoryRule == 0; got != want {
				t.Errorf("%q on %q: %v, the expression says %v", expr, s, got, want)
			}
		}
	}
}

// Amounts compare exactly whatever their scale: in hundredths when exact
// there, as decimals otherwise.
func TestAmountBoundsAtAnyScale(t *testing.T) {
	for _, c := range []struct {
		min, max, amount string
		want             bool
	}{
		{"-10", "-5", "-5.00", true}, {"-10", "-5", "-4.999", false}, {"-10", "-5", "-10.001", false},
		{"-10.005", "0", "-10.004", true}, {"-10.005", "0", "-10.006", false}, {"0.5", "0.5", "0.50", true},
	} {
		cm, err := Compile([]Rule{{Match: Match{AmountMin: dec(c.min), AmountMax: dec(c.max)}, Set: Set{Category: "X"}}})
		if err != nil {
			t.Fatal(err)
		}
		if got := cm.Apply(&Transaction{Amount: decimal.RequireFromString(c.amount)}).CategoryRule == 0; got != c.want {
			t.Errorf("%s in [%s, %s]: %v", c.amount, c.min, c.max, got)
		}
	}
}
