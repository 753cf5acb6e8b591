package truelayer

import (
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// Token is a user's token pair from /connect/token or connections/extend.
//
// String, GoString and LogValue redact the secrets, so printing or logging a
// Token (with %v, %+v, %#v or slog) never leaks them. Persist the fields
// explicitly, and always persist a new RefreshToken: TrueLayer may rotate it.
//
// The token carries its lifetime as sent (expires_in), not a time: the
// caller dates it on its own clock (ExpiresAt), the clock it later compares
// the expiry with.
type Token struct {
	AccessToken  string
	RefreshToken string // "" when none came back (no offline_access)
	TokenType    string
	ExpiresIn    time.Duration // the access token's lifetime; 0 when the server sent no expires_in
	Scopes       []string      // granted scopes, from the response's scope field
}

// DefaultLifetime is an access token's lifetime when the answer carries no
// expires_in: "default is 1 hour or specified by provider whichever is
// lower" (TokenExchangeResponse in backend/openapi/authentication-server.json).
const DefaultLifetime = time.Hour

// ExpiresAt is when the access token expires if it was issued at now (the
// moment its answer arrived, on the caller's clock).
func (t Token) ExpiresAt(now time.Time) time.Time {
	if t.ExpiresIn > 0 {
		return now.Add(t.ExpiresIn)
	}
	return now.Add(DefaultLifetime)
}

const redacted = "[redacted]"

func redact(s string) string {
	if s == "" {
		return ""
	}
	return redacted
}

func (t Token) String() string {
	return fmt.Sprintf("Token{AccessToken:%s RefreshToken:%s TokenType:%s ExpiresIn:%s Scopes:%s}",
		redact(t.AccessToken), redact(t.RefreshToken), t.TokenType,
		t.ExpiresIn, strings.Join(t.Scopes, " "))
}

// GoString covers %#v, which would otherwise print the fields verbatim.
func (t Token) GoString() string { return "truelayer." + t.String() }

// LogValue makes slog print the token's shape, never its secrets.
func (t Token) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("access", redact(t.AccessToken)),
		slog.String("refresh", redact(t.RefreshToken)),
		slog.String("token_type", t.TokenType),
		slog.Duration("expires_in", t.ExpiresIn),
		slog.String("scopes", strings.Join(t.Scopes, " ")),
	)
}
