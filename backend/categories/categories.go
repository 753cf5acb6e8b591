// Package categories is the person's own category list: top-level
// categories, each with children one level down, a child named in full
// as "Home › Energy". It starts from the bank's classification (BankName
// and the classification's second level), and the person adds, renames,
// merges and deletes. Each operation returns the new list and the renaming
// it makes of category names (Rename), which the store applies to the
// categories set by hand and by rules in the same write
// (store.SetCategories).
package categories

import (
	"fmt"
	"slices"
	"strings"
)

// Sep joins a parent's name and a child's in the child's full name.
const Sep = " › "

// MaxNameLen is the longest full name, in characters (the store's limit
// on a category).
const MaxNameLen = 100

// Category is a top-level category and its children's own names.
type Category struct {
	Name     string   `json:"name"`
	Children []string `json:"children,omitempty"`
}

// List is the person's categories, sorted by name (children too).
type List []Category

// Rename maps a category name to its new one ("" for none) and says
// whether it changes; nil renames nothing.
type Rename func(string) (string, bool)

// Split is a full name's parent and child ("" when top-level).
func Split(full string) (parent, child string) {
	if p, c, ok := strings.Cut(full, Sep); ok {
		return p, c
	}
	return full, ""
}

// Full is the full name of parent's child ("" makes parent itself).
func Full(parent, child string) string {
	if child == "" {
		return parent
	}
	return parent + Sep + child
}

// Default is the list the bank's categories make: each (name, child)
// pair, a child "" for none.
func Default(pairs [][2]string) List {
	var l List
	for _, p := range pairs {
		l = l.with(p[0], p[1])
	}
	return l
}

// Names are every full name in l, parents before their children.
func (l List) Names() []string {
	var out []string
	for _, c := range l {
		out = append(out, c.Name)
		for _, ch := range c.Children {
			out = append(out, Full(c.Name, ch))
		}
	}
	return out
}

// Has says l holds the category of that full name.
func (l List) Has(full string) bool {
	p, ch := Split(full)
	i := l.find(p)
	return i >= 0 && (ch == "" || slices.Contains(l[i].Children, ch))
}

func (l List) find(name string) int {
	return slices.IndexFunc(l, func(c Category) bool { return c.Name == name })
}

// with is l with the category (and child, unless "") added when missing,
// sorted; l is not changed.
func (l List) with(name, child string) List {
	if name == "" {
		return l
	}
	l = l.clone()
	i := l.find(name)
	if i < 0 {
		l = append(l, Category{Name: name})
		i = len(l) - 1
	}
	if child != "" && !slices.Contains(l[i].Children, child) {
		l[i].Children = append(l[i].Children, child)
	}
	l.sort()
	return l
}

func (l List) clone() List {
	out := make(List, len(l))
	for i, c := range l {
		out[i] = Category{Name: c.Name, Children: slices.Clone(c.Children)}
	}
	return out
}

func (l List) sort() {
	fold := func(a, b string) int {
		if c := strings.Compare(strings.ToLower(a), strings.ToLower(b)); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	}
	for i := range l {
		slices.SortFunc(l[i].Children, fold)
	}
	slices.SortFunc(l, func(a, b Category) int { return fold(a.Name, b.Name) })
}

func (l List) known(full string) error {
	if !l.Has(full) {
		return fmt.Errorf("%w: %q", ErrUnknown, full)
	}
	return nil
}

// Add is l with a new category: full is "Name" or "Parent › Name" (the
// parent is added too when missing). One it holds already is refused.
func (l List) Add(full string) (List, error) {
	p, ch := Split(full)
	p, err := label(p)
	if err != nil {
		return nil, err
	}
	if strings.Contains(full, Sep) {
		if ch, err = label(ch); err != nil {
			return nil, err
		}
	}
	full = Full(p, ch)
	if err := checkLen(full); err != nil {
		return nil, err
	}
	if l.Has(full) {
		return nil, refuse("There is a category “%s” already.", full)
	}
	return l.with(p, ch), nil
}

// under maps from, and (when from is top-level) each of its children, to
// to: the children to to's children of the same name when keepChildren,
// else to to itself.
func under(from, to string, keepChildren bool) Rename {
	return func(name string) (string, bool) {
		if name == from {
			return to, true
		}
		if rest, ok := strings.CutPrefix(name, from+Sep); ok {
			if keepChildren {
				return Full(to, rest), true
			}
			return to, true
		}
		return name, false
	}
}

// Rename is l with the category full given a new own name (a child stays
// under its parent, a parent keeps its children), and the renaming of
// every name it changes.
func (l List) Rename(full, newLabel string) (List, Rename, error) {
	if err := l.known(full); err != nil {
		return nil, nil, err
	}
	newLabel, err := label(newLabel)
	if err != nil {
		return nil, nil, err
	}
	p, ch := Split(full)
	to := newLabel
	if ch != "" {
		to = Full(p, newLabel)
	}
	if to == full {
		return l, func(n string) (string, bool) { return n, false }, nil
	}
	if l.Has(to) {
		return nil, nil, refuse("There is a category “%s” already: merge the two instead.", to)
	}
	out := l.clone()
	i := out.find(p)
	if ch != "" {
		out[i].Children[slices.Index(out[i].Children, ch)] = newLabel
		if err := checkLen(to); err != nil {
			return nil, nil, err
		}
	} else {
		out[i].Name = newLabel
		for _, c := range out[i].Children {
			if err := checkLen(Full(newLabel, c)); err != nil {
				return nil, nil, err
			}
		}
	}
	out.sort()
	return out, under(full, to, true), nil
}

// Merge is l with from merged into into: everything in from moves to
// into. Two top-level categories merge children too (from's "X" becomes
// into's "X"); otherwise from's children fold into into itself. Merging a
// category into itself or into one of its own children is refused.
func (l List) Merge(from, into string) (List, Rename, error) {
	if err := l.known(from); err != nil {
		return nil, nil, err
	}
	if err := l.known(into); err != nil {
		return nil, nil, err
	}
	if from == into || strings.HasPrefix(into, from+Sep) {
		return nil, nil, refuse("“%s” cannot be merged into itself or one of its own.", from)
	}
	fp, fch := Split(from)
	_, ich := Split(into)
	out := l.clone()
	keep := fch == "" && ich == ""
	if keep {
		for _, c := range out[out.find(fp)].Children {
			out = out.with(into, c)
		}
	}
	out = out.without(from)
	return out, under(from, into, keep), nil
}

// without is l less the category full (and its children).
func (l List) without(full string) List {
	p, ch := Split(full)
	out := l.clone()
	i := out.find(p)
	if i < 0 {
		return out
	}
	if ch == "" {
		return slices.Delete(out, i, i+1)
	}
	out[i].Children = slices.DeleteFunc(out[i].Children, func(c string) bool { return c == ch })
	return out
}

// Delete is l without the category full and its children; what they held
// moves to reassign, or, when "", back to the bank's categories.
func (l List) Delete(full, reassign string) (List, Rename, error) {
	if err := l.known(full); err != nil {
		return nil, nil, err
	}
	if reassign != "" {
		if err := l.known(reassign); err != nil {
			return nil, nil, err
		}
		if reassign == full || strings.HasPrefix(reassign, full+Sep) {
			return nil, nil, refuse("What “%s” holds cannot move to itself or one of its own: it goes with it.", full)
		}
	}
	return l.without(full), under(full, reassign, false), nil
}
