// Package query is the search language of the transaction list, the
// export and the command line: one grammar, one matcher.
//
// A query is a list of terms, all of which must hold:
//
//	coffee                 free text: description, merchant, category, account, amount
//	"pret a manger"        a phrase, matched as it is written
//	-refund                a term that must not hold (any term can be negated)
//	amount:>100            magnitude over 100 (also <, >=, <=, =)
//	amount:20..50          magnitude from 20 to 50, both included
//	amount:-20..-5         a sign makes it the signed amount (money out is negative)
//	category:"Eating out"  the category a person sees (exact, any case)
//	tag:holiday            a tag of the user's
//	account:saver          the account's name contains it
//	merchant:tesco         the merchant name contains it
//	after:2026-06-01       booked on or after that day (the bank's day)
//	before:2026-07-01      booked before that day
//	is:pending is:booked is:transfer is:income is:spending
//
// A word with a colon whose prefix is not a field (a time, "12:30") is
// free text. Letters match in any case.
package query

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"bankdesk/backend/bankday"
)

// Subject is what a query tests: one transaction's searchable fields,
// prepared once (lower-cased where the query compares without case).
type Subject struct {
	Text     string          // lower-cased haystack of free text
	Merchant string          // lower-cased
	Account  string          // lower-cased account name
	Category string          // the category a person sees, as shown
	Tags     []string        // the user's tags, as entered
	Amount   decimal.Decimal // signed: money in positive, money out negative
	Minor    int64           // Amount in hundredths, when Exact
	Exact    bool            // Amount has at most two decimals and fits Minor
	Day      bankday.Day     // the booking day, the bank's
	Pending  bool
	Flow     Flow
}

// Flow is the subject's kind of money, for is:income, is:spending and
// is:transfer (the ledger's rule decides it).
type Flow int

// Flows.
const (
	FlowNone Flow = iota
	FlowIncome
	FlowSpending
	FlowTransfer
)

// Query is a parsed search. The zero Query matches everything.
type Query struct {
	terms []term
}

// Error is a query that does not parse, with where (a byte offset).
type Error struct {
	Pos int
	Msg string
}

func (e *Error) Error() string { return fmt.Sprintf("search: %s (at character %d)", e.Msg, e.Pos+1) }

// Sentence is the error for a person: what is wrong, capitalised, with a
// full stop ("Amount: "abc" is not a number.").
func (e *Error) Sentence() string {
	m := e.Msg
	if m == "" {
		return ""
	}
	return strings.ToUpper(m[:1]) + m[1:] + "."
}

// ErrSyntax matches every *Error.
var ErrSyntax = errors.New("search syntax")

func (e *Error) Is(target error) bool { return target == ErrSyntax }

// Phrase is a query for s as written: one phrase, no fields, for a
// search that does not parse.
func Phrase(s string) Query {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return Query{}
	}
	return Query{terms: []term{{kind: kText, text: s}}}
}

// IsZero says q matches everything.
func (q Query) IsZero() bool { return len(q.terms) == 0 }

// Match reports whether s holds every term of q.
func (q Query) Match(s *Subject) bool {
	for i := range q.terms {
		if q.terms[i].match(s) == q.terms[i].not {
			return false
		}
	}
	return true
}

type kind uint8

const (
	kText kind = iota
	kAmount
	kCategory
	kTag
	kAccount
	kMerchant
	kAfter
	kBefore
	kIs
)

var fields = map[string]kind{
	"amount": kAmount, "category": kCategory, "tag": kTag, "account": kAccount,
	"merchant": kMerchant, "after": kAfter, "before": kBefore, "is": kIs,
}

type term struct {
	kind kind
	not  bool
	text string // lower-cased, for text, account, merchant; as written (folded) for category and tag
	day  bankday.Day
	is   string
	amt  amountTest
}

func (t *term) match(s *Subject) bool {
	switch t.kind {
	case kText:
		return strings.Contains(s.Text, t.text)
	case kAccount:
		return containsFold(s.Account, t.text)
	case kMerchant:
		return containsFold(s.Merchant, t.text)
	case kCategory:
		return strings.EqualFold(s.Category, t.text)
	case kTag:
		for _, tag := range s.Tags {
			if strings.EqualFold(tag, t.text) {
				return true
			}
		}
		return false
	case kAfter:
		return s.Day >= t.day
	case kBefore:
		return s.Day < t.day
	case kIs:
		switch t.is {
		case "pending":
			return s.Pending
		case "booked":
			return !s.Pending
		case "transfer":
			return s.Flow == FlowTransfer
		case "income":
			return s.Flow == FlowIncome
		case "spending":
			return s.Flow == FlowSpending
		}
		return false
	case kAmount:
		return t.amt.match(s)
	}
	return false
}

// isValues are what is: may ask.
var isValues = []string{"pending", "booked", "transfer", "income", "spending"}

// Parse reads a search. An empty or blank one is the zero Query.
func Parse(src string) (Query, error) {
	var q Query
	p := &parser{src: src}
	for {
		p.space()
		if p.pos >= len(p.src) {
			return q, nil
		}
		t, err := p.term()
		if err != nil {
			return Query{}, err
		}
		if t != nil {
			q.terms = append(q.terms, *t)
		}
	}
}

type parser struct {
	src string
	pos int
}

func (p *parser) space() {
	for p.pos < len(p.src) {
		r, n := utf8.DecodeRuneInString(p.src[p.pos:])
		if !unicode.IsSpace(r) {
			return
		}
		p.pos += n
	}
}

// word reads a bare word (up to a space) or a quoted phrase.
func (p *parser) word() (string, error) {
	if p.pos < len(p.src) && p.src[p.pos] == '"' {
		start := p.pos
		end := strings.IndexByte(p.src[p.pos+1:], '"')
		if end < 0 {
			return "", &Error{Pos: start, Msg: "a quote is not closed"}
		}
		w := p.src[p.pos+1 : p.pos+1+end]
		p.pos += end + 2
		return w, nil
	}
	start := p.pos
	for p.pos < len(p.src) {
		r, n := utf8.DecodeRuneInString(p.src[p.pos:])
		if unicode.IsSpace(r) {
			break
		}
		p.pos += n
	}
	return p.src[start:p.pos], nil
}

// term reads one term; a lone "-" or an empty phrase is no term (nil).
func (p *parser) term() (*term, error) {
	start := p.pos
	t := &term{}
	if p.src[p.pos] == '-' {
		t.not = true
		p.pos++
		if p.pos >= len(p.src) || isSpaceAt(p.src, p.pos) {
			return nil, nil
		}
	}
	if p.src[p.pos] != '"' {
		// field:value, where field is a known name.
		if i := strings.IndexByte(p.src[p.pos:], ':'); i > 0 {
			name := strings.ToLower(p.src[p.pos : p.pos+i])
			if k, ok := fields[name]; ok && !strings.ContainsFunc(name, unicode.IsSpace) {
				p.pos += i + 1
				vpos := p.pos
				v, err := p.word()
				if err != nil {
					return nil, err
				}
				if v == "" {
					return nil, &Error{Pos: start, Msg: fmt.Sprintf("%s: needs a value", name)}
				}
				t.kind = k
				return t, t.value(name, v, vpos)
			}
		}
	}
	w, err := p.word()
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(w) == "" {
		return nil, nil
	}
	t.kind, t.text = kText, strings.ToLower(w)
	return t, nil
}

// containsFold says s holds sub (lower-cased) in any case, without
// allocating for ASCII text, which is nearly every bank's.
func containsFold(s, sub string) bool {
	if sub == "" {
		return true
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return strings.Contains(strings.ToLower(s), sub)
		}
	}
	for i := 0; i+len(sub) <= len(s); i++ {
		j := 0
		for ; j < len(sub); j++ {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != sub[j] {
				break
			}
		}
		if j == len(sub) {
			return true
		}
	}
	return false
}

func isSpaceAt(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsSpace(r)
}

// value sets t from field name's value v (at byte vpos).
func (t *term) value(name, v string, vpos int) error {
	switch t.kind {
	case kAccount, kMerchant:
		t.text = strings.ToLower(v)
	case kCategory, kTag:
		t.text = v
	case kAfter, kBefore:
		d, err := bankday.Parse(v)
		if err != nil {
			return &Error{Pos: vpos, Msg: fmt.Sprintf("%s: %q is not a date (YYYY-MM-DD)", name, v)}
		}
		t.day = d
	case kIs:
		v = strings.ToLower(v)
		for _, ok := range isValues {
			if v == ok {
				t.is = v
				return nil
			}
		}
		return &Error{Pos: vpos, Msg: fmt.Sprintf("is: %q is not one of %s", v, strings.Join(isValues, ", "))}
	case kAmount:
		a, err := parseAmount(v)
		if err != nil {
			return &Error{Pos: vpos, Msg: "amount: " + err.Error()}
		}
		t.amt = a
	}
	return nil
}
