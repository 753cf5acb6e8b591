// Package connect runs the bank connection flow: an auth link bound to a
// stored attempt (state + PKCE), the redirect back, the code exchange, and
// the first reads that some banks allow only in the minutes after consent.
package connect

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"bankdesk/backend/bankdata"
	"bankdesk/backend/callback"
	"bankdesk/backend/internal/defaults"
	"bankdesk/backend/store"
	"bankdesk/backend/tokens"
	"bankdesk/backend/truelayer"
)

// AttemptTTL is how long an auth link stays usable: TrueLayer's dialog plus a
// bank login rarely take longer, and a stale state must not linger.
const AttemptTTL = 10 * time.Minute

// ConsentDays is the consent length assumed when the bank does not say.
const ConsentDays = 90

// Errors callers branch on; each reads as a sentence for the user.
var (
	ErrCancelled    = errors.New("you cancelled the connection at the bank")
	ErrUnknownState = errors.New("this callback does not match a connection started in Bankdesk, or it was already used")
	ErrExpired      = errors.New("the connection attempt expired (links are valid for 10 minutes); please start again")
	ErrCodeExpired  = errors.New("the bank's authorisation code expired or was already used (it is valid for 5 minutes); please start again")
	// ErrUnfinished: a connection saved unfinished (Result.Unfinished)
	// could still not be finished; nothing is lost and the next sync tries
	// again.
	ErrUnfinished = errors.New("Bankdesk could not finish setting up this bank connection yet, as the bank did not answer; the next sync tries again")
	// ErrRefused: right after the login the bank refused the new consent
	// (access denied, credentials no longer valid); nothing was kept.
	ErrRefused = errors.New("the bank refused access right after you logged in, so nothing was connected; please connect again")
	// ErrNoAccounts: the bank's consent covers no account and no card, so
	// there is nothing to connect; the consent was ended again.
	ErrNoAccounts = errors.New("the bank shared no accounts or cards with Bankdesk, so nothing was connected")
)

// BankError is an error the auth dialog sent back other than a cancel.
// Bank is the name to show for the bank the login was for (Flow.BankName),
// "" when TrueLayer's own bank list was to choose it.
type BankError struct{ Code, Description, Bank string }

func (e *BankError) Error() string {
	if e.Description != "" {
		return fmt.Sprintf("the bank connection failed: %s (%s)", e.Description, e.Code)
	}
	return "the bank connection failed: " + e.Code
}

// Flow connects banks for one TrueLayer environment.
type Flow struct {
	Store       *store.Store
	Client      *truelayer.Client
	RedirectURI string   // default bankdesk://callback
	Scopes      []string // default truelayer.DefaultScopes
	Providers   []string // the auth link's providers parameter; empty = TrueLayer's default
	// ResponseMode "form_post" has the dialog POST the code to a loopback
	// redirect, keeping it out of the browser's history; "" redirects with a query.
	ResponseMode string
	Now          func() time.Time
	Log          *slog.Logger
	// Verifier makes PKCE verifiers; nil means truelayer.NewVerifier. Tests
	// inject a known one to prove it never reaches disk in clear.
	Verifier func() string
	// MeRetryWaits are the pauses between tries of /me after the code
	// exchange; nil means DefaultMeRetryWaits.
	MeRetryWaits []time.Duration
	// Hold, when set, is called before a new consent's tokens replace a
	// stored connection's (and the old consent is revoked), with the
	// connections concerned; it returns once nothing else uses their
	// tokens (a running sync is stopped, refreshes wait) until release.
	// Without it a sync still running on the old tokens could see them
	// revoked and mark the renewed connection as needing a reconnect.
	Hold func(ctx context.Context, connIDs ...string) (release func(), err error)
	// Listed gives a provider's display name in the bank list the user
	// picks from (TrueLayer's /api/providers, as desk keeps it), or ""; nil
	// knows none. See BankName.
	Listed func(providerID string) string
	// ReadBalances has the first reads include every account's balance.
	// Off when a sync follows at once (the app, `bankdesk callback`): it
	// reads them after the deep history, which the bank serves only in the
	// minutes after consent and which a slow bank's balance calls would
	// eat into.
	ReadBalances bool

	mu sync.Mutex // one placement of accounts at a time (finish)
}

func (f *Flow) now() time.Time { return defaults.Now(f.Now) }

func (f *Flow) log() *slog.Logger { return defaults.Log(f.Log) }

// Link is an auth link to open in the user's browser.
type Link struct {
	URL       string
	ExpiresAt time.Time
	// State is the attempt's OAuth state, which the bank's answer carries
	// back: a loopback listener waiting for this login knows its answer by
	// it without reading the store.
	State string
}

// Begin stores a new attempt and returns its auth link. providerID, when
// set, skips TrueLayer's bank selection (Bankdesk's own picker chose).
func (f *Flow) Begin(ctx context.Context, providerID string) (Link, error) {
	return f.begin(providerID, "")
}

// Reconnect is Begin for an existing connection: the code that comes back
// renews that connection instead of creating another.
func (f *Flow) Reconnect(ctx context.Context, connectionID string) (Link, error) {
	c, err := f.Store.Connection(connectionID)
	if err != nil {
		return Link{}, fmt.Errorf("reconnect %s: %w", connectionID, err)
	}
	return f.begin(c.ProviderID, c.ID)
}

func (f *Flow) begin(providerID, connectionID string) (Link, error) {
	a, err := f.newAttempt(providerID, connectionID)
	if err != nil {
		return Link{}, err
	}
	link := f.Client.AuthLink(truelayer.AuthLinkParams{
		Scopes:        f.scopes(),
		State:         a.State,
		Providers:     f.Providers,
		ProviderID:    providerID,
		CodeChallenge: truelayer.S256Challenge(a.Verifier),
		RedirectURI:   a.RedirectURI,
		ResponseMode:  f.ResponseMode,
	})
	return Link{URL: link, ExpiresAt: a.ExpiresAt, State: a.State}, nil
}

func (f *Flow) redirectURI() string {
	if f.RedirectURI != "" {
		return f.RedirectURI
	}
	return "bankdesk://callback"
}

func (f *Flow) scopes() []string {
	if len(f.Scopes) > 0 {
		return f.Scopes
	}
	return truelayer.DefaultScopes
}

// Result is what Complete (or Finish) did.
type Result struct {
	ConnectionID string // the connection the consent now belongs to
	ProviderID   string
	ProviderName string
	Accounts     int
	Cards        int
	// Warnings are reads that failed after the connection was saved (for
	// example balances), as sentences; the connection itself is usable.
	Warnings []string
	// Unfinished: the tokens are saved, but the bank did not answer for the
	// connection's details or its accounts; the next sync finishes it
	// (Finish). Nothing was lost and no new login is needed. Cause is
	// the bank's answer that left it so, for a failure's details.
	Unfinished bool
	Cause      error
	// Existing: the login was for accounts a stored connection already
	// holds, so that connection took the new consent instead of a second
	// connection being made (see place).
	Existing bool
	// Renewed: the login renewed the connection it was started for (a
	// reconnect, or a renewal at the bank); ConsentExpiresAt is the end of
	// the consent it now has.
	Renewed          bool
	ConsentExpiresAt time.Time
	// RevokedOld: the consent the new one replaced was ended at TrueLayer
	// (it was another credential); RevokeFailed: that could not be done,
	// and it lapses by itself.
	RevokedOld, RevokeFailed bool

	// When the code renewed a stored connection (a reconnect, an extend that
	// needed a login, or the same bank connected again) its freshly listed
	// accounts are matched to the stored ones (by id, IBAN, sort code and
	// number, or card), so history and categories continue.
	//
	// Renamed maps a stored account id to the new id the bank now uses for
	// the same account; its history was moved there (store.RenameAccount).
	Renamed map[string]string
	// Unmatched are accounts the bank returned that match no stored one:
	// new accounts, or ones whose numbers changed. They start with no history.
	Unmatched []store.Account
	// Missing are stored accounts the bank no longer returned. Their
	// history is kept.
	Missing []store.Account
	// Elsewhere are accounts the consent also returned that stay with
	// another live connection, which keeps its own consent for them.
	Elsewhere []store.Account
	// Moved are accounts taken over from a connection whose consent had
	// ended or been refused; Removed are such connections left with no
	// account, which were removed.
	Moved   []store.Account
	Removed []string

	// Notes say what happened in plain sentences, for the app and the
	// command line to show as they are.
	Notes []string
}

// Complete finishes a connection from the redirect URL. Nothing is stored
// unless the state matches a live attempt and the code exchange succeeds.
func (f *Flow) Complete(ctx context.Context, rawURL string) (Result, error) {
	cb, err := callback.Parse(rawURL, f.redirectURI())
	if err != nil {
		return Result{}, err
	}
	return f.CompleteResult(ctx, cb)
}

// CompleteResult is Complete for a callback already parsed (form_post).
func (f *Flow) CompleteResult(ctx context.Context, cb callback.Result) (Result, error) {
	if cb.Stateless() {
		// The dialog sent an error it could not tie to an attempt (the
		// user cancelled at the bank, say): tell it, consume nothing.
		return Result{}, CallbackError(cb)
	}
	a, err := f.Store.TakeAttempt(cb.State, f.now())
	switch {
	case errors.Is(err, store.ErrNotFound):
		return Result{}, ErrUnknownState
	case errors.Is(err, store.ErrAttemptExpired):
		return Result{}, ErrExpired
	case err != nil:
		return Result{}, fmt.Errorf("read attempt: %w", err)
	}
	if cb.Error != "" {
		err := CallbackError(cb)
		var be *BankError
		if errors.As(err, &be) {
			be.Bank = f.attemptBank(a)
		}
		return Result{}, err
	}
	tok, err := f.Client.Exchange(ctx, cb.Code, a.Verifier, truelayer.WithRedirectURI(a.RedirectURI))
	if err != nil {
		var te *truelayer.Error
		if errors.As(err, &te) && te.Code == "invalid_grant" {
			return Result{}, fmt.Errorf("%w (%v)", ErrCodeExpired, err)
		}
		return Result{}, fmt.Errorf("exchange code: %w", err)
	}
	return f.save(ctx, a, tok)
}

// CallbackError is what an error callback (cb.Error set) means for the
// user: ErrCancelled, or a *BankError with the dialog's code and text.
func CallbackError(cb callback.Result) error {
	if cb.Cancelled() {
		return ErrCancelled
	}
	return &BankError{Code: cb.Error, Description: cb.ErrorDescription}
}

// save seals the tokens into the store before any other call: the code
// they came from was single-use, so a failing /me or account listing must
// not lose them. They are saved as a connection of their own, marked
// unfinished, and finish then decides where they belong.
func (f *Flow) save(ctx context.Context, a store.Attempt, tok *truelayer.Token) (Result, error) {
	now := f.now()
	p := store.Connection{
		ID:               store.NewConnectionID(),
		ProviderID:       a.ProviderID,
		ConsentCreatedAt: now,
		ConsentExpiresAt: now.AddDate(0, 0, ConsentDays),
		CreatedAt:        now,
		Status:           store.StatusActive,
		Unfinished:       true,
		Renews:           a.ConnectionID,
	}
	tokens.Apply(&p, tok, now)
	if a.ConnectionID != "" {
		if r, err := f.Store.Connection(a.ConnectionID); err == nil {
			p.ProviderName = r.ProviderName
		}
	}
	if p.ProviderName == "" {
		// Until /me names it, the bank is called as the list the user
		// picked it from does, by every screen and reminder.
		p.ProviderName = f.listed(p.ProviderID)
	}
	if err := f.Store.PutConnection(p); err != nil {
		return Result{}, fmt.Errorf("save connection: %w", err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.finish(ctx, p, tok.AccessToken)
}

// Finish completes a connection saved unfinished (store.Connection
// Unfinished): it reads /me, lists the accounts and cards, and places them
// as Complete would have. accessToken must be live for the connection
// (tokens.Keeper.Access). If the bank still does not answer, the Result
// says Unfinished again and nothing is lost. A connection that is not
// unfinished is left as it is.
func (f *Flow) Finish(ctx context.Context, connectionID, accessToken string) (Result, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p, err := f.Store.Connection(connectionID)
	if err != nil {
		return Result{}, fmt.Errorf("finish %s: %w", connectionID, err)
	}
	if !p.Unfinished {
		return Result{ConnectionID: p.ID, ProviderID: p.ProviderID, ProviderName: f.sentenceName(p)}, nil
	}
	return f.finish(ctx, p, accessToken)
}

// finish does the reads that follow a code exchange for the unfinished
// connection p and files the result. The caller holds f.mu, so two
// finishes never place the same accounts at once.
func (f *Flow) finish(ctx context.Context, p store.Connection, at string) (Result, error) {
	me, err := f.me(ctx, at)
	if truelayer.NeedsReconnect(err) {
		return Result{}, f.refused(ctx, p, at, err)
	}
	if err != nil {
		return f.stillUnfinished(p, "read connection details", err)
	}
	applyMe(&p, me)
	p.Holder = f.holder(ctx, p, at)
	accts, listed, err := f.listAccounts(ctx, p, at)
	if truelayer.NeedsReconnect(err) {
		return Result{}, f.refused(ctx, p, at, err)
	}
	if err != nil {
		return f.stillUnfinished(p, "list accounts", err)
	}
	pl, err := f.place(p, accts, listed)
	if err != nil {
		return Result{}, err
	}
	return f.file(ctx, p, at, pl)
}

// DefaultMeRetryWaits are the pauses before asking /me again after a
// transient failure: a consent given a moment ago is not always readable
// at once.
var DefaultMeRetryWaits = []time.Duration{250 * time.Millisecond, time.Second}

func (f *Flow) me(ctx context.Context, at string) (*truelayer.Me, error) {
	waits := f.MeRetryWaits
	if waits == nil {
		waits = DefaultMeRetryWaits
	}
	for i := 0; ; i++ {
		me, err := f.Client.Me(ctx, at)
		if err == nil || !truelayer.IsRetryable(err) || i == len(waits) {
			return me, err
		}
		t := time.NewTimer(waits[i])
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, err
		case <-t.C:
		}
	}
}

// holder reads who holds the accounts (/info) when the consent covers it.
// It is shown, never needed: a bank that does not answer (many answer 501)
// leaves it empty and the connection goes on.
func (f *Flow) holder(ctx context.Context, p store.Connection, at string) store.Holder {
	if !bankdata.HasScope(p, "info") {
		return store.Holder{}
	}
	infos, err := f.Client.Info(ctx, at)
	if err != nil || len(infos) == 0 {
		if err != nil {
			f.log().Info("the bank did not share the account holder's details", "connection", p.ID, "err", err)
		}
		return store.Holder{}
	}
	i := infos[0]
	return store.Holder{Name: i.FullName, Emails: i.Emails, Phones: i.Phones}
}

// applyMe fills what /me says into the connection.
func applyMe(p *store.Connection, me *truelayer.Me) {
	p.CredentialsID = me.CredentialsID
	p.ProviderID = cmp.Or(me.Provider.ID, p.ProviderID)
	p.ProviderName = cmp.Or(me.Provider.DisplayName, p.ProviderName) // never the id: BankName falls back to it
	p.Scopes = firstNonEmptySlice(p.Scopes, me.Scopes)
	p.ConsentCreatedAt = firstTime(me.ConsentCreatedAt.Time, p.ConsentCreatedAt)
	p.ConsentExpiresAt = firstTime(me.ConsentExpiresAt.Time, p.ConsentCreatedAt.AddDate(0, 0, ConsentDays))
}

// stillUnfinished keeps p unfinished, with whatever it learnt (the /me
// details), and says so in a sentence; the cause goes to the log only.
func (f *Flow) stillUnfinished(p store.Connection, what string, cause error) (Result, error) {
	f.log().Warn("connection saved unfinished", "connection", p.ID, "step", what, "err", cause)
	err := f.Store.UpdateConnection(p.ID, func(c *store.Connection) error {
		c.CredentialsID, c.ProviderID, c.ProviderName, c.Scopes = p.CredentialsID, p.ProviderID, p.ProviderName, p.Scopes
		c.ConsentCreatedAt, c.ConsentExpiresAt = p.ConsentCreatedAt, p.ConsentExpiresAt
		return nil
	})
	if err != nil {
		return Result{}, fmt.Errorf("save connection: %w", err)
	}
	name := f.sentenceName(p)
	return Result{
		ConnectionID: p.ID, ProviderID: p.ProviderID, ProviderName: name, Unfinished: true, Cause: cause,
		Notes: []string{fmt.Sprintf("Bankdesk saved your connection to %s, but the bank did not answer when asked for its accounts. "+
			"It finishes setting it up at the next sync; you do not need to log in again.", name)},
	}, nil
}

// refused drops the unfinished connection p whose consent the bank refuses
// outright (access denied, credentials no longer valid): waiting for the
// next sync would not help, and the user should know at once.
func (f *Flow) refused(ctx context.Context, p store.Connection, at string, cause error) error {
	f.log().Warn("the bank refused the new consent", "connection", p.ID, "err", cause)
	if err := f.revoke(ctx, at, p.AccessTokenExpiry, p.RefreshToken); err != nil {
		f.log().Warn("revoke a refused consent", "connection", p.ID, "err", err)
	}
	if err := f.Store.DeleteConnection(p.ID, true); err != nil {
		return fmt.Errorf("remove refused connection: %w", err)
	}
	var te *truelayer.Error
	if errors.As(cause, &te) && te.Description != "" {
		return fmt.Errorf("%w (the bank said: %s)", ErrRefused, te.Description)
	}
	return ErrRefused
}

// BankName is the one name to show for a connection's bank: the name it
// goes by (the bank's own, from /me, or the bank list's when the
// connection was made), else its display name in the bank list (listed;
// nil knows none), else, as a last resort, its provider id; "" only when
// not even that is known.
func BankName(c store.Connection, listed func(providerID string) string) string {
	if c.ProviderName != "" {
		return c.ProviderName
	}
	if listed != nil && c.ProviderID != "" {
		if name := listed(c.ProviderID); name != "" {
			return name
		}
	}
	return c.ProviderID
}

// BankName is BankName with the flow's bank list (Listed).
func (f *Flow) BankName(c store.Connection) string { return BankName(c, f.Listed) }

func (f *Flow) listed(providerID string) string {
	if f.Listed == nil || providerID == "" {
		return ""
	}
	return f.Listed(providerID)
}

// attemptBank is the name of the bank a login attempt was for: the
// connection it renews, or the provider chosen in Bankdesk's picker.
func (f *Flow) attemptBank(a store.Attempt) string {
	if a.ConnectionID != "" {
		if c, err := f.Store.Connection(a.ConnectionID); err == nil {
			return f.BankName(c)
		}
	}
	return f.BankName(store.Connection{ProviderID: a.ProviderID})
}

// sentenceName is BankName for a sentence: "your bank" when nothing is known.
func (f *Flow) sentenceName(c store.Connection) string { return cmp.Or(f.BankName(c), "your bank") }

// listAccounts reads the connection's accounts and cards; listed says which
// of the two kinds the bank did list. A kind the consent does not cover, or
// the provider does not offer (501), is simply not listed; any other
// failure is returned, as the listing is then incomplete.
func (f *Flow) listAccounts(ctx context.Context, conn store.Connection, at string) ([]store.Account, map[string]bool, error) {
	now := f.now()
	var out []store.Account
	listed := map[string]bool{}
	for _, k := range []struct {
		kind, scope string
		list        func() ([]store.Account, error)
	}{
		{store.KindAccount, "accounts", func() ([]store.Account, error) {
			got, err := f.Client.Accounts(ctx, at)
			return bankdata.Accounts(conn, got, now), err
		}},
		{store.KindCard, "cards", func() ([]store.Account, error) {
			got, err := f.Client.Cards(ctx, at)
			return bankdata.Cards(conn, got, now), err
		}},
	} {
		if !bankdata.HasScope(conn, k.scope) {
			continue
		}
		got, err := k.list()
		switch {
		case truelayer.IsNotSupported(err):
			continue
		case err != nil:
			return nil, nil, fmt.Errorf("%s: %w", k.scope, err)
		}
		listed[k.kind] = true
		out = append(out, got...)
	}
	return out, listed, nil
}

func (f *Flow) readBalances(ctx context.Context, conn store.Connection, at string, accts []store.Account) []string {
	if !bankdata.HasScope(conn, "balance") {
		return nil
	}
	var warnings []string
	for _, a := range accts {
		b, err := f.balance(ctx, at, a)
		if err == nil {
			err = f.Store.PutBalance(b)
		}
		if err != nil && !truelayer.IsNotSupported(err) {
			f.log().Warn("balance not read at connect", "connection", conn.ID, "account", a.ID, "err", err)
			warnings = append(warnings, fmt.Sprintf("The balance of %s could not be read yet; the next sync fetches it.", a.DisplayName))
		}
	}
	return warnings
}

func (f *Flow) balance(ctx context.Context, at string, a store.Account) (store.Balance, error) {
	b, err := f.Client.Balance(ctx, at, bankdata.Resource(a))
	if err != nil {
		return store.Balance{}, err
	}
	return bankdata.Balance(a, b, f.now()), nil
}

func randomToken(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func firstNonEmptySlice(vs ...[]string) []string {
	for _, v := range vs {
		if len(v) > 0 {
			return v
		}
	}
	return nil
}

func firstTime(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t.UTC()
		}
	}
	return time.Time{}
}
