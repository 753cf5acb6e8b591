package desk

import (
	"context"
	"errors"
	"strings"

	"bankdesk/backend/callback"
	"bankdesk/backend/connect"
)

// What the waiting card can ask of a login in progress: its link again,
// and a finish from the address the bank sent the browser to.

// Errors of LoginLink; each reads as a sentence for the user.
var (
	ErrNoLogin      = errors.New("Bankdesk is not waiting for a bank login; connect a bank first")
	ErrLoginExpired = errors.New("Bankdesk has no valid link to your bank any more (it expired); connect again for a new one")
)

func (d *Desk) rememberLogin(l connect.Link) {
	d.loginMu.Lock()
	d.login = l
	d.loginMu.Unlock()
}

// LoginLink is the auth link of the login the window waits for (the last
// one BeginLogin handed out), while it is valid, to open it again.
func (d *Desk) LoginLink() (connect.Link, error) {
	d.loginMu.Lock()
	l := d.login
	d.loginMu.Unlock()
	switch {
	case l.URL == "":
		return connect.Link{}, ErrNoLogin
	case !d.now().Before(l.ExpiresAt):
		return connect.Link{}, ErrLoginExpired
	}
	return l, nil
}

// PasteError is why a pasted address could not finish a login. Nothing
// was changed: the login still waits, and the user can paste again.
type PasteError struct {
	Message string // a sentence for the user
	Err     error  // the cause, for the log
}

func (e *PasteError) Error() string { return e.Message }
func (e *PasteError) Unwrap() error { return e.Err }

// Say is the sentence the window shows (problem.Sayer).
func (e *PasteError) Say() string { return e.Message }

// CompletePasted finishes a login from the address the bank sent the
// browser to, pasted by the user where neither the deep link nor the
// loopback port reached the app. It is the deep link's path (Complete,
// then the Sink hears the outcome, as CompleteAndTell): the address must
// be the redirect URI's, with the state of a login in progress. What is
// not (empty, junk, another address, an unknown or used state) is a
// *PasteError and changes nothing; once the state matched, the outcome
// goes to the Sink, and nil is returned.
func (d *Desk) CompletePasted(ctx context.Context, pasted string) error {
	pasted = strings.TrimSpace(pasted)
	if pasted == "" {
		return &PasteError{Message: "Paste the address first: copy it from your browser's address bar after you approved at your bank."}
	}
	res, err := d.Complete(ctx, pasted, false)
	var refused *PasteError
	switch {
	case errors.Is(err, callback.ErrMalformed):
		refused = &PasteError{Err: err, Message: "That is not the address your bank sent you to. It starts with " + d.cfg.RedirectURI + " and carries code= and state=."}
	case errors.Is(err, connect.ErrUnknownState):
		refused = &PasteError{Err: err, Message: "That address belongs to no login Bankdesk is waiting for: it may be from an earlier attempt, or used already. Connect again for a new one."}
	}
	if refused != nil {
		d.log.Info("pasted address refused", "err", err) // the parse errors name no code
		return refused
	}
	d.finishConnect(res, err)
	return nil
}
