package cli

import (
	"time"

	"bankdesk/backend/config"
	"bankdesk/backend/desk"
)

// openDesk opens the backend for a data command. In the built-in
// environment that starts the in-process sandbox from its saved state, so
// connections made in the window (or by `bankdesk connect`) work here too.
func openDesk(io IO) (*desk.Desk, error) {
	var o opener
	return o.open(io, 0)
}

// opener opens the backend, more than once in a command that closes the
// data file while the user is at the bank (a loopback login). A passphrase
// typed at the prompt is kept for the next open, so nobody is asked twice;
// it is no more than the open vault holds in memory anyway.
type opener struct {
	typed    string
	redirect string // overrides the configured redirect URI when set
}

// open opens the backend; lockWait bounds the wait for a data file another
// command holds (0: desk's default, a second).
func (o *opener) open(io IO, lockWait time.Duration) (*desk.Desk, error) {
	cfg, err := config.FromEnv(io.Getenv)
	if err != nil {
		return nil, err
	}
	if o.redirect != "" {
		cfg.RedirectURI = o.redirect
	}
	pass := passphraseSource(io, cfg)
	if pass != nil && cfg.Passphrase == "" {
		if o.typed != "" {
			pass = func() (string, error) { return o.typed, nil }
		} else {
			ask := pass
			pass = func() (string, error) {
				p, err := ask()
				o.typed = p
				return p, err
			}
		}
	}
	d, err := desk.Open(desk.Options{Config: cfg, Log: logger(io), Passphrase: pass, LockTimeout: lockWait, Context: io.context()})
	if err == nil {
		io.opened.add(d)
	}
	return d, err
}

// withDeskOptions runs f (desk.Check, desk.Repair) with the options the
// key opens with: the store itself may not open.
func withDeskOptions[R any](io IO, f func(desk.Options) (R, error)) (R, error) {
	cfg, err := config.FromEnv(io.Getenv)
	if err != nil {
		var none R
		return none, err
	}
	return f(desk.Options{Config: cfg, Log: logger(io), Passphrase: passphraseSource(io, cfg)})
}
