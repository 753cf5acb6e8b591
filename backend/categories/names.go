package categories

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Error is an operation refused, in a sentence for the person.
type Error struct{ say string }

func (e *Error) Error() string { return e.say }

// Say is the sentence the screens and the command line show.
func (e *Error) Say() string { return e.say }

func refuse(format string, args ...any) error { return &Error{fmt.Sprintf(format, args...)} }

// ErrUnknown is a category the list does not hold.
var ErrUnknown = errors.New("no such category")

// label checks one part of a name (a category's, or a child's own).
func label(s string) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", refuse("A category needs a name.")
	case !utf8.ValidString(s) || strings.ContainsFunc(s, unicode.IsControl):
		return "", refuse("A category's name is one line of text.")
	case strings.Contains(s, "›"):
		return "", refuse("A category's name cannot hold “›”: it separates a category from its parent.")
	}
	return s, nil
}

func checkLen(full string) error {
	if n := utf8.RuneCountInString(full); n > MaxNameLen {
		return refuse("“%s” is %d characters long; at most %d fit.", full, n, MaxNameLen)
	}
	return nil
}
