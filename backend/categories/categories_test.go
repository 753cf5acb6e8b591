package categories

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

var start = Default([][2]string{{"Home", "Energy"}, {"Home", "Rent"}, {"Shopping", "Groceries"}, {"Bills", ""}, {"Home", ""}})

func names(l List) string { return strings.Join(l.Names(), "|") }

// Each operation's list, and how it renames names it moves (a name it
// leaves alone is unchanged).
func TestOperationsMakeTheListAndTheRenaming(t *testing.T) {
	if got := names(start); got != "Bills|Home|Home › Energy|Home › Rent|Shopping|Shopping › Groceries" {
		t.Fatalf("default %s", got)
	}
	for _, c := range []struct {
		name    string
		op      func() (List, Rename, error)
		list    string
		renames map[string]string // old → new; "=" unchanged
	}{
		{"rename a parent: its children follow", func() (List, Rename, error) { return start.Rename("Home", "House") }, "Bills|House|House › Energy|House › Rent|Shopping|Shopping › Groceries", map[string]string{"Home": "House", "Home › Rent": "House › Rent", "Homeware": "=", "Bills": "="}},
		{"rename a child: it stays under its parent", func() (List, Rename, error) { return start.Rename("Home › Energy", "Gas") }, "Bills|Home|Home › Gas|Home › Rent|Shopping|Shopping › Groceries", map[string]string{"Home › Energy": "Home › Gas", "Home": "=", "Home › Rent": "="}},
		{"merge two parents: children merge too", func() (List, Rename, error) { return start.Merge("Home", "Shopping") }, "Bills|Shopping|Shopping › Energy|Shopping › Groceries|Shopping › Rent", map[string]string{"Home": "Shopping", "Home › Energy": "Shopping › Energy"}},
		{"merge a parent into a child: children fold in", func() (List, Rename, error) { return start.Merge("Home", "Shopping › Groceries") }, "Bills|Shopping|Shopping › Groceries", map[string]string{"Home": "Shopping › Groceries", "Home › Rent": "Shopping › Groceries"}},
		{"merge a child into a parent", func() (List, Rename, error) { return start.Merge("Home › Rent", "Bills") }, "Bills|Home|Home › Energy|Shopping|Shopping › Groceries", map[string]string{"Home › Rent": "Bills", "Home": "="}},
		{"delete to another", func() (List, Rename, error) { return start.Delete("Home", "Bills") }, "Bills|Shopping|Shopping › Groceries", map[string]string{"Home": "Bills", "Home › Energy": "Bills"}},
		{"delete to none", func() (List, Rename, error) { return start.Delete("Home › Energy", "") }, "Bills|Home|Home › Rent|Shopping|Shopping › Groceries", map[string]string{"Home › Energy": "", "Home": "="}},
	} {
		l, rename, err := c.op()
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got := names(l); got != c.list {
			t.Errorf("%s: list %s, want %s", c.name, got, c.list)
		}
		for from, want := range c.renames {
			got, ok := rename(from)
			if want == "=" && (ok || got != from) || want != "=" && (!ok || got != want) {
				t.Errorf("%s: %q → %q (%v), want %q", c.name, from, got, ok, want)
			}
		}
	}
	if names(start) != "Bills|Home|Home › Energy|Home › Rent|Shopping|Shopping › Groceries" {
		t.Error("an operation changed the list it was given")
	}
}

func TestAddAndRefusals(t *testing.T) {
	l, err := start.Add(" Travel ›  Trains ")
	if err != nil || !l.Has("Travel") || !l.Has("Travel › Trains") {
		t.Fatalf("add: %v %s", err, names(l))
	}
	var e *Error
	for name, err := range map[string]error{
		"existing":          second(start.Add("Home")),
		"third level":       second(start.Add("Home › Energy › Gas")),
		"no name":           second(start.Add(" › x")),
		"control character": second(start.Add("a\tb")),
		"long":              second(start.Add(strings.Repeat("é", MaxNameLen+1))),
		"rename onto":       third(start.Rename("Home", "Bills")),
		"merge into self":   third(start.Merge("Home", "Home")),
		"merge into own":    third(start.Merge("Home", "Home › Rent")),
		"delete into own":   third(start.Delete("Home", "Home › Rent")),
	} {
		if !errors.As(err, &e) || e.Say() == "" {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, _, err := start.Merge("Nope", "Home"); !errors.Is(err, ErrUnknown) {
		t.Errorf("unknown: %v", err)
	}
	if !reflect.DeepEqual(Default(nil), List(nil)) {
		t.Error("no pairs make a list")
	}
}

func second[T any](_ T, err error) error        { return err }
func third[T, U any](_ T, _ U, err error) error { return err }

func TestBankName(t *testing.T) {
	for _, c := range []struct {
		cat   string
		class []string
		want  string
	}{
		{"TRANSFER", []string{"Shopping"}, "Transfers"},
		{"PURCHASE", []string{"Shopping", "Groceries"}, "Shopping"},
		{"ATM", nil, "Cash"},
		{"NEW_THING", nil, "NEW_THING"},
		{"", []string{""}, "Uncategorised"},
	} {
		if got := BankName(c.cat, c.class); got != c.want {
			t.Errorf("BankName(%q, %q) = %q, want %q", c.cat, c.class, got, c.want)
		}
	}
}
