package truelayer

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestTokenRedaction(t *testing.T) {
	tok := Token{
		AccessToken:  testAccessToken,
		RefreshToken: testRefreshToken,
		TokenType:    "Bearer",
		ExpiresIn:    time.Hour,
		Scopes:       []string{"info", "accounts"},
	}
	type holder struct {
		Name  string
		Tok   Token
		TokP  *Token
		Other any
	}
	h := holder{"x", tok, &tok, tok}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		for _, v := range []any{tok, &tok, h, []Token{tok}} {
			s := fmt.Sprintf(verb, v)
			assertNoSecrets(t, verb, s)
		}
	}
	if s := fmt.Sprint(tok); !strings.Contains(s, "Bearer") || !strings.Contains(s, redacted) || !strings.Contains(s, "info accounts") {
		t.Errorf("String() lost the useful parts: %s", s)
	}
	if s := fmt.Sprint(Token{}); strings.Contains(s, redacted) {
		t.Errorf("empty token should not claim redacted values: %s", s)
	}

	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	log.Info("token", "tok", tok, "ptr", &tok, slog.Any("any", tok))
	slog.New(slog.NewTextHandler(&buf, nil)).Info("token", "tok", tok, "ptr", &tok)
	assertNoSecrets(t, "slog", buf.String())
	if !strings.Contains(buf.String(), `"token_type":"Bearer"`) {
		t.Errorf("slog output lost the shape: %s", buf.String())
	}
}

func TestExtendRequestRedaction(t *testing.T) {
	r := ExtendRequest{UserHasReconfirmedConsent: true, RefreshToken: testRefreshToken, AccessToken: testAccessToken, User: ExtendUser{ID: "u1"}}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("extend", "req", r)
	for _, s := range []string{fmt.Sprintf("%v", r), fmt.Sprintf("%+v", r), fmt.Sprintf("%#v", r), fmt.Sprintf("%v", &r), buf.String()} {
		assertNoSecrets(t, "extend request", s)
	}
	res := ExtendResult{ActionNeeded: ActionNone, Token: &Token{AccessToken: testAccessToken, RefreshToken: testRefreshToken}}
	for _, verb := range []string{"%v", "%+v", "%#v"} {
		assertNoSecrets(t, "extend result "+verb, fmt.Sprintf(verb, res))
	}
}

func TestTokenExpiresAtCountsTheLifetimeFromNow(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	if got := (Token{ExpiresIn: 30 * time.Minute}).ExpiresAt(now); !got.Equal(now.Add(30 * time.Minute)) {
		t.Errorf("expires at %s", got)
	}
	if got := (Token{}).ExpiresAt(now); !got.Equal(now.Add(DefaultLifetime)) {
		t.Errorf("without expires_in: expires at %s, want the default lifetime", got)
	}
}
