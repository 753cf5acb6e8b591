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
type Token struct {
	AccessToken  string
	RefreshToken string
	TokenType    string
	Expiry       time.Time // zero when the server sent no expires_in
	Scopes       []string  // granted scopes, from the response's scope field
}

const redacted = "[redacted]"

func redact(s string) string {
	if s == "" {
		return ""
	}
	return redacted
}

// Valid reports whether the access token is present and not expired (with a
// small margin for clock skew and request time).
func (t Token) Valid() bool {
	return t.AccessToken != "" && (t.Expiry.IsZero() || time.Until(t.Expiry) > 10*time.Second)
}

func (t Token) String() string {
	return fmt.Sprintf("Token{AccessToken:%s RefreshToken:%s TokenType:%s Expiry:%s Scopes:%s}",
		redact(t.AccessToken), redact(t.RefreshToken), t.TokenType,
		t.Expiry.Format(time.RFC3339), strings.Join(t.Scopes, " "))
}

// GoString covers %#v, which would otherwise print the fields verbatim.
func (t Token) GoString() string { return "truelayer." + t.String() }

// LogValue makes slog print the token's shape, never its secrets.
func (t Token) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("access", redact(t.AccessToken)),
		slog.String("refresh", redact(t.RefreshToken)),
		slog.String("token_type", t.TokenType),
		slog.Time("expiry", t.Expiry),
		slog.String("scopes", strings.Join(t.Scopes, " ")),
	)
}
