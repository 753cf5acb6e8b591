// Package connect runs the bank connection flow: an auth link bound to a
// stored attempt (state + PKCE), the redirect back, the code exchange, and
// the first reads that some banks allow only in the minutes after consent.
package connect

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"bankdesk/backend/callback"
	"bankdesk/backend/store"
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
)

// BankError is an error the auth dialog sent back other than a cancel.
type BankError struct{ Code, Description string }

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
}

func (f *Flow) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

func (f *Flow) log() *slog.Logger {
	if f.Log != nil {
		return f.Log
	}
	return slog.New(slog.DiscardHandler)
}

// Link is an auth link to open in the user's browser.
type Link struct {
	URL       string
	ExpiresAt time.Time
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
	return Link{URL: link, ExpiresAt: a.ExpiresAt}, nil
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

// Result is what Complete did.
type Result struct {
	ConnectionID string
	ProviderID   string
	Accounts     int
	Cards        int
	// Warnings are reads that failed after the connection was saved (for
	// example balances); the connection itself is usable.
	Warnings []string

	// The three below are set only when the code renewed a stored
	// connection (a reconnect, an extend that needed a login, or the same
	// bank login again): its freshly listed accounts are matched to the
	// stored ones (by id, IBAN, sort code and number, or card), so history
	// and categories continue.
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
		if cb.Cancelled() {
			return Result{}, ErrCancelled
		}
		return Result{}, &BankError{Code: cb.Error, Description: cb.ErrorDescription}
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

// save records the connection first, so the tokens are never lost to a
// failing read, then lists accounts and cards at once: some banks allow
// that only within minutes of consent.
func (f *Flow) save(ctx context.Context, a store.Attempt, tok *truelayer.Token) (Result, error) {
	me, err := f.Client.Me(ctx, tok.AccessToken)
	if err != nil {
		return Result{}, fmt.Errorf("read connection details: %w", err)
	}
	now := f.now()
	conn, err := f.existing(a.ConnectionID, me.CredentialsID)
	if err != nil {
		return Result{}, err
	}
	renewing := conn.ID != ""
	if !renewing {
		conn.ID = store.NewConnectionID()
		conn.CreatedAt = now
	}
	conn.CredentialsID = me.CredentialsID
	conn.ProviderID = firstNonEmpty(me.Provider.ID, a.ProviderID)
	conn.ProviderName = firstNonEmpty(me.Provider.DisplayName, conn.ProviderName, conn.ProviderID)
	conn.Scopes = firstNonEmptySlice(tok.Scopes, me.Scopes)
	conn.AccessToken = tok.AccessToken
	conn.AccessTokenExpiry = tok.Expiry
	conn.RefreshToken = tok.RefreshToken
	conn.ConsentCreatedAt = firstTime(me.ConsentCreatedAt.Time, now)
	conn.ConsentExpiresAt = firstTime(me.ConsentExpiresAt.Time, conn.ConsentCreatedAt.AddDate(0, 0, ConsentDays))
	conn.LastRefreshAt = now
	conn.UpdatedAt = now
	conn.Status = store.StatusActive
	if err := f.Store.PutConnection(conn); err != nil {
		return Result{}, fmt.Errorf("save connection: %w", err)
	}
	f.log().Info("bank connected", "connection", conn.ID, "provider", conn.ProviderID)

	res := Result{ConnectionID: conn.ID, ProviderID: conn.ProviderID}
	accts, listed, warnings := f.listAccounts(ctx, conn, tok.AccessToken)
	res.Warnings = warnings
	if renewing {
		m, err := f.rematchAccounts(conn.ID, accts, listed)
		if err != nil {
			return res, fmt.Errorf("match accounts: %w", err)
		}
		res.Renamed, res.Unmatched, res.Missing = m.renamed, m.unmatched, m.missing
		res.Warnings = append(res.Warnings, m.warnings...)
	}
	if err := f.Store.PutAccounts(conn.ID, accts); err != nil {
		return res, fmt.Errorf("save accounts: %w", err)
	}
	for _, acc := range accts {
		if acc.Kind == store.KindCard {
			res.Cards++
		} else {
			res.Accounts++
		}
	}
	res.Warnings = append(res.Warnings, f.readBalances(ctx, conn, tok.AccessToken, accts)...)
	return res, nil
}

// existing finds the connection a code renews: the one being reconnected,
// or one for the same TrueLayer credentials.
func (f *Flow) existing(connectionID, credentialsID string) (store.Connection, error) {
	if connectionID != "" {
		c, err := f.Store.Connection(connectionID)
		if err != nil {
			return store.Connection{}, fmt.Errorf("reconnect %s: %w", connectionID, err)
		}
		return c, nil
	}
	all, err := f.Store.Connections()
	if err != nil {
		return store.Connection{}, fmt.Errorf("read connections: %w", err)
	}
	for _, c := range all {
		if credentialsID != "" && c.CredentialsID == credentialsID {
			return c, nil
		}
	}
	return store.Connection{}, nil
}

// listAccounts reads the connection's accounts and cards; listed says which
// of the two kinds the bank did list.
func (f *Flow) listAccounts(ctx context.Context, conn store.Connection, at string) ([]store.Account, map[string]bool, []string) {
	var out []store.Account
	var warnings []string
	listed := map[string]bool{}
	now := f.now()
	if hasScope(conn.Scopes, "accounts") {
		accts, err := f.Client.Accounts(ctx, at)
		switch {
		case err == nil:
			listed[store.KindAccount] = true
			for _, a := range accts {
				out = append(out, accountFrom(conn, a, now))
			}
		case truelayer.IsNotSupported(err):
		default:
			warnings = append(warnings, fmt.Sprintf("list accounts: %v", err))
		}
	}
	if hasScope(conn.Scopes, "cards") {
		cards, err := f.Client.Cards(ctx, at)
		switch {
		case err == nil:
			listed[store.KindCard] = true
			for _, c := range cards {
				out = append(out, cardFrom(conn, c, now))
			}
		case truelayer.IsNotSupported(err):
		default:
			warnings = append(warnings, fmt.Sprintf("list cards: %v", err))
		}
	}
	return out, listed, warnings
}

func (f *Flow) readBalances(ctx context.Context, conn store.Connection, at string, accts []store.Account) []string {
	if !hasScope(conn.Scopes, "balance") {
		return nil
	}
	var warnings []string
	for _, a := range accts {
		b, err := f.balance(ctx, at, a)
		if err != nil {
			if !truelayer.IsNotSupported(err) {
				warnings = append(warnings, fmt.Sprintf("balance of %s: %v", a.DisplayName, err))
			}
			continue
		}
		if err := f.Store.PutBalance(b); err != nil {
			warnings = append(warnings, fmt.Sprintf("save balance of %s: %v", a.DisplayName, err))
		}
	}
	return warnings
}

func (f *Flow) balance(ctx context.Context, at string, a store.Account) (store.Balance, error) {
	now := f.now()
	if a.Kind == store.KindCard {
		b, err := f.Client.CardBalance(ctx, at, a.ID)
		if err != nil {
			return store.Balance{}, err
		}
		return cardBalanceFrom(a, b, now), nil
	}
	b, err := f.Client.AccountBalance(ctx, at, a.ID)
	if err != nil {
		return store.Balance{}, err
	}
	return balanceFrom(a, b, now), nil
}

func randomToken(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func hasScope(scopes []string, s string) bool {
	for _, x := range scopes {
		if x == s {
			return true
		}
	}
	return false
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
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
