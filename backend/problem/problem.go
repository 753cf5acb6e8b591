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
	"io/fs"
	"net"
	"strings"
	"syscall"
	"time"

	"bankdesk/backend/backup"
	"bankdesk/backend/callback"
	"bankdesk/backend/connect"
	"bankdesk/backend/datadir"
	"bankdesk/backend/query"
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
	p, _ := c.Worded(err)
	return p
}

// Worded is Of, also saying whether one of its rules worded err: false
// when the Problem is only err's own text, or "Something went wrong" where
// that text is no sentence. A caller with words of its own for such an
// error (the command line's messages) can say those instead.
func (c Context) Worded(err error) (view.Problem, bool) {
	if err == nil {
		return view.Problem{}, false
	}
	p := view.Problem{Details: err.Error()}
	bank := c.Bank
	if bank == "" {
		bank = "Your bank"
	}
	var (
		say Sayer
		bk  *backup.Error
		qe  *query.Error
		pe  *fs.PathError
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
	case errors.As(err, &bk):
		// A backup refused (wrong passphrase, damaged, not a backup, from
		// a newer Bankdesk): its reason is the sentence, its cause the
		// technical line.
		p.Message, p.Details = sentence(bk.Error()), bk.Cause().Error()
		if p.Details == bk.Error() {
			p.Details = ""
		}
	case errors.Is(err, datadir.ErrNotEmpty):
		p.Message = sentence(datadir.ErrNotEmpty.Error())
		p.Details = ""
	case errors.As(err, &qe):
		p.Message = "The search has a mistake: " + qe.Msg + "."
	case errors.Is(err, datadir.ErrKeyMissing), errors.Is(err, vault.ErrKeyMissing):
		p.Message = "Bankdesk cannot find the key that opens your data, so it cannot open it. Restore a backup (bankdesk restore), or start over (bankdesk reset) if you have none. Nothing has been deleted."
	case errors.Is(err, datadir.ErrDataMissing):
		p.Message = "Bankdesk's data file is missing or empty. Restore a backup (bankdesk restore), or start over (bankdesk reset) if you have none."
	case errors.Is(err, vault.ErrKeyFileCorrupt):
		p.Message = "The file holding your data's key is damaged, so Bankdesk cannot open your data. Restore a backup (bankdesk restore). Nothing has been deleted."
	case errors.Is(err, vault.ErrLocked), errors.Is(err, vault.ErrKeyringTimeout):
		p.Message = "Your system's keyring is locked or not answering, and it holds the key to your data. Unlock it (log in again, or open your keyring app), then try again."
		p.Retry = true
	case errors.Is(err, store.ErrNewerSchema):
		p.Message = "Your data was saved by a newer version of Bankdesk. Update Bankdesk to open it; nothing has been changed."
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
	case errors.As(err, &pe):
		// A file the person named (a backup, an export's folder): before
		// net.Error, which a file's error can also satisfy.
		p.Message = fileSentence(pe)
	case errors.As(err, &ne) && !isErrno(ne) || isNetwork(err):
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
		return p, false
	}
	return p, true
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
// isErrno says e is a bare system error number, which has net.Error's
// methods whatever it is about (a missing file too).
func isErrno(e net.Error) bool {
	_, ok := e.(syscall.Errno)
	return ok
}

func isNetwork(err error) bool {
	var oe *net.OpError
	var de *net.DNSError
	return errors.As(err, &oe) || errors.As(err, &de)
}

// fileSentence says why a file could not be used, in words.
func fileSentence(pe *fs.PathError) string {
	switch {
	case errors.Is(pe, fs.ErrNotExist):
		return "Bankdesk cannot find " + pe.Path + ". Check the name and the folder, and try again."
	case errors.Is(pe, fs.ErrPermission):
		return "Bankdesk is not allowed to use " + pe.Path + ". Check the file's permissions, or choose another place."
	}
	return "Bankdesk could not use " + pe.Path + ". The details below say why."
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
