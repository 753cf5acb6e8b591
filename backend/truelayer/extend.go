package truelayer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"
)

// ActionNeeded values of an extend response.
const (
	// ActionNone: the connection was extended; ExtendResult.Token holds new
	// tokens (store the new refresh token).
	ActionNone = "no_action_needed"
	// ActionAuthentication: send the user to UserInputLink to re-authenticate
	// at the bank; they come back to the redirect URI with a code.
	ActionAuthentication = "authentication_needed"
	// ActionReconfirmConsent: send the user to UserInputLink to reconfirm
	// consent in TrueLayer's dialog (not currently offered by TrueLayer).
	ActionReconfirmConsent = "reconfirmation_of_consent_needed"
)

// ExtendRequest asks TrueLayer to extend a connection's 90-day consent
// (UK only). Client id and secret come from the Config.
type ExtendRequest struct {
	// UserHasReconfirmedConsent must be true, after showing your own
	// reconfirmation screen (TrueLayer reviews it before enabling live use).
	UserHasReconfirmedConsent bool
	User                      ExtendUser
	RefreshToken              string
	RedirectURI               string // default Config.RedirectURI
	State                     string
	CodeChallenge             string // PKCE S256 challenge for the follow-up code
	ResponseMode              string // "" or "form_post"
	// AccessToken, if set, is sent as a Bearer token. TrueLayer's guide says
	// extend needs none (it works on expired connections); the spec lists
	// oauth2 security, so it is offered.
	AccessToken string
}

// ExtendUser identifies the end user; unregulated clients must give Name
// and one of Email or Phone.
type ExtendUser struct {
	ID    string `json:"id,omitempty"`
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
}

func (r ExtendRequest) String() string {
	return fmt.Sprintf("ExtendRequest{UserHasReconfirmedConsent:%t User:%+v RefreshToken:%s RedirectURI:%s State:%s ResponseMode:%s AccessToken:%s}",
		r.UserHasReconfirmedConsent, r.User, redact(r.RefreshToken), r.RedirectURI, r.State, r.ResponseMode, redact(r.AccessToken))
}

// GoString covers %#v, which would otherwise print the tokens.
func (r ExtendRequest) GoString() string { return "truelayer." + r.String() }

// LogValue keeps the tokens out of slog output.
func (r ExtendRequest) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Bool("user_has_reconfirmed_consent", r.UserHasReconfirmedConsent),
		slog.String("user_id", r.User.ID),
		slog.String("refresh", redact(r.RefreshToken)),
		slog.String("redirect_uri", r.RedirectURI),
		slog.String("access", redact(r.AccessToken)),
	)
}

// ExtendResult is TrueLayer's answer; see the Action* constants.
type ExtendResult struct {
	ActionNeeded  string
	UserInputLink string // for authentication / reconfirmation
	Token         *Token // for no_action_needed
}

// extendBody is ExtendConnectionRequest on the wire.
type extendBody struct {
	UserHasReconfirmedConsent bool       `json:"user_has_reconfirmed_consent"`
	ClientID                  string     `json:"client_id"`
	ClientSecret              string     `json:"client_secret"`
	User                      ExtendUser `json:"user"`
	RefreshToken              string     `json:"refresh_token"`
	RedirectURI               string     `json:"redirect_uri"`
	State                     string     `json:"state,omitempty"`
	CodeChallenge             string     `json:"code_challenge,omitempty"`
	ResponseMode              string     `json:"response_mode,omitempty"`
}

// extendResponse is the union of the three ExtendResponse shapes.
type extendResponse struct {
	ActionNeeded  string          `json:"action_needed"`
	UserInputLink string          `json:"user_input_link"`
	AccessToken   string          `json:"access_token"`
	RefreshToken  string          `json:"refresh_token"`
	TokenType     string          `json:"token_type"`
	ExpiresIn     json.RawMessage `json:"expires_in"` // number, or a string from lenient servers
	Scope         string          `json:"scope"`
}

// Extend calls connections/extend (POST {APIURL}{ExtendPath}). Errors come
// as Problem+JSON; a 401 or 422 means the user must reconnect (see
// NeedsReconnect).
func (c *Client) Extend(ctx context.Context, r ExtendRequest, opts ...CallOption) (*ExtendResult, error) {
	op := "POST " + c.extendPath
	if c.clientID == "" || c.clientSecret == "" {
		return nil, fmt.Errorf("extend connection: %w", errNoClientCredentials)
	}
	if r.RefreshToken == "" {
		return nil, errors.New("extend connection: empty refresh token")
	}
	redirect := r.RedirectURI
	if redirect == "" {
		redirect = c.redirectURI
	}
	payload, err := json.Marshal(extendBody{
		UserHasReconfirmedConsent: r.UserHasReconfirmedConsent,
		ClientID:                  c.clientID,
		ClientSecret:              c.clientSecret,
		User:                      r.User,
		RefreshToken:              r.RefreshToken,
		RedirectURI:               redirect,
		State:                     r.State,
		CodeChallenge:             r.CodeChallenge,
		ResponseMode:              r.ResponseMode,
	})
	if err != nil {
		return nil, fmt.Errorf("extend connection: %w", err)
	}
	req, err := c.newRequest(ctx, http.MethodPost, c.apiURL+c.extendPath, r.AccessToken, bytes.NewReader(payload), collect(opts))
	if err != nil {
		return nil, fmt.Errorf("extend connection: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.send(op, req)
	if err != nil {
		return nil, fmt.Errorf("extend connection: %w", err)
	}
	defer closeBody(resp)
	if !isSuccess(resp.StatusCode) {
		return nil, fmt.Errorf("extend connection: %w", responseError(op, srcExtend, resp))
	}
	br := newBodyReader(resp.Body)
	var body extendResponse
	if err := json.NewDecoder(br).Decode(&body); err != nil {
		return nil, fmt.Errorf("extend connection: %w", decodeFailure(op, srcExtend, resp, br, "extend response", err))
	}
	res, err := body.result()
	if err != nil {
		e := decodeFailure(op, srcExtend, resp, nil, "extend response", err)
		return nil, fmt.Errorf("extend connection: %w", e)
	}
	return res, nil
}

func (b *extendResponse) result() (*ExtendResult, error) {
	res := &ExtendResult{ActionNeeded: b.ActionNeeded, UserInputLink: b.UserInputLink}
	switch b.ActionNeeded {
	case "":
		return nil, errors.New("no action_needed")
	case ActionNone:
		if b.AccessToken == "" {
			return nil, errors.New("no_action_needed without access_token")
		}
		res.Token = &Token{AccessToken: b.AccessToken, RefreshToken: b.RefreshToken, TokenType: b.TokenType,
			ExpiresIn: time.Duration(expiresIn(b.ExpiresIn)) * time.Second}
		if b.Scope != "" {
			res.Token.Scopes = splitScopes(b.Scope)
		}
	}
	return res, nil
}

// expiresIn reads expires_in as a number or a numeric string; 0 if absent.
func expiresIn(raw json.RawMessage) int64 {
	s := string(bytes.Trim(bytes.TrimSpace(raw), `"`))
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}
