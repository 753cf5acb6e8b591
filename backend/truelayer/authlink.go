package truelayer

import (
	"maps"
	"net/url"
	"slices"
	"strings"

	"golang.org/x/oauth2"
)

// DefaultScopes are every Data API v1 scope, offline_access included so
// that a refresh token is issued.
var DefaultScopes = []string{"info", "accounts", "balance", "cards", "transactions", "direct_debits", "standing_orders", "offline_access"}

// AuthLinkParams describes one auth-dialog link. A link is meant to be used
// once; build a fresh one (with a fresh State and verifier) each time.
type AuthLinkParams struct {
	Scopes []string // nil means DefaultScopes
	State  string

	// Providers lists provider ids or groups offered in the dialog (e.g.
	// "uk-ob-all", "uk-oauth-all", "uk-cs-mock"); empty leaves TrueLayer's
	// default. ProviderID skips bank selection; it must be covered by
	// Providers, so AuthLink adds it when it is not.
	Providers  []string
	ProviderID string

	// ResponseMode is "", "query" or "form_post" (the code is POSTed to the
	// redirect URI).
	ResponseMode string

	// CodeChallenge is a PKCE S256 challenge (see S256Challenge); it adds
	// code_challenge_method=S256.
	CodeChallenge string

	// RedirectURI overrides Config.RedirectURI when set.
	RedirectURI string

	// Extra carries parameters this type does not model (e.g. enable_mock);
	// they are appended in key order.
	Extra url.Values
}

// AuthLink builds the auth-dialog URL on the auth host root:
//
//	{AuthURL}/?response_type=code&client_id=..&redirect_uri=..&scope=a%20b&state=..
//	  &providers=..&provider_id=..&response_mode=..&code_challenge=..&code_challenge_method=S256
//
// It is built by hand rather than with oauth2.Config.AuthCodeURL because
// TrueLayer needs spaces encoded as %20, never '+', and the providers
// parameters.
func (c *Client) AuthLink(p AuthLinkParams) string {
	redirect := p.RedirectURI
	if redirect == "" {
		redirect = c.redirectURI
	}
	scopes := p.Scopes
	if len(scopes) == 0 {
		scopes = DefaultScopes
	}
	providers := p.Providers
	if p.ProviderID != "" && !coversProvider(providers, p.ProviderID) {
		providers = append(slices.Clip(providers), p.ProviderID)
	}

	var q query
	q.add("response_type", "code")
	q.add("client_id", c.clientID)
	q.add("redirect_uri", redirect)
	q.add("scope", strings.Join(scopes, " "))
	q.addIf("state", p.State)
	q.addIf("providers", strings.Join(providers, " "))
	q.addIf("provider_id", p.ProviderID)
	q.addIf("response_mode", p.ResponseMode)
	if p.CodeChallenge != "" {
		q.add("code_challenge", p.CodeChallenge)
		q.add("code_challenge_method", "S256")
	}
	for _, k := range slices.Sorted(maps.Keys(p.Extra)) {
		for _, v := range p.Extra[k] {
			q.add(k, v)
		}
	}
	return c.authURL + "/?" + q.String()
}

// coversProvider reports whether providers already admits id: listed
// verbatim, or under a group: "uk-ob-all" covers "uk-ob-monzo" and, as
// documented, the UK id "ob-monzo". When unsure it says no, which only
// costs a redundant entry.
func coversProvider(providers []string, id string) bool {
	for _, p := range providers {
		if p == id {
			return true
		}
		group, ok := strings.CutSuffix(p, "-all")
		if !ok {
			continue
		}
		if strings.HasPrefix(id, group+"-") {
			return true
		}
		if country, family, ok := strings.Cut(group, "-"); ok && country == "uk" && strings.HasPrefix(id, family+"-") {
			return true
		}
	}
	return false
}

// NewVerifier returns a fresh PKCE code verifier (32 random bytes,
// base64url). Keep it secret until the code exchange.
func NewVerifier() string { return oauth2.GenerateVerifier() }

// S256Challenge derives the PKCE S256 code challenge for verifier.
func S256Challenge(verifier string) string { return oauth2.S256ChallengeFromVerifier(verifier) }

// query builds an ordered query string with %20 for spaces: url.Values
// sorts keys and writes '+', which TrueLayer's dialog may not accept.
type query struct{ b strings.Builder }

func (q *query) add(k, v string) {
	if q.b.Len() > 0 {
		q.b.WriteByte('&')
	}
	q.b.WriteString(escape(k))
	q.b.WriteByte('=')
	q.b.WriteString(escape(v))
}

func (q *query) addIf(k, v string) {
	if v != "" {
		q.add(k, v)
	}
}

func (q *query) String() string { return q.b.String() }

// escape is url.QueryEscape with %20 for space; a literal '+' is already
// %2B, so the replacement is safe.
func escape(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }
