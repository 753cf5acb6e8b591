// Package rules is the user's rules: "always categorise PRET A MANGER as
// Eating out". A rule matches a transaction on any of its description or
// merchant (contains, equals or a regular expression), its signed amount
// (a range, or a sign), its account, its transaction_type and its day of
// month (and the bank's category), and sets any of the category, tags, payee name and hidden flag.
//
// Rules are ordered. For each field the first enabled rule that matches
// and sets it wins; later rules can still set the fields it left alone.
// What the person set by hand on a transaction wins over every rule (the
// caller merges: see Result).
//
// The JSON form is the file `bankdesk rules export` writes and `rules
// import` reads: an array of {"name", "enabled", "match": {...}, "set":
// {...}}, amounts as decimal strings.
package rules

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// Rule is one rule as stored and exchanged.
type Rule struct {
	ID      string `json:"id,omitempty"`
	Name    string `json:"name,omitempty"`
	Enabled *bool  `json:"enabled,omitempty"` // absent means on
	Match   Match  `json:"match"`
	Set     Set    `json:"set"`
}

// On says the rule is enabled.
func (r Rule) On() bool { return r.Enabled == nil || *r.Enabled }

// Match is what a rule tests. Every field given must hold; text tests
// ignore case.
type Match struct {
	DescriptionContains string `json:"description_contains,omitempty"`
	DescriptionEquals   string `json:"description_equals,omitempty"`
	DescriptionRegexp   string `json:"description_regexp,omitempty"`
	MerchantContains    string `json:"merchant_contains,omitempty"`
	MerchantEquals      string `json:"merchant_equals,omitempty"`
	MerchantRegexp      string `json:"merchant_regexp,omitempty"`
	// AmountMin and AmountMax bound the signed amount (money out is
	// negative), both included.
	AmountMin *decimal.Decimal `json:"amount_min,omitempty"`
	AmountMax *decimal.Decimal `json:"amount_max,omitempty"`
	// Sign is "in" (money in) or "out" (money out).
	Sign       string `json:"sign,omitempty"`
	Account    string `json:"account,omitempty"`          // an account id
	Type       string `json:"transaction_type,omitempty"` // DEBIT or CREDIT
	DayOfMonth []int  `json:"day_of_month,omitempty"`     // any of these days (1..31)
	// BankCategory is the bank's category in words (categories.BankName:
	// "Food & Dining", "Transfers"), any case: what merging or deleting a
	// category the bank fills makes a rule of.
	BankCategory string `json:"bank_category,omitempty"`
}

// empty says m tests nothing.
func (m Match) empty() bool {
	return m.DescriptionContains == "" && m.DescriptionEquals == "" && m.DescriptionRegexp == "" &&
		m.MerchantContains == "" && m.MerchantEquals == "" && m.MerchantRegexp == "" &&
		m.AmountMin == nil && m.AmountMax == nil && m.Sign == "" && m.Account == "" && m.Type == "" && len(m.DayOfMonth) == 0 && m.BankCategory == ""
}

// Set is what a rule sets; absent fields it leaves to later rules.
type Set struct {
	Category string   `json:"category,omitempty"`
	Tags     []string `json:"tags,omitempty"`
	Payee    string   `json:"payee,omitempty"`
	Hidden   *bool    `json:"hidden,omitempty"`
}

// Transaction is what rules look at.
type Transaction struct {
	Description  string
	Merchant     string
	AccountID    string
	Amount       decimal.Decimal // signed by transaction_type: money out negative
	Type         string          // DEBIT or CREDIT
	DayOfMonth   int             // of the bank's booking day
	BankCategory string          // categories.BankName
}

// Result is what the rules set on one transaction, and which rule set
// each field (its index in the list), -1 for none.
type Result struct {
	Category string
	Tags     []string
	Payee    string
	Hidden   bool

	CategoryRule, TagsRule, PayeeRule, HiddenRule int
}

// Any says some rule set something.
func (r Result) Any() bool {
	return r.CategoryRule >= 0 || r.TagsRule >= 0 || r.PayeeRule >= 0 || r.HiddenRule >= 0
}

// Compiled is a list of rules ready to run: regular expressions compiled and
// text folded once.
type Compiled struct {
	rules []compiled
}

type compiled struct {
	r                  Rule
	descSub, merchSub  string // lower-cased
	descEq, merchEq    string
	descRe, merchRe    *regexp.Regexp
	descLit, merchLit  string // lower-cased text each expression's matches hold, "" if none known
	minMinor, maxMinor int64  // the amount bounds in hundredths,
	minorBounds        bool   // when both given ones are exact at that scale
	sign               int    // +1 in, -1 out, 0 either
	days               [32]bool
	anyDay             bool
	setsCat, setsTags  bool
	setsPayee, setsHid bool
}

// Error is a rule that cannot run, with its place in the list.
type Error struct {
	Index int
	Name  string
	Err   error
}

func (e *Error) Error() string {
	name := e.Name
	if name == "" {
		name = fmt.Sprintf("rule %d", e.Index+1)
	}
	return fmt.Sprintf("%s: %v", name, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Compile checks and prepares rules. A rule that matches on nothing, sets
// nothing, or has a bad expression, amount range, sign, type or day is
// refused, naming it.
func Compile(rs []Rule) (*Compiled, error) {
	c := &Compiled{}
	for i, r := range rs {
		cr, err := compile(r)
		if err != nil {
			return nil, &Error{Index: i, Name: r.Name, Err: err}
		}
		c.rules = append(c.rules, cr)
	}
	return c, nil
}

func compile(r Rule) (compiled, error) {
	m := r.Match
	c := compiled{r: r,
		descSub: strings.ToLower(m.DescriptionContains), merchSub: strings.ToLower(m.MerchantContains),
		descEq: m.DescriptionEquals, merchEq: m.MerchantEquals}
	var err error
	if c.descRe, err = compileRe(m.DescriptionRegexp); err != nil {
		return c, fmt.Errorf("description_regexp: %w", err)
	}
	if c.merchRe, err = compileRe(m.MerchantRegexp); err != nil {
		return c, fmt.Errorf("merchant_regexp: %w", err)
	}
	c.descLit, c.merchLit = requiredLiteral(m.DescriptionRegexp), requiredLiteral(m.MerchantRegexp)
	c.minorBounds = true
	if m.AmountMin != nil {
		c.minMinor, c.minorBounds = minor(*m.AmountMin)
	}
	if m.AmountMax != nil {
		var ok bool
		c.maxMinor, ok = minor(*m.AmountMax)
		c.minorBounds = c.minorBounds && ok
	}
	if m.AmountMin != nil && m.AmountMax != nil && m.AmountMin.GreaterThan(*m.AmountMax) {
		return c, fmt.Errorf("amount_min %s is above amount_max %s", m.AmountMin, m.AmountMax)
	}
	switch m.Sign {
	case "":
	case "in":
		c.sign = 1
	case "out":
		c.sign = -1
	default:
		return c, fmt.Errorf(`sign %q is not "in" or "out"`, m.Sign)
	}
	switch m.Type {
	case "", "DEBIT", "CREDIT":
	default:
		return c, fmt.Errorf(`transaction_type %q is not DEBIT or CREDIT`, m.Type)
	}
	c.anyDay = len(m.DayOfMonth) == 0
	for _, d := range m.DayOfMonth {
		if d < 1 || d > 31 {
			return c, fmt.Errorf("day_of_month %d is not 1 to 31", d)
		}
		c.days[d] = true
	}
	if m.empty() {
		return c, errors.New("matches every transaction: give it something to match")
	}
	s := r.Set
	c.setsCat, c.setsTags, c.setsPayee, c.setsHid = s.Category != "", len(s.Tags) > 0, s.Payee != "", s.Hidden != nil
	if !c.setsCat && !c.setsTags && !c.setsPayee && !c.setsHid {
		return c, errors.New("sets nothing: give it a category, tags, a payee or hidden")
	}
	return c, nil
}

// compileRe compiles a case-insensitive expression ("" is none). Go's
// regexp runs in linear time, so a person's expression cannot hang ingest.
func compileRe(s string) (*regexp.Regexp, error) {
	if s == "" {
		return nil, nil
	}
	re, err := regexp.Compile("(?i)" + s)
	if err != nil {
		return nil, fmt.Errorf("%q is not a regular expression: %w", s, err)
	}
	return re, nil
}

// Len is the number of rules.
func (c *Compiled) Len() int {
	if c == nil {
		return 0
	}
	return len(c.rules)
}

// Apply runs the rules over t.
func (c *Compiled) Apply(t *Transaction) Result {
	res := Result{CategoryRule: -1, TagsRule: -1, PayeeRule: -1, HiddenRule: -1}
	if c == nil {
		return res
	}
	v := view{t: t}
	for i := range c.rules {
		r := &c.rules[i]
		if !r.r.On() {
			continue
		}
		if !r.setsAnyOpen(&res) {
			continue // every field it sets is set already
		}
		if !r.matches(&v) {
			continue
		}
		s := r.r.Set
		if r.setsCat && res.CategoryRule < 0 {
			res.Category, res.CategoryRule = s.Category, i
		}
		if r.setsTags && res.TagsRule < 0 {
			res.Tags, res.TagsRule = slices.Clone(s.Tags), i
		}
		if r.setsPayee && res.PayeeRule < 0 {
			res.Payee, res.PayeeRule = s.Payee, i
		}
		if r.setsHid && res.HiddenRule < 0 {
			res.Hidden, res.HiddenRule = *s.Hidden, i
		}
	}
	return res
}

// view is one transaction as the rules test it, with what several rules
// need worked out once, on first need.
type view struct {
	t           *Transaction
	folded      bool
	desc, merch string // lower-cased
	ascii       bool   // both texts are ASCII: a required literal can be looked for in them
	minorDone   bool
	minor       int64 // the amount in hundredths,
	minorOK     bool  // when exact at that scale
}

func (v *view) fold() {
	if !v.folded {
		v.desc, v.merch, v.folded = strings.ToLower(v.t.Description), strings.ToLower(v.t.Merchant), true
		v.ascii = isASCII(v.t.Description) && isASCII(v.t.Merchant)
	}
}

func (v *view) hundredths() (int64, bool) {
	if !v.minorDone {
		v.minor, v.minorOK = minor(v.t.Amount)
		v.minorDone = true
	}
	return v.minor, v.minorOK
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// minor is d in hundredths, when exact at that scale and well inside
// int64.
func minor(d decimal.Decimal) (int64, bool) {
	shifted := d.Shift(2)
	if !shifted.IsInteger() || shifted.Abs().GreaterThanOrEqual(maxMinor) {
		return 0, false
	}
	return shifted.IntPart(), true
}

var maxMinor = decimal.New(1, 15)

// requiredLiteral is text, lower-cased, that every match of the
// expression holds (the longest literal of its top-level sequence), or ""
// when none is known. It lets most transactions be told apart from an
// expression without running it; an ASCII text is lower-cased exactly as
// (?i) folds it, so the test is exact there (and skipped elsewhere).
func requiredLiteral(expr string) string {
	if expr == "" {
		return ""
	}
	re, err := syntax.Parse("(?i)"+expr, syntax.Perl)
	if err != nil {
		return ""
	}
	re = re.Simplify()
	subs := []*syntax.Regexp{re}
	if re.Op == syntax.OpConcat {
		subs = re.Sub
	}
	best := ""
	for _, sub := range subs {
		if sub.Op == syntax.OpLiteral {
			if lit := strings.ToLower(string(sub.Rune)); len(lit) > len(best) && isASCII(lit) {
				best = lit
			}
		}
	}
	return best
}

// setsAnyOpen says r sets a field no earlier rule set.
func (r *compiled) setsAnyOpen(res *Result) bool {
	return r.setsCat && res.CategoryRule < 0 || r.setsTags && res.TagsRule < 0 ||
		r.setsPayee && res.PayeeRule < 0 || r.setsHid && res.HiddenRule < 0
}

func (r *compiled) matches(v *view) bool {
	t, m := v.t, &r.r.Match
	// The cheap tests first.
	switch {
	case m.Account != "" && t.AccountID != m.Account,
		m.Type != "" && t.Type != m.Type,
		r.sign != 0 && t.Amount.Sign() != r.sign,
		!r.anyDay && (t.DayOfMonth < 1 || t.DayOfMonth > 31 || !r.days[t.DayOfMonth]),
		m.BankCategory != "" && !strings.EqualFold(t.BankCategory, m.BankCategory):
		return false
	}
	if m.AmountMin != nil || m.AmountMax != nil {
		if a, ok := v.hundredths(); ok && r.minorBounds {
			if m.AmountMin != nil && a < r.minMinor || m.AmountMax != nil && a > r.maxMinor {
				return false
			}
		} else if m.AmountMin != nil && t.Amount.LessThan(*m.AmountMin) || m.AmountMax != nil && t.Amount.GreaterThan(*m.AmountMax) {
			return false
		}
	}
	if r.descSub != "" || r.merchSub != "" || r.descLit != "" || r.merchLit != "" {
		v.fold()
	}
	switch {
	case r.descSub != "" && !strings.Contains(v.desc, r.descSub),
		r.merchSub != "" && !strings.Contains(v.merch, r.merchSub),
		r.descEq != "" && !strings.EqualFold(t.Description, r.descEq),
		r.merchEq != "" && !strings.EqualFold(t.Merchant, r.merchEq),
		r.descLit != "" && v.ascii && !strings.Contains(v.desc, r.descLit),
		r.merchLit != "" && v.ascii && !strings.Contains(v.merch, r.merchLit),
		r.descRe != nil && !r.descRe.MatchString(t.Description),
		r.merchRe != nil && !r.merchRe.MatchString(t.Merchant):
		return false
	}
	return true
}

// Read parses a rules file (the JSON array export writes) and checks it.
func Read(data []byte) ([]Rule, error) {
	var rs []Rule
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields() // a misspelt field would make a rule match more than meant
	if err := dec.Decode(&rs); err != nil {
		return nil, fmt.Errorf("read rules: %w", err)
	}
	if dec.More() {
		return nil, errors.New("read rules: more than one JSON value")
	}
	if _, err := Compile(rs); err != nil {
		return nil, fmt.Errorf("read rules: %w", err)
	}
	return rs, nil
}

// Write is the rules as the file export writes.
func Write(rs []Rule) ([]byte, error) {
	if rs == nil {
		rs = []Rule{}
	}
	b, err := json.MarshalIndent(rs, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("write rules: %w", err)
	}
	return append(b, '\n'), nil
}
