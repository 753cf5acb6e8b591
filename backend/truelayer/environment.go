package truelayer

import (
	"fmt"
	"strings"
)

// Environment selects which TrueLayer hosts a Client talks to.
type Environment string

const (
	// EnvBuiltin is Bankdesk's in-process sandbox; its URLs are only known
	// once it is listening, so Preset returns none.
	EnvBuiltin Environment = "builtin"
	// EnvSandbox is TrueLayer's public sandbox (mock bank).
	EnvSandbox Environment = "sandbox"
	// EnvLive is TrueLayer production.
	EnvLive Environment = "live"
)

// Preset returns the auth and API host roots for env. For EnvBuiltin both are
// empty: the caller fills them in at run time.
func Preset(env Environment) (authURL, apiURL string, err error) {
	switch env {
	case EnvBuiltin:
		return "", "", nil
	case EnvSandbox:
		return "https://auth.truelayer-sandbox.com", "https://api.truelayer-sandbox.com", nil
	case EnvLive:
		return "https://auth.truelayer.com", "https://api.truelayer.com", nil
	}
	return "", "", fmt.Errorf("truelayer: unknown environment %q", string(env))
}

// ParseEnvironment parses "builtin", "sandbox" or "live" (case-insensitive).
func ParseEnvironment(s string) (Environment, error) {
	switch env := Environment(strings.ToLower(strings.TrimSpace(s))); env {
	case EnvBuiltin, EnvSandbox, EnvLive:
		return env, nil
	}
	return "", fmt.Errorf("truelayer: parse environment %q: want builtin, sandbox or live", s)
}
