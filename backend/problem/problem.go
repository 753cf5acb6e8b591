// Package problem is the one place that words a failure for a person: each
// typed error the backend returns (TrueLayer's, the vault's, the store's,
// a login's, the network's) becomes a view.Problem whose message says what
// happened and what to do, with the technical line kept as its details.
// The window, the loopback browser page and the events all use it, so no
// error chain reaches a screen.
package problem

import (
	"cmp"
	"context"
	"errors"
	"net"
	"strings"
	"time"

	"bankdesk/backend/callback"
	"bankdesk/backend/connect"
	"bankdesk/backend/store"
	"bankdesk/backend/tokens"
	"bankdesk/backend/truelayer"
	"bankdesk/backend/vault"
	"bankdesk/backend/view"
)

// Sayer is an error that already carries its sentence for the user (a
// form's validation, a pasted address refused); Of shows that sentence.
type Sayer interface {
	error
	Say() string
}

// Context is what the wording may name: the bank (else "Your bank"; a
// failed login names the bank it was for, connect.BankError.Bank) and the
// time now, for "will try again at 14:00".
type Context struct {
	Bank string
	Now  time.Time
	// Zone is where "14:00" is read; nil means time.Local.
	Zone *time.Location
}

// Of words err with no bank named.
func Of(err error) view.Problem { return Context{}.Of(err) }

// Ptr is Of for an optional field: nil for a nil error.
func (c Context) Ptr(err error) *view.Problem {
	if err == nil {
		return nil
	}
	p := c.Of(err)
	return &p
}

// Of turns err into the sentence the screen shows. Details keep the whole
// chain (with TrueLayer's correlation id), which the log keeps too.
func (c Context) Of(err error) view.Problem {
	if err == nil {
		return view.Problem{}
	}
	p := view.Problem{Details: err.Error()}
	bank := c.Bank
	if bank == "" {
		bank = "Your bank"
	}
	var (
		say Sayer
		be  *connect.BankError
		te  *truelayer.Error
		ne  net.Error
	)
	switch {
	case errors.As(err, &say):
		p.Message = sentence(say.Say())
		if p.Message == p.Details {
			p.Details = ""
		}
	case errors.Is(err, context.Canceled):
		p.Message = "Stopped before it finished. Nothing was lost."
		p.Retry = true
	case errors.Is(err, vault.ErrWrongPassphrase):
		p.Message = "That passphrase is not right. Check it (capital letters count) and try again."
		p.Details = "" // nothing technical to add: the log has the chain
	case errors.Is(err, store.ErrAlreadyRunning):
		p.Message = "Bankdesk is already open in another window. Switch to that one, or close it and try again."
		p.Retry = true
	case errors.Is(err, connect.ErrCancelled):
		p.Message = "You cancelled at the bank. Nothing was connected."
		p.Details = ""
	case errors.Is(err, connect.ErrUnknownState):
		p.Message = "Bankdesk received a bank response that matches no login started here, or one already used. Nothing was changed; connect again if you meant to."
	case errors.Is(err, connect.ErrExpired), errors.Is(err, connect.ErrCodeExpired):
		p.Message = "The bank login took too long and expired. Please connect again."
	case errors.Is(err, callback.ErrMalformed):
		p.Message = "Bankdesk received a link it does not understand. Nothing was changed; connect again if you meant to."
	case errors.Is(err, connect.ErrUnfinished):
		p.Message = sentence(connect.ErrUnfinished.Error())
		p.Details = beyond(p.Details, connect.ErrUnfinished.Error())
		p.Retry = true
	case errors.Is(err, connect.ErrRefused), errors.Is(err, connect.ErrNoAccounts):
		p.Message = firstSentence(err, connect.ErrRefused, connect.ErrNoAccounts)
	case errors.As(err, &be):
		p.Message = cmp.Or(be.Bank, bank) + " could not complete the login, so nothing was connected. Please connect again."
		p.Retry = true
	case errors.Is(err, tokens.ErrReconnectNeeded), errors.Is(err, tokens.ErrRevoked), truelayer.NeedsReconnect(err):
		p.Message = bank + " needs you to reconnect, as its access has ended or was refused. All your data is kept."
	case truelayer.IsSCAExceeded(err):
		p.Message = bank + " shares history older than 90 days only just after you log in. Reconnect to fetch it; what you have is kept."
	case truelayer.IsNotSupported(err):
		p.Message = bank + " does not offer this. Nothing else is affected."
	case truelayer.IsDateRangeRefused(err):
		p.Message = bank + " would not give history for those dates. What Bankdesk already has is kept."
	case truelayer.IsRequestLimitExceeded(err):
		p.Message = bank + " limits how often apps may read your accounts, and today's limit is used up. Bankdesk tries again tomorrow."
	case truelayer.IsRateLimited(err), truelayer.IsRetryable(err) && errors.As(err, &te):
		p.Message = bank + " is not answering right now."
		c.retry(&p, err)
	case errors.Is(err, context.DeadlineExceeded): // before net.Error, which it also is
		p.Message = bank + " took too long to answer. Try again in a few minutes."
		p.Retry = true
	case errors.As(err, &ne) || isNetwork(err):
		p.Message = "Bankdesk cannot reach " + lowerBank(bank) + ". Check your internet connection and try again."
		p.Retry = true
	case errors.As(err, &te):
		p.Message = bank + " refused the request. If it keeps happening, the details below help support."
	default:
		p.Message = plain(err)
		if p.Message == "" {
			p.Message = "Something went wrong. Please try again."
			p.Retry = true
		} else {
			p.Details = ""
		}
	}
	return p
}

// retry says when Bankdesk asks again, where the bank said (Retry-After),
// else that the user may.
func (c Context) retry(p *view.Problem, err error) {
	p.Retry = true
	if d, ok := truelayer.RetryAfter(err); ok && !c.Now.IsZero() {
		at := c.Now.Add(d)
		zone := c.Zone
		if zone == nil {
			zone = time.Local
		}
		p.RetryAt = at.UTC().Format(time.RFC3339)
		p.Message += " Bankdesk will try again at " + at.In(zone).Format("15:04") + "."
		return
	}
	p.Message += " Try again in a few minutes."
}

// beyond is the technical line without the sentence it starts with (the
// message already says it): "sentence (cause)" becomes "cause".
func beyond(details, said string) string {
	rest, ok := strings.CutPrefix(details, said)
	if !ok {
		return details
	}
	rest = strings.TrimSpace(rest)
	if strings.HasPrefix(rest, "(") && strings.HasSuffix(rest, ")") {
		rest = rest[1 : len(rest)-1]
	}
	return rest
}

// isNetwork: a connection refused or reset is the network, whatever wraps it.
func isNetwork(err error) bool {
	var oe *net.OpError
	var de *net.DNSError
	return errors.As(err, &oe) || errors.As(err, &de)
}

func lowerBank(bank string) string {
	if bank == "Your bank" {
		return "your bank"
	}
	return bank
}

// firstSentence is the text of whichever of known err matches: those
// errors read as sentences already.
func firstSentence(err error, known ...error) string {
	for _, k := range known {
		if errors.Is(err, k) {
			return sentence(k.Error())
		}
	}
	return ""
}

// plain is err's text when it is a sentence already (one clause, no
// wrapped chain, nothing technical), else "".
func plain(err error) string {
	s := err.Error()
	if errors.Unwrap(err) != nil || strings.Contains(s, ": ") || technical(s) {
		return ""
	}
	return sentence(s)
}

// technical reports text no person should have to read as the main line.
func technical(s string) bool {
	for _, t := range []string{"truelayer", "GET ", "POST ", "http", "connection ", "%!"} {
		if strings.Contains(s, t) {
			return true
		}
	}
	return false
}

// sentence starts s with a capital and ends it with a full stop.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "?") && !strings.HasSuffix(s, "!") {
		s += "."
	}
	return s
}
