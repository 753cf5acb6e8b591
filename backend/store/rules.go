package store

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"

	"go.etcd.io/bbolt"

	"bankdesk/backend/categories"
	"bankdesk/backend/rules"
)

// The person's rules (package rules) and category list, and what the
// rules make of each transaction.
//
// Rules are not run when transactions are written but when they are
// read: every read that attaches the person's fields (Transactions,
// Pending, NewestTransactions, Transaction) also runs the stored rules
// over the transaction and attaches what they set as Transaction.Ruled.
// So a rule applies to the past the moment it is saved and to every
// transaction a later sync brings, there are no stored results to go
// stale when a rule or a bank's text changes, and what a preview computes
// (ApplyRules with other rules) is what a read computes. Transaction.
// Fields merges the two layers: what the person set by hand wins, field
// by field, over what a rule set.
//
// The rules and the category list are sealed records of the settings
// bucket (SettingRules, SettingCategories); SetRules and SetCategories are
// their one writers, so the compiled rules the reads use (rulesCache) are
// never stale.

// ApplyRules sets t.Ruled to what c's rules set on t (nil when none
// matches): the one place a transaction is put to the rules, for the
// store's reads and for previews.
func ApplyRules(c *rules.Compiled, t *Transaction) {
	t.Ruled = nil
	if c.Len() == 0 {
		return
	}
	in := rules.Transaction{Description: t.Description, Merchant: t.Merchant, AccountID: t.AccountID,
		Amount: t.Amount, Type: t.Type, DayOfMonth: t.BookedAt.Day(), BankCategory: categories.BankName(t.Category, t.Classification)}
	res := c.Apply(&in)
	if !res.Any() {
		return
	}
	t.Ruled = &UserFields{Category: res.Category, Tags: res.Tags, Payee: res.Payee, Hidden: res.Hidden}
}

// Fields is what the person's layer makes of t: for the category, tags
// and payee name what they set by hand, else what their rules set
// (Ruled); hidden when either hides it; the note and transfer link are
// set by hand only. Every reader that shows, counts or exports the
// person's fields goes by it.
func (t Transaction) Fields() UserFields {
	f := t.UserFields()
	r := t.Ruled
	if r == nil {
		return f
	}
	if f.Category == "" {
		f.Category = r.Category
	}
	if len(f.Tags) == 0 {
		f.Tags = r.Tags
	}
	if f.Payee == "" {
		f.Payee = r.Payee
	}
	f.Hidden = f.Hidden || r.Hidden
	return f
}

// PersonCategory is Fields().Category without the copy: the category the
// person chose by hand, else their rules' ("" leaves the bank's).
func (t *Transaction) PersonCategory() string {
	if t.User != nil && t.User.Category != "" {
		return t.User.Category
	}
	if t.Ruled != nil {
		return t.Ruled.Category
	}
	return ""
}

// rulesCache holds the compiled rules the reads run (nil: not read yet).
type rulesCache struct{ c *rules.Compiled }

// compiledRules are the stored rules, compiled once per change. Rules
// that do not read (a damaged record, noted) or no longer compile are
// none: the bank's and the person's own fields still show.
func (s *Store) compiledRules() *rules.Compiled {
	if rc := s.rules.Load(); rc != nil {
		return rc.c
	}
	rs, err := s.Rules()
	var c *rules.Compiled
	if err == nil {
		c, err = rules.Compile(rs)
	}
	if err != nil {
		c = nil
	}
	s.rules.CompareAndSwap(nil, &rulesCache{c})
	return s.rules.Load().c
}

// Rules are the person's rules, in their order (none when none saved).
func (s *Store) Rules() ([]rules.Rule, error) {
	var rs []rules.Rule
	_, err := s.readSettingJSON(SettingRules, &rs)
	return rs, err
}

// SetRules replaces the person's rules with rs, in that order, and
// returns them as stored: each gets an id when it has none (ids must not
// repeat), and what each sets is checked and cleaned as the fields set
// by hand are. A rule that does not compile, or sets a field the store
// refuses, is refused (a *rules.Error naming it), matching ErrInvalid.
func (s *Store) SetRules(rs []rules.Rule) ([]rules.Rule, error) {
	rs, c, err := prepareRules(rs)
	if err != nil {
		return nil, err
	}
	err = s.updateIn(bucketSettings, func(_ *bbolt.Tx, b *bbolt.Bucket) error { return s.putRules(b, rs) })
	if err != nil {
		return nil, fmt.Errorf("save rules: %w", err)
	}
	s.rules.Store(&rulesCache{c})
	return rs, nil
}

// prepareRules gives rs ids, cleans what they set and compiles them.
func prepareRules(rs []rules.Rule) ([]rules.Rule, *rules.Compiled, error) {
	rs = slices.Clone(rs)
	seen := map[string]bool{}
	for i := range rs {
		r := &rs[i]
		if r.ID == "" {
			r.ID = newRuleID()
		}
		if seen[r.ID] {
			return nil, nil, fmt.Errorf("%w: %w", ErrInvalid, &rules.Error{Index: i, Name: r.Name, Err: fmt.Errorf("the id %q is another rule's too", r.ID)})
		}
		seen[r.ID] = true
		set, err := normaliseFields(UserFields{Category: r.Set.Category, Tags: r.Set.Tags, Payee: r.Set.Payee})
		if err != nil {
			return nil, nil, fmt.Errorf("%w: %w", ErrInvalid, &rules.Error{Index: i, Name: r.Name, Err: err})
		}
		r.Set.Category, r.Set.Tags, r.Set.Payee = set.Category, set.Tags, set.Payee
	}
	c, err := rules.Compile(rs)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return rs, c, nil
}

func (s *Store) putRules(b *bbolt.Bucket, rs []rules.Rule) error {
	if len(rs) == 0 {
		return s.del(b, bucketSettings, []byte(SettingRules))
	}
	return s.putJSON(b, bucketSettings, []byte(SettingRules), rs)
}

// newRuleID is a random id: rules are few, 64 bits never collide.
func newRuleID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24)
	return hex.EncodeToString(b[:])
}

// Categories reads the person's category list into v (a JSON value;
// package categories owns its shape); found is false when none is saved.
func (s *Store) Categories(v any) (found bool, err error) {
	return s.readSettingJSON(SettingCategories, v)
}

// readSettingJSON decodes the setting name into v; one that does not read
// is noted in Damaged and not found (the person's rules or list as if
// never saved, until a repair brings back a snapshot's).
func (s *Store) readSettingJSON(name string, v any) (found bool, err error) {
	err = s.viewIn(bucketSettings, func(_ *bbolt.Tx, b *bbolt.Bucket) error {
		found, err = s.getJSONIn(b, bucketSettings, []byte(name), v)
		return err
	})
	if errors.Is(err, ErrUnreadable) {
		s.noteRecord(bucketSettings, []byte(name), err)
		return false, nil
	}
	return found, err
}

// Recategorised counts what SetCategories changed.
type Recategorised struct {
	Transactions int // transactions whose hand-set category changed
	Rules        int // rules whose category changed
	RulesRemoved int // rules left setting nothing, removed
}

// SetCategories saves the person's category list (list, as JSON) and, in
// the same write, renames each category the person set by hand and each
// that a rule sets by rename: it returns the new name ("" for none: the
// transaction goes back to the bank's, the rule stops setting a
// category; a rule left setting nothing is removed) and whether the name
// changes. The rules in add go after the others (the rules merging or
// deleting a category the bank fills makes). Fields of an account that do not read are left as they are
// (noted in Damaged; a repair brings back a snapshot's).
func (s *Store) SetCategories(list any, rename func(string) (string, bool), add []rules.Rule) (Recategorised, error) {
	var n Recategorised
	var ruled []rules.Rule
	var compiled *rules.Compiled
	s.index.mu.Lock()
	defer s.index.mu.Unlock()
	err := s.update(func(tx *bbolt.Tx) error {
		n = Recategorised{}
		settings, err := bucket(tx, bucketSettings)
		if err != nil {
			return err
		}
		if err := s.putJSON(settings, bucketSettings, []byte(SettingCategories), list); err != nil {
			return err
		}
		var rs []rules.Rule
		if _, err := s.getJSONIn(settings, bucketSettings, []byte(SettingRules), &rs); err != nil {
			return fmt.Errorf("your rules: %w", err)
		}
		ruled = nil
		changed := false
		for _, r := range rs {
			if to, ok := rename(r.Set.Category); ok && r.Set.Category != "" {
				r.Set.Category, changed = to, true
				if r.Set.Category == "" && len(r.Set.Tags) == 0 && r.Set.Payee == "" && r.Set.Hidden == nil {
					n.RulesRemoved++
					continue
				}
				n.Rules++
			}
			ruled = append(ruled, r)
		}
		if len(add) > 0 {
			ruled, changed = append(ruled, add...), true
		}
		if changed {
			if ruled, compiled, err = prepareRules(ruled); err != nil {
				return err
			}
			if err := s.putRules(settings, ruled); err != nil {
				return err
			}
		}
		b, err := bucket(tx, bucketUserFields)
		if err != nil {
			return err
		}
		var ids []string
		if err := s.each(b, bucketUserFields, func(logical, _ []byte) error {
			ids = append(ids, string(logical))
			return nil
		}); err != nil {
			return err
		}
		for _, id := range ids {
			set, err := s.readUserSet(b, id)
			if err != nil {
				return fmt.Errorf("the fields you added to %s's transactions: %w", id, err)
			}
			dirty := false
			for k, e := range set {
				to, ok := rename(e.Fields.Category)
				if !ok || e.Fields.Category == "" {
					continue
				}
				e.Fields.Category, dirty = to, true
				n.Transactions++
				if e.Fields.IsZero() {
					delete(set, k)
				}
			}
			if dirty {
				if err := s.writeUserSet(b, id, set); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return Recategorised{}, fmt.Errorf("save categories: %w", err)
	}
	if compiled != nil {
		s.rules.Store(&rulesCache{compiled})
	}
	return n, nil
}
