package consent

import (
	"fmt"
	"regexp"
	"strings"

	"bankdesk/backend/store"
)

// The shapes a renewal's contact must have before it is sent to
// TrueLayer's extend call: a light check that catches typing slips, not a
// full validation. A name is one word or more: many people have only one. The patterns are RE2 and JavaScript alike (the window
// checks them early, view.Rules).
const (
	MinNameWords = 1
	EmailPattern = `^[^@\s]+@[^@\s]+\.[^@\s]+$`
	PhonePattern = `^\+?[0-9 ()-]{7,}$`
)

var (
	emailShape = regexp.MustCompile(EmailPattern)
	phoneShape = regexp.MustCompile(PhonePattern)
)

// CheckUser is the one rule for the details a renewal sends: a name and an email address or a phone number that look
// right. Each error is a sentence for the screen and matches
// ErrUserDetails.
func CheckUser(u store.User) error {
	name, email, phone := strings.TrimSpace(u.Name), strings.TrimSpace(u.Email), strings.TrimSpace(u.Phone)
	switch {
	case len(strings.Fields(name)) < MinNameWords:
		return userError("Enter your name.")
	case email == "" && phone == "":
		return userError("Enter an email address or a phone number.")
	case email != "" && !emailShape.MatchString(email):
		return userError("That email address does not look right.")
	case phone != "" && !phoneShape.MatchString(phone):
		return userError("That phone number does not look right.")
	}
	return nil
}

type userDetailsError string

func (e userDetailsError) Error() string { return string(e) }
func (e userDetailsError) Unwrap() error { return ErrUserDetails }

// Say is the sentence the form shows (problem.Sayer), however it is wrapped.
func (e userDetailsError) Say() string { return string(e) }

func userError(msg string) error { return fmt.Errorf("%w", userDetailsError(msg)) }
