package truelayer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

const tokenOp = "POST /connect/token"

var errNoClientCredentials = errors.New("client id and secret are required")

// Exchange trades an authorization code (valid for 5 minutes, single use)
// for tokens. verifier is the PKCE code verifier if the auth link carried a
// code challenge, else "". The redirect URI sent must equal the auth link's:
// pass WithRedirectURI if it was overridden there.
func (c *Client) Exchange(ctx context.Context, code, verifier string, opts ...CallOption) (*Token, error) {
	if c.clientID == "" || c.clientSecret == "" {
		return nil, fmt.Errorf("exchange code: %w", errNoClientCredentials)
	}
	o := collect(opts)
	redirect := o.redirectURI
	if redirect == "" {
		redirect = c.redirectURI
	}
	var authOpts []oauth2.AuthCodeOption
	if verifier != "" {
		authOpts = append(authOpts, oauth2.VerifierOption(verifier))
	}
	t, err := c.oauthConfig(redirect).Exchange(c.oauthContext(ctx), code, authOpts...)
	if err != nil {
		return nil, fmt.Errorf("exchange code: %w", tokenError(err))
	}
	return tokenFromOAuth(t), nil
}

// Refresh obtains a new access token with the refresh_token grant. TrueLayer
// may rotate the refresh token: the result carries the new one, or the old
// one when none came back (x/oauth2 fills it in; tokens.Apply would keep the
// old one anyway).
func (c *Client) Refresh(ctx context.Context, refreshToken string) (*Token, error) {
	if c.clientID == "" || c.clientSecret == "" {
		return nil, fmt.Errorf("refresh token: %w", errNoClientCredentials)
	}
	if refreshToken == "" {
		return nil, errors.New("refresh token: empty refresh token")
	}
	// A token with only a refresh token is expired by definition, so the
	// source refreshes at once.
	src := c.oauthConfig("").TokenSource(c.oauthContext(ctx), &oauth2.Token{RefreshToken: refreshToken})
	t, err := src.Token()
	if err != nil {
		return nil, fmt.Errorf("refresh token: %w", tokenError(err))
	}
	return tokenFromOAuth(t), nil
}

func (c *Client) oauthConfig(redirectURI string) *oauth2.Config {
	return &oauth2.Config{
		ClientID:     c.clientID,
		ClientSecret: c.clientSecret,
		RedirectURL:  redirectURI,
		Endpoint: oauth2.Endpoint{
			TokenURL: c.authURL + "/connect/token",
			// Credentials in the form body, as TrueLayer documents; this
			// also stops x/oauth2 probing with Basic auth first.
			AuthStyle: oauth2.AuthStyleInParams,
		},
	}
}

// oauthContext hands x/oauth2 our HTTP client, with the token transport.
func (c *Client) oauthContext(ctx context.Context) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, c.tokenHTTP)
}

// newTokenHTTPClient copies hc (keeping its timeout, jar and redirect
// policy) with tokenTransport around its transport.
func newTokenHTTPClient(hc *http.Client, userAgent string) *http.Client {
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	cp := *hc
	cp.Transport = &tokenTransport{base: base, userAgent: userAgent}
	return &cp
}

// tokenError maps what x/oauth2 returns into an *Error where there was a
// response, and otherwise wraps it with the operation.
func tokenError(err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		var (
			status int
			header http.Header
		)
		if re.Response != nil {
			status, header = re.Response.StatusCode, re.Response.Header
		}
		e := errorFromBody(tokenOp, srcToken, status, header, re.Body)
		if e.Code == "" {
			// A form-encoded error body, which only x/oauth2 parsed.
			e.Code, e.Description = re.ErrorCode, re.ErrorDescription
		}
		return e
	}
	var be *bodyError
	if errors.As(err, &be) {
		return decodeFailure(tokenOp, srcToken, be.resp, nil, "token response", be.err)
	}
	return fmt.Errorf("truelayer: %s: %w", tokenOp, err)
}

func tokenFromOAuth(t *oauth2.Token) *Token {
	tok := &Token{
		AccessToken:  t.AccessToken,
		RefreshToken: t.RefreshToken,
		TokenType:    t.TokenType,
		ExpiresIn:    lifetime(t),
	}
	switch s := t.Extra("scope").(type) {
	case string:
		tok.Scopes = splitScopes(s)
	case []any:
		for _, v := range s {
			if v, ok := v.(string); ok {
				tok.Scopes = append(tok.Scopes, v)
			}
		}
	}
	return tok
}

// lifetime is the expires_in x/oauth2 read: it fills ExpiresIn from a JSON
// answer, and leaves a form-encoded one's in Extra (its Expiry is dated by
// the wall clock, which is why it is not used).
func lifetime(t *oauth2.Token) time.Duration {
	secs := t.ExpiresIn
	if secs == 0 {
		switch v := t.Extra("expires_in").(type) {
		case string:
			secs = expiresIn(json.RawMessage(v))
		case float64:
			secs = int64(v)
		}
	}
	if secs < 0 {
		secs = 0
	}
	return time.Duration(secs) * time.Second
}

// splitScopes splits a space-separated scope string.
func splitScopes(s string) []string { return strings.Fields(s) }
