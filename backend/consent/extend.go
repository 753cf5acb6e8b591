package consent

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"bankdesk/backend/connect"
	"bankdesk/backend/store"
	"bankdesk/backend/tokens"
	"bankdesk/backend/truelayer"
)

// ErrUserDetails means Extend was not given the user's name and an email
// address or phone number, which TrueLayer requires to extend a consent.
var ErrUserDetails = errors.New("renewing a consent needs your name and an email address or phone number")

// ExtendOutcome is how a renewal went; exactly one of Extended and Link is
// set.
type ExtendOutcome struct {
	// Extended: TrueLayer renewed the consent with no action needed; the
	// new tokens are stored, /me was read again and the consent dates moved.
	Extended bool
	// Link is where the user must go: the bank's login for
	// authentication_needed (or TrueLayer's page for
	// reconfirmation_of_consent_needed), or, with Fallback, a fresh auth
	// link for this connection's bank (its selection skipped). The code
	// comes back through the redirect URI, and connect.Flow's Complete
	// renews THIS connection, matching its accounts to the stored ones.
	Link string
	// LinkExpiresAt is when the attempt behind Link expires (Complete
	// refuses it after).
	LinkExpiresAt time.Time
	// State is that attempt's OAuth state, which the bank's answer carries
	// back (a bank's own login link may not show it).
	State string
	// Fallback: extend was refused (400, 401 or 422 Problem+JSON) or is not
	// offered (an EU bank, no refresh token); Link is a full login.
	Fallback bool
	// Message is one plain sentence for the user; for Fallback it says why
	// and reminds them to choose the same accounts.
	Message string
	// NewExpiry is the renewed consent's end, when Extended.
	NewExpiry time.Time
}

// Extend renews a connection's consent through connections/extend (UK
// only). The app first shows its own reconfirmation screen; calling Extend
// is the user's "yes": it sends user_has_reconfirmed_consent=true with the
// client credentials, the refresh token, the redirect URI, the user and a
// fresh state, stored as an attempt for this connection with a PKCE
// verifier exactly like connect.Flow's own links, so a login that follows
// completes like any other.
//
// The user's details are saved on the connection first, to pre-fill the
// next renewal. TrueLayer requires a name and an email or phone
// (ErrUserDetails otherwise).
//
// For an EU bank, a connection without a refresh token, or an extend
// answered 400, 401 or 422, the outcome is a Fallback: a provider-specific
// auth link and a sentence saying why. Other failures (network, 5xx) are
// returned as errors: trying again later may work.
func (s *Service) Extend(ctx context.Context, connectionID string, user store.User) (ExtendOutcome, error) {
	user = store.User{Name: strings.TrimSpace(user.Name), Email: strings.TrimSpace(user.Email), Phone: strings.TrimSpace(user.Phone)}
	if user.Name == "" || user.Email == "" && user.Phone == "" {
		return ExtendOutcome{}, ErrUserDetails
	}
	var c store.Connection
	err := s.Store.UpdateConnection(connectionID, func(stored *store.Connection) error {
		stored.User = user
		stored.UpdatedAt = s.now()
		c = *stored
		return nil
	})
	if err != nil {
		return ExtendOutcome{}, fmt.Errorf("extend consent of %s: %w", connectionID, err)
	}
	name := s.Flow.BankName(c)
	switch {
	case s.isEU(c.ProviderID):
		return s.fallback(ctx, c, fmt.Sprintf("TrueLayer can only extend consents at UK banks, and %s is in the EU", name))
	case c.RefreshToken == "":
		return s.fallback(ctx, c, fmt.Sprintf("Bankdesk holds no refresh token for %s, so the consent cannot be extended", name))
	}

	r, err := s.Flow.BeginRenewal(c.ID)
	if err != nil {
		return ExtendOutcome{}, fmt.Errorf("extend consent of %s: %w", c.ID, err)
	}
	res, err := s.Client.Extend(ctx, truelayer.ExtendRequest{
		UserHasReconfirmedConsent: true,
		User:                      truelayer.ExtendUser{Name: user.Name, Email: user.Email, Phone: user.Phone},
		RefreshToken:              c.RefreshToken,
		RedirectURI:               r.RedirectURI,
		State:                     r.State,
		CodeChallenge:             r.CodeChallenge,
		ResponseMode:              r.ResponseMode,
	})
	if err != nil {
		s.Flow.Abandon(r.State)
		if why, ok := refusal(err, name); ok {
			s.log().Info("extend refused; falling back to a new login", "connection", c.ID, "err", err)
			return s.fallback(ctx, c, why)
		}
		return ExtendOutcome{}, fmt.Errorf("extend consent of %s: %w", c.ID, err)
	}
	switch res.ActionNeeded {
	case truelayer.ActionNone:
		s.Flow.Abandon(r.State)
		return s.extended(ctx, c.ID, name, res.Token)
	case truelayer.ActionAuthentication, truelayer.ActionReconfirmConsent:
		if res.UserInputLink == "" {
			s.Flow.Abandon(r.State)
			return ExtendOutcome{}, fmt.Errorf("extend consent of %s: %s without a user_input_link", c.ID, res.ActionNeeded)
		}
		s.log().Info("extend needs the user at the bank", "connection", c.ID, "action", res.ActionNeeded)
		return ExtendOutcome{
			Link:          res.UserInputLink,
			LinkExpiresAt: r.ExpiresAt,
			State:         r.State,
			Message:       fmt.Sprintf("Log in to %s to renew your consent; Bankdesk carries on with this connection when the bank sends you back.", name),
		}, nil
	}
	s.Flow.Abandon(r.State)
	return ExtendOutcome{}, fmt.Errorf("extend consent of %s: unknown action_needed %q", c.ID, res.ActionNeeded)
}

// refusal reports an extend answer that a full login can get round (400,
// 401, 422), with a sentence saying why.
func refusal(err error, name string) (string, bool) {
	var te *truelayer.Error
	if !errors.As(err, &te) {
		return "", false
	}
	switch te.Status {
	case http.StatusUnprocessableEntity:
		return fmt.Sprintf("%s cannot extend this consent", name), true
	case http.StatusUnauthorized:
		return fmt.Sprintf("the access Bankdesk holds for %s has lapsed, so the consent cannot be extended", name), true
	case http.StatusBadRequest:
		return fmt.Sprintf("TrueLayer did not accept the request to extend the consent at %s (%s)", name, strings.TrimSuffix(firstNonEmpty(te.Title, te.Description, "bad request"), ".")), true
	}
	return "", false
}

// fallback is a fresh login at c's bank, which renews c when its code comes
// back.
func (s *Service) fallback(ctx context.Context, c store.Connection, why string) (ExtendOutcome, error) {
	link, err := s.Flow.Reconnect(ctx, c.ID)
	if err != nil {
		return ExtendOutcome{}, fmt.Errorf("extend consent of %s: %s; a new login link failed too: %w", c.ID, why, err)
	}
	name := s.Flow.BankName(c)
	return ExtendOutcome{
		Link:          link.URL,
		LinkExpiresAt: link.ExpiresAt,
		State:         link.State,
		Fallback:      true,
		Message:       fmt.Sprintf("Because %s, please log in to %s again and choose the same accounts as before so your history continues.", why, name),
	}, nil
}

// extended stores the tokens a no_action_needed extend returned, then reads
// /me for the new consent's dates. The tokens are written first and alone:
// the old refresh token is already spent.
func (s *Service) extended(ctx context.Context, connID, name string, tok *truelayer.Token) (ExtendOutcome, error) {
	if tok == nil || tok.AccessToken == "" {
		return ExtendOutcome{}, fmt.Errorf("extend consent of %s: no tokens in the answer", connID)
	}
	now := s.now()
	save := func(edit func(*store.Connection)) (store.Connection, error) {
		var saved store.Connection
		err := s.Store.UpdateConnection(connID, func(c *store.Connection) error {
			edit(c)
			c.UpdatedAt = now
			saved = *c
			return nil
		})
		return saved, err
	}
	c, err := save(func(c *store.Connection) {
		tokens.Apply(c, tok, now)
		// Until /me says otherwise, a consent renewed now runs 90 days.
		c.ConsentCreatedAt = now
		c.ConsentExpiresAt = now.AddDate(0, 0, connect.ConsentDays)
		c.Status = store.StatusActive
	})
	if err != nil {
		return ExtendOutcome{}, fmt.Errorf("extend consent of %s: save the new tokens: %w", connID, err)
	}
	me, err := s.Client.Me(ctx, tok.AccessToken)
	if err != nil {
		s.log().Warn("extended, but /me could not be read; assuming 90 days", "connection", connID, "err", err)
	} else if !me.ConsentExpiresAt.IsZero() {
		c, err = save(func(c *store.Connection) {
			c.ConsentCreatedAt = firstTime(me.ConsentCreatedAt.Time, c.ConsentCreatedAt)
			c.ConsentExpiresAt = me.ConsentExpiresAt.UTC()
		})
		if err != nil {
			return ExtendOutcome{}, fmt.Errorf("extend consent of %s: save the consent dates: %w", connID, err)
		}
	}
	s.log().Info("consent extended", "connection", connID, "expires", c.ConsentExpiresAt)
	return ExtendOutcome{
		Extended:  true,
		NewExpiry: c.ConsentExpiresAt,
		Message:   fmt.Sprintf("Your consent for %s is renewed until %s.", name, c.ConsentExpiresAt.Local().Format("2 January 2006")),
	}, nil
}
