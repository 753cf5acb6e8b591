package desk

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"bankdesk/backend/categories"
	"bankdesk/backend/rules"
	"bankdesk/backend/store"
	"bankdesk/backend/view"
)

// The person's rules (package rules; stored by store.SetRules). They run
// when transactions are read (store.ApplyRules), so a saved rule shows on
// every past row at once and on every row a later sync brings.

// Rules are the person's rules, in their order. Offline.
func (d *Desk) Rules() ([]view.Rule, error) {
	rs, err := d.StoredRules()
	return ruleViews(rs), err
}

// StoredRules are the rules in their file form (rules.Write).
func (d *Desk) StoredRules() ([]rules.Rule, error) {
	rs, err := d.store.Rules()
	if err != nil {
		return nil, fmt.Errorf("read your rules: %w", err)
	}
	return rs, nil
}

// SaveRules replaces the person's rules with rs, in that order, and
// returns them as saved (new ones with ids). The screens hear
// DataChanged. A rule that cannot run is refused with a sentence naming
// it (problem.Sayer).
func (d *Desk) SaveRules(rs []view.Rule) ([]view.Rule, error) {
	stored, err := rulesOf(rs)
	if err == nil {
		stored, err = d.SetStoredRules(stored)
	}
	if err != nil {
		return nil, err
	}
	return ruleViews(stored), nil
}

// SetStoredRules is SaveRules for rules in their file form (`bankdesk
// rules import`).
func (d *Desk) SetStoredRules(rs []rules.Rule) ([]rules.Rule, error) {
	saved, err := d.store.SetRules(rs)
	if err != nil {
		return nil, ruleError(err)
	}
	d.reloadLedger()
	d.sink.DataChanged()
	return saved, nil
}

// AddRule puts r first among the rules (so it wins over the others for
// what it sets: "always categorise PRET A MANGER as Eating out") and
// saves them; PreviewRule shows what it changes.
func (d *Desk) AddRule(r view.Rule) ([]view.Rule, error) {
	rs, err := d.Rules()
	if err != nil {
		return nil, err
	}
	return d.SaveRules(withRule(rs, r))
}

// withRule is rs with r in its place: where the rule of its id is, else
// first.
func withRule(rs []view.Rule, r view.Rule) []view.Rule {
	if r.ID != "" {
		if i := slices.IndexFunc(rs, func(x view.Rule) bool { return x.ID == r.ID }); i >= 0 {
			rs = slices.Clone(rs)
			rs[i] = r
			return rs
		}
	}
	return append([]view.Rule{r}, rs...)
}

// PreviewRule is what saving r would change in the past: r in place of the
// rule of its id, or first (as AddRule puts it). Nothing is saved.
// Offline.
func (d *Desk) PreviewRule(r view.Rule) (view.RulePreview, error) {
	rs, err := d.Rules()
	if err != nil {
		return view.RulePreview{}, err
	}
	stored, err := rulesOf(withRule(rs, r))
	if err != nil {
		return view.RulePreview{}, err
	}
	return d.PreviewRules(stored)
}

// PreviewRules is what replacing the rules with rs would change in the
// past: every stored transaction (booked, pending, removed) whose
// category, tags, payee name or hidden flag, as shown, would differ.
func (d *Desk) PreviewRules(rs []rules.Rule) (view.RulePreview, error) {
	c, err := rules.Compile(rs)
	if err != nil {
		return view.RulePreview{}, ruleError(err)
	}
	l, err := d.ledger()
	if err != nil {
		return view.RulePreview{}, err
	}
	out := view.RulePreview{Changes: []view.RuleChange{}}
	for _, r := range l.Rows() {
		t := r.Transaction
		store.ApplyRules(c, &t)
		if sameRuled(r.Ruled, t.Ruled) {
			continue // the rules set the same: nothing shown changes
		}
		after := txRow(t, r.AccountName)
		if fields := changedFields(txRow(r.Transaction, r.AccountName), after); len(fields) > 0 {
			out.Changes = append(out.Changes, view.RuleChange{Row: after, Fields: fields})
		}
	}
	out.Count = len(out.Changes)
	return out, nil
}

// sameRuled says two rule results set the same.
func sameRuled(a, b *store.UserFields) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Category == b.Category && slices.Equal(a.Tags, b.Tags) && a.Payee == b.Payee && a.Hidden == b.Hidden
}

// changedFields are the rule-set fields that differ between two listings
// of a row.
func changedFields(a, b view.TxRow) []view.FieldChange {
	var out []view.FieldChange
	add := func(field, x, y string) {
		if x != y {
			out = append(out, view.FieldChange{Field: field, Before: x, After: y})
		}
	}
	add("category", a.Category, b.Category)
	add("tags", strings.Join(a.Tags, ", "), strings.Join(b.Tags, ", "))
	add("payee", a.Payee, b.Payee)
	add("hidden", strconv.FormatBool(a.Hidden), strconv.FormatBool(b.Hidden))
	return out
}

// RuleFromTransaction suggests a rule for the account's transaction id
// ("always categorise this as …"): matching its merchant when the bank
// named one, else its description cleaned of what changes from one
// payment to the next (card numbers, references, dates), setting the
// category it shows now. Nothing is saved. Offline.
func (d *Desk) RuleFromTransaction(accountID, id string) (view.Rule, error) {
	row, err := d.row(accountID, id)
	if err != nil {
		return view.Rule{}, err
	}
	r := view.Rule{Enabled: true, Set: view.RuleSet{Category: row.Category}}
	if m := strings.TrimSpace(row.Merchant); m != "" {
		r.Match.MerchantContains = m
		r.Name = m
	} else {
		r.Match.DescriptionContains = cleanDescription(row.Description)
		r.Name = r.Match.DescriptionContains
	}
	if r.Name == "" {
		return view.Rule{}, errors.New("this transaction has no merchant or description to match on")
	}
	return r, nil
}

// cleanDescription is the part of a bank description that stays the same
// from one payment to the same party to the next: the words before the
// first that holds a digit (a store number, a card's last digits, a
// reference or a date), or the whole text when it starts with one.
func cleanDescription(desc string) string {
	words := strings.Fields(desc)
	var kept []string
	for _, w := range words {
		if strings.ContainsAny(w, "0123456789") {
			break
		}
		kept = append(kept, w)
	}
	if len(kept) == 0 {
		return strings.Join(words, " ")
	}
	return strings.Join(kept, " ")
}

// ruleError is a refused rule as the person reads it.
func ruleError(err error) error {
	var re *rules.Error
	var fe *store.UserFieldError
	switch {
	case errors.As(err, &fe):
		name := "A rule"
		if errors.As(err, &re) {
			name = ruleName(re)
		}
		return saidError{fmt.Sprintf("%s: %s", name, fe.Say()), err}
	case errors.As(err, &re):
		return saidError{fmt.Sprintf("%s: %s.", ruleName(re), re.Err), err}
	}
	return fmt.Errorf("save your rules: %w", err)
}

// categoryError is a refused operation as the person reads it.
func categoryError(err error) error {
	if errors.Is(err, categories.ErrUnknown) {
		_, name, _ := strings.Cut(err.Error(), ": ")
		return saidError{fmt.Sprintf("There is no category %s.", name), err}
	}
	return err // a *categories.Error says itself
}

func ruleName(re *rules.Error) string {
	if re.Name != "" {
		return fmt.Sprintf("The rule %q", re.Name)
	}
	return fmt.Sprintf("Rule %d", re.Index+1)
}

// saidError is an error with its sentence for the person (problem.Sayer).
type saidError struct {
	say string
	err error
}

func (e saidError) Error() string { return e.say }
func (e saidError) Unwrap() error { return e.err }

// Say is the sentence the screens and the command line show.
func (e saidError) Say() string { return e.say }

// ruleViews are rules as the window shows them.
func ruleViews(rs []rules.Rule) []view.Rule {
	out := make([]view.Rule, 0, len(rs))
	for _, r := range rs {
		m := r.Match
		v := view.Rule{ID: r.ID, Name: r.Name, Enabled: r.On(),
			Match: view.RuleMatch{DescriptionContains: m.DescriptionContains, DescriptionEquals: m.DescriptionEquals, DescriptionRegexp: m.DescriptionRegexp,
				MerchantContains: m.MerchantContains, MerchantEquals: m.MerchantEquals, MerchantRegexp: m.MerchantRegexp,
				AmountMin: amountText(m.AmountMin), AmountMax: amountText(m.AmountMax), Sign: m.Sign, Account: m.Account,
				TransactionType: m.Type, DayOfMonth: append([]int{}, m.DayOfMonth...), BankCategory: m.BankCategory},
			Set: view.RuleSet{Category: r.Set.Category, Tags: append([]string{}, r.Set.Tags...), Payee: r.Set.Payee, Hidden: r.Set.Hidden},
		}
		out = append(out, v)
	}
	return out
}

func amountText(d *decimal.Decimal) string {
	if d == nil {
		return ""
	}
	return d.String()
}

// rulesOf are the window's rules in their stored form; an amount that is
// not a number is refused by name.
func rulesOf(vs []view.Rule) ([]rules.Rule, error) {
	out := make([]rules.Rule, 0, len(vs))
	for i, v := range vs {
		m := v.Match
		enabled := v.Enabled
		r := rules.Rule{ID: v.ID, Name: strings.TrimSpace(v.Name), Enabled: &enabled,
			Match: rules.Match{DescriptionContains: m.DescriptionContains, DescriptionEquals: m.DescriptionEquals, DescriptionRegexp: m.DescriptionRegexp,
				MerchantContains: m.MerchantContains, MerchantEquals: m.MerchantEquals, MerchantRegexp: m.MerchantRegexp,
				Sign: m.Sign, Account: m.Account, Type: m.TransactionType, DayOfMonth: slices.Clone(m.DayOfMonth), BankCategory: m.BankCategory},
			Set: rules.Set{Category: v.Set.Category, Tags: slices.Clone(v.Set.Tags), Payee: v.Set.Payee, Hidden: v.Set.Hidden},
		}
		if enabled {
			r.Enabled = nil // on is the file's default
		}
		var err error
		if r.Match.AmountMin, err = amountOf(m.AmountMin); err != nil {
			return nil, ruleError(&rules.Error{Index: i, Name: r.Name, Err: fmt.Errorf("the lowest amount %w", err)})
		}
		if r.Match.AmountMax, err = amountOf(m.AmountMax); err != nil {
			return nil, ruleError(&rules.Error{Index: i, Name: r.Name, Err: fmt.Errorf("the highest amount %w", err)})
		}
		out = append(out, r)
	}
	return out, nil
}

func amountOf(s string) (*decimal.Decimal, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return nil, fmt.Errorf("%q is not an amount", s)
	}
	return &d, nil
}
