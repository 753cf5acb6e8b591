package sandbox

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const (
	codeTTL         = 5 * time.Minute     // authorisation codes (docs/truelayer.md §9)
	refreshIdleTTL  = 30 * 24 * time.Hour // refresh token must be used within 30 days
	consentTTL      = 90 * 24 * time.Hour // consent lifetime
	scaWindow       = 5 * time.Minute     // deep history only this long after auth
	deepHistoryDays = 90                  // transactions older than this many days need SCA
	extendGrace     = 90 * 24 * time.Hour // extend still works this long after consent expiry
	dialogTTL       = 60 * time.Minute    // an unfinished auth dialog
	privacyPolicy   = "Feb2019"
)

// signer holds the RS256 key. One key per process: generating 2048-bit keys is slow
// and every server checks tokens against its own registry anyway.
type signer struct {
	key *rsa.PrivateKey
	kid string
	x5t string
}

var (
	signerOnce sync.Once
	signerVal  *signer
	signerErr  error
)

func defaultSigner() (*signer, error) {
	signerOnce.Do(func() {
		key, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			signerErr = err
			return
		}
		der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
		if err != nil {
			signerErr = err
			return
		}
		sum := sha256.Sum256(der)
		thumb := sha1.Sum(der)
		signerVal = &signer{
			key: key,
			kid: strings.ToUpper(fmt.Sprintf("%x", sum[:20])) + "RS256",
			x5t: base64.RawURLEncoding.EncodeToString(thumb[:]),
		}
	})
	return signerVal, signerErr
}

// credential is one connection (TrueLayer "credentials_id") and its current consent.
type credential struct {
	ID             string
	User           mockUser
	ProviderID     string
	ClientID       string
	Scopes         []string
	ConsentID      string
	ConsentCreated time.Time
	ConsentExpires time.Time
	AuthTime       time.Time // last bank authentication; drives the SCA window
	Revoked        bool
	SID            string
	CredentialsKey string
	RefreshToken   string // tokenKey of the one live refresh token; rotation replaces it
	// AccountSalt, when set (the new_account_ids or account_ids_per_connection
	// fault), gives this connection's accounts ids of their own; see accountID.
	AccountSalt string
	// MeFailPending: the next /me of this credential answers 503 (me_fail_once).
	MeFailPending bool
}

// accountID is the id a connection sees for an account: the user's stable one, or
// one derived from the connection's AccountSalt.
func (c *credential) accountID(a *account) string {
	if c.AccountSalt == "" {
		return a.ID
	}
	return stableHex(16, "account", c.AccountSalt, a.ID)
}

func (c *credential) consentExpired(now time.Time) bool { return !now.Before(c.ConsentExpires) }

// authCode is a single-use authorisation code.
type authCode struct {
	ClientID    string
	RedirectURI string
	Challenge   string // S256 code_challenge, if the link had one
	Scopes      []string
	User        mockUser
	ProviderID  string
	AuthTime    time.Time
	Expires     time.Time
	Used        bool
	ReauthCred  string // set when the login continues an existing connection
}

type refreshToken struct {
	CredID   string
	LastUsed time.Time // issue time; a token is single use, so this is its idle start
}

type accessToken struct {
	CredID    string
	Scopes    []string
	Exp       time.Time
	ExpiredAt time.Time // set by ExpireAccessTokens / the expire_tokens_after fault
}

// tokenResponse is TokenExchangeResponse (additionalProperties: false).
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	ExpiresIn    int64  `json:"expires_in"`
	TokenType    string `json:"token_type"`
	RefreshToken string `json:"refresh_token,omitempty"`
	Scope        string `json:"scope"`
}

// issueLocked mints an access token (and a rotated refresh token when the consent has
// offline_access) for c. Caller holds s.mu.
func (s *Server) issueLocked(c *credential, now time.Time) (tokenResponse, error) {
	jti := randUpperHex(16)
	exp := now.Add(s.opts.TokenTTL)
	claims := jwt.MapClaims{
		"nbf":             now.Unix(),
		"exp":             exp.Unix(),
		"iat":             now.Unix(),
		"auth_time":       c.AuthTime.Unix(),
		"iss":             s.authURL,
		"aud":             "data_api",
		"client_id":       c.ClientID,
		"sub":             c.ID,
		"idp":             "local",
		"jti":             jti,
		"sid":             c.SID,
		"connector_id":    c.ProviderID,
		"credentials_key": c.CredentialsKey,
		"privacy_policy":  privacyPolicy,
		"consent_id":      c.ConsentID,
		"scope":           c.Scopes,
		"amr":             []string{"pwd"},
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["typ"] = "at+jwt"
	tok.Header["kid"] = s.signer.kid
	tok.Header["x5t"] = s.signer.x5t
	signed, err := tok.SignedString(s.signer.key)
	if err != nil {
		return tokenResponse{}, err
	}
	s.pruneLocked(now)
	s.access[jti] = &accessToken{CredID: c.ID, Scopes: c.Scopes, Exp: time.Unix(exp.Unix(), 0).UTC()}
	resp := tokenResponse{
		AccessToken: signed,
		ExpiresIn:   int64(s.opts.TokenTTL / time.Second),
		TokenType:   "Bearer",
		Scope:       strings.Join(c.Scopes, " "),
	}
	if c.RefreshToken != "" {
		delete(s.refresh, c.RefreshToken)
		c.RefreshToken = ""
	}
	if hasScope(c.Scopes, "offline_access") {
		rt := randUpperHex(32)
		s.refresh[tokenKey(rt)] = &refreshToken{CredID: c.ID, LastUsed: now}
		c.RefreshToken = tokenKey(rt)
		resp.RefreshToken = rt
	}
	return resp, nil
}

// pruneLocked drops access-token records long past expiry so the registry stays small.
func (s *Server) pruneLocked(now time.Time) {
	if len(s.access) < 4096 {
		return
	}
	for k, a := range s.access {
		if now.Sub(a.Exp) > 24*time.Hour {
			delete(s.access, k)
		}
	}
}

// tokenError is a failed Bearer check, mapped to the Data API's 401/403 bodies.
type tokenError struct {
	status int
	code   string
	desc   string
}

func expiredText(t time.Time) string {
	return fmt.Sprintf("The token expired at '%s'", t.UTC().Format("2006-01-02 15:04:05Z"))
}

// verifyAccess checks a Bearer token's signature and expiry against the sandbox
// clock, then its registry entry. It returns a copy of the credential.
func (s *Server) verifyAccess(raw string, now time.Time) (credential, *accessToken, *tokenError) {
	if raw == "" {
		return credential{}, nil, &tokenError{401, "unauthorized", "Missing bearer token."}
	}
	parsed, err := jwt.Parse(raw, func(*jwt.Token) (any, error) { return &s.signer.key.PublicKey, nil },
		jwt.WithValidMethods([]string{"RS256"}),
		jwt.WithTimeFunc(func() time.Time { return now }),
		jwt.WithExpirationRequired(),
		jwt.WithIssuer(s.authURL),
	)
	if err != nil {
		if errors.Is(err, jwt.ErrTokenExpired) && parsed != nil {
			if exp, e := parsed.Claims.GetExpirationTime(); e == nil && exp != nil {
				return credential{}, nil, &tokenError{401, "invalid_token", expiredText(exp.Time)}
			}
		}
		return credential{}, nil, &tokenError{401, "invalid_token", "The access token is invalid."}
	}
	claims, _ := parsed.Claims.(jwt.MapClaims)
	jti, _ := claims["jti"].(string)
	s.mu.Lock()
	defer s.mu.Unlock()
	at := s.access[jti]
	if at == nil {
		return credential{}, nil, &tokenError{401, "invalid_token", "The access token is invalid."}
	}
	if !at.ExpiredAt.IsZero() {
		return credential{}, nil, &tokenError{401, "invalid_token", expiredText(at.ExpiredAt)}
	}
	c := s.creds[at.CredID]
	if c == nil {
		return credential{}, nil, &tokenError{401, "invalid_token", "The access token is invalid."}
	}
	cp := *c
	cp.Scopes = append([]string(nil), at.Scopes...)
	return cp, at, nil
}

// ExpireAccessTokens makes every access token issued so far answer 401 invalid_token.
func (s *Server) ExpireAccessTokens() {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range s.access {
		if a.ExpiredAt.IsZero() {
			a.ExpiredAt = now
		}
	}
}

// newConsent starts a fresh 90-day consent on c (login, re-auth or extend).
func newConsent(c *credential, now time.Time) {
	c.ConsentID = newUUID()
	c.ConsentCreated = now
	c.ConsentExpires = now.Add(consentTTL)
}

// s256 is the PKCE S256 transform of a verifier.
func s256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}
