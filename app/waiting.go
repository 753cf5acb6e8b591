package app

import (
	"context"

	"bankdesk/backend/desk"
)

// The waiting card's bindings: the login's link again, and its finish
// from a pasted address.

// OpenLoginAgain opens the auth link of the login the window waits for
// in the browser once more (the user closed the tab, say). The link comes
// from the backend: the frontend cannot have any other address opened.
func (a *App) OpenLoginAgain() error {
	return do(a, func(d *desk.Desk) error {
		l, err := d.LoginLink()
		if err == nil {
			a.runtime().BrowserOpenURL(l.URL)
		}
		return err
	})
}

// CompletePasted finishes the waiting login from the address the bank sent
// the browser to, pasted by the user (desk.CompletePasted): an address it
// cannot use is refused with a sentence saying why, and the outcome of one
// it can arrives as the deep link's does, as an event.
func (a *App) CompletePasted(address string) error {
	return do(a, func(d *desk.Desk) error { return d.CompletePasted(context.Background(), address) })
}
