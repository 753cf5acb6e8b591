package cli

import (
	"context"
	"fmt"
	"strings"

	"bankdesk/backend/config"
	"bankdesk/backend/truelayer"
)

// runAuthLink prints an auth link for the configured environment. It stores no
// state and no verifier, so the code it leads to cannot be completed by
// Bankdesk: it exists to inspect links and to drive the dialog in tests.
func runAuthLink(ctx context.Context, io IO, args []string) error {
	fs := newFlags("auth-link", io)
	state := fs.String("state", "", "state to send (required)")
	provider := fs.String("provider", "", "provider_id: skip the bank selection")
	mode := fs.String("response-mode", "", "'' (query) or form_post")
	challenge := fs.String("code-challenge", "", "PKCE S256 code challenge")
	scopes := fs.String("scopes", strings.Join(truelayer.DefaultScopes, " "), "space-separated scopes")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *state == "" {
		return usageError{"--state is required"}
	}
	cfg, err := config.FromEnv(io.Getenv)
	if err != nil {
		return err
	}
	if cfg.Builtin() {
		return usageError{"the built-in sandbox only lives inside the app: start `bankdesk sandbox` and export its BANKDESK_* lines"}
	}
	if cfg.ClientID == "" {
		return usageError{"set BANKDESK_CLIENT_ID (and BANKDESK_CLIENT_SECRET)"}
	}
	client, err := truelayer.New(truelayer.Config{AuthURL: cfg.AuthURL, APIURL: cfg.APIURL, ClientID: cfg.ClientID, RedirectURI: cfg.RedirectURI})
	if err != nil {
		return err
	}
	link := client.AuthLink(truelayer.AuthLinkParams{
		Scopes:        strings.Fields(*scopes),
		State:         *state,
		ProviderID:    *provider,
		ResponseMode:  *mode,
		CodeChallenge: *challenge,
	})
	fmt.Fprintln(io.Stdout, link)
	return nil
}
