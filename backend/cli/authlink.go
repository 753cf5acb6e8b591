package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"bankdesk/backend/config"
	"bankdesk/backend/desk"
	"bankdesk/backend/truelayer"
)

// authLinkCommand prints an auth link for the configured environment. It
// stores no state and no verifier, so the code it leads to cannot be
// completed by Bankdesk: it exists to inspect links and to drive the
// dialog in tests.
func authLinkCommand(fs *flag.FlagSet) runner {
	var p truelayer.AuthLinkParams
	fs.StringVar(&p.State, "state", "", "state to send (required)")
	fs.StringVar(&p.ProviderID, "provider", "", "provider_id: skip the bank selection")
	fs.StringVar(&p.ResponseMode, "response-mode", "", "'' (query) or form_post")
	fs.StringVar(&p.CodeChallenge, "code-challenge", "", "PKCE S256 code challenge")
	scopes := fs.String("scopes", strings.Join(truelayer.DefaultScopes, " "), "space-separated scopes")
	return runner{run: func(_ context.Context, _ *desk.Desk, io IO) error {
		p.Scopes = strings.Fields(*scopes)
		return runAuthLink(io, p)
	}}
}

func runAuthLink(io IO, p truelayer.AuthLinkParams) error {
	if p.State == "" {
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
	fmt.Fprintln(io.Stdout, client.AuthLink(p))
	return nil
}
