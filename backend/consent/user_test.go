package consent

import (
	"errors"
	"testing"

	"bankdesk/backend/store"
)

func TestCheckUser(t *testing.T) {
	for _, c := range []struct {
		u    store.User
		want string // "" = accepted
	}{
		{store.User{Name: "Jane Doe", Email: "jane@example.com"}, ""},
		{store.User{Name: " Jane  Doe ", Phone: "+44 20 7946 0000"}, ""},
		{store.User{Name: "Jane", Email: "jane@example.com"}, ""}, // a one-word name is a name
		{store.User{Name: "  ", Email: "jane@example.com"}, "Enter your name."},
		{store.User{Name: "Jane Doe"}, "Enter an email address or a phone number."},
		{store.User{Name: "Jane Doe", Email: "jane@"}, "That email address does not look right."},
		{store.User{Name: "Jane Doe", Phone: "12ab"}, "That phone number does not look right."},
	} {
		err := CheckUser(c.u)
		if c.want == "" {
			if err != nil {
				t.Errorf("%+v: %v", c.u, err)
			}
			continue
		}
		if err == nil || err.Error() != c.want || !errors.Is(err, ErrUserDetails) {
			t.Errorf("%+v: %v, want %q (ErrUserDetails)", c.u, err, c.want)
		}
	}
}
