package desk

import (
	"fmt"

	"bankdesk/backend/categories"
	"bankdesk/backend/ledger"
	"bankdesk/backend/rules"
	"bankdesk/backend/view"
)

// categoryList is the saved list (else the bank's) with every category in use added.
func (d *Desk) categoryList() (categories.List, error) {
	idx, err := d.ledger()
	if err != nil {
		return nil, err
	}
	var l categories.List
	found, err := d.store.Categories(&l)
	if err != nil {
		return nil, fmt.Errorf("read your categories: %w", err)
	}
	var pairs [][2]string
	for _, r := range idx.Rows() {
		bank := ledger.CategoryName(&r.Transaction)
		if !found {
			child := ""
			if len(r.Classification) > 1 && r.Classification[0] == bank {
				child = r.Classification[1]
			}
			pairs = append(pairs, [2]string{bank, child})
		}
		p, ch := categories.Split(r.CategoryName)
		pairs = append(pairs, [2]string{p, ch})
	}
	rs, err := d.store.Rules()
	if err != nil {
		return nil, fmt.Errorf("read your rules: %w", err)
	}
	for _, r := range rs {
		if r.Set.Category != "" {
			p, ch := categories.Split(r.Set.Category)
			pairs = append(pairs, [2]string{p, ch})
		}
	}
	for _, p := range l {
		pairs = append(pairs, [2]string{p.Name, ""})
		for _, ch := range p.Children {
			pairs = append(pairs, [2]string{p.Name, ch})
		}
	}
	return categories.Default(pairs), nil
}

// AddCategory adds a category: "Name", or "Parent › Name" (the parent too
// when new). Offline.
func (d *Desk) AddCategory(name string) (view.CategoryChange, error) {
	return d.changeCategories(func(l categories.List) (categories.List, categories.Rename, error) {
		out, err := l.Add(name)
		return out, nil, err
	})
}

// CategoryList is the person's categories (package categories; stored by
// store.SetCategories), each top-level one with its children. Until they
// change it, it is the bank's: each category the bank's classification
// gives their transactions, with the classification's second level as
// children. Every category in use (set by hand, by a rule, or the bank's)
// is listed, saved in the list or not. Offline.
func (d *Desk) CategoryList() ([]view.CategoryNode, error) {
	l, err := d.categoryList()
	return categoryNodes(l), err
}

// RenameCategory gives the category name (in full) a new name of its own:
// a child stays under its parent, a parent keeps its children. The
// categories set by hand and by rules follow, and so do the transactions
// the bank's classification puts under it (a rule, after the person's,
// says so). Offline.
func (d *Desk) RenameCategory(name, newName string) (view.CategoryChange, error) {
	return d.changeCategories(func(l categories.List) (categories.List, categories.Rename, error) {
		return l.Rename(name, newName)
	})
}

// MergeCategory moves everything in from to into, and removes from
// (categories.List.Merge). Offline.
func (d *Desk) MergeCategory(from, into string) (view.CategoryChange, error) {
	return d.changeCategories(func(l categories.List) (categories.List, categories.Rename, error) {
		return l.Merge(from, into)
	})
}

// DeleteCategory removes the category name and its children; what they
// held moves to reassign, or with "" back to the bank's category (a
// category the bank's classification fills stays listed, holding what
// the bank puts there). Offline.
func (d *Desk) DeleteCategory(name, reassign string) (view.CategoryChange, error) {
	return d.changeCategories(func(l categories.List) (categories.List, categories.Rename, error) {
		return l.Delete(name, reassign)
	})
}

// changeCategories runs op on the list and saves what it makes: the list,
// the categories set by hand and by rules renamed, and a rule for each
// category the bank fills that moved (matching the bank's category, after
// the person's rules), in one write. The screens hear DataChanged.
func (d *Desk) changeCategories(op func(categories.List) (categories.List, categories.Rename, error)) (view.CategoryChange, error) {
	l, err := d.categoryList()
	if err != nil {
		return view.CategoryChange{}, err
	}
	out, rename, err := op(l)
	if err != nil {
		return view.CategoryChange{}, categoryError(err)
	}
	if rename == nil {
		rename = func(n string) (string, bool) { return n, false }
	}
	add, err := d.bankMoves(rename)
	if err != nil {
		return view.CategoryChange{}, err
	}
	n, err := d.store.SetCategories(out, rename, add)
	if err != nil {
		return view.CategoryChange{}, ruleError(err)
	}
	d.reloadLedger()
	d.sink.DataChanged()
	after, err := d.CategoryList()
	if err != nil {
		return view.CategoryChange{}, err
	}
	return view.CategoryChange{Categories: after, Transactions: n.Transactions, Rules: n.Rules, RulesRemoved: n.RulesRemoved}, nil
}

// bankMoves are the rules that move what the bank's classification puts
// under a category rename moves: one per bank category that some
// transaction shows (no category of the person's or a rule's) and rename
// changes to another (none for "": the bank's it stays).
func (d *Desk) bankMoves(rename categories.Rename) ([]rules.Rule, error) {
	idx, err := d.ledger()
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var add []rules.Rule
	for _, r := range idx.Rows() {
		if r.PersonCategory() != "" {
			continue
		}
		bank := r.CategoryName
		if seen[bank] {
			continue
		}
		seen[bank] = true
		if to, ok := rename(bank); ok && to != "" {
			add = append(add, rules.Rule{Name: bank + " → " + to, Match: rules.Match{BankCategory: bank}, Set: rules.Set{Category: to}})
		}
	}
	return add, nil
}

func categoryNodes(l categories.List) []view.CategoryNode {
	out := make([]view.CategoryNode, 0, len(l))
	for _, c := range l {
		n := view.CategoryNode{Name: c.Name, Label: c.Name, Children: make([]view.CategoryNode, 0, len(c.Children))}
		for _, ch := range c.Children {
			n.Children = append(n.Children, view.CategoryNode{Name: categories.Full(c.Name, ch), Label: ch, Children: []view.CategoryNode{}})
		}
		out = append(out, n)
	}
	return out
}
