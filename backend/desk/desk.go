// Package desk ties Bankdesk's backend together for its two front ends, the
// desktop window and the command line: configuration, the TrueLayer client and,
// for the default environment, the in-process sandbox.
package desk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"

	"bankdesk/backend/config"
	"bankdesk/backend/sandbox"
	"bankdesk/backend/truelayer"
)

// Desk is an opened backend. Close it to stop the built-in sandbox.
type Desk struct {
	cfg     config.Config
	client  *truelayer.Client
	sandbox *sandbox.Server // nil unless the built-in sandbox runs in-process
	log     *slog.Logger
}

// Open starts what the configuration needs. For the builtin environment with
// no explicit URLs it starts the sandbox on loopback and uses its built-in
// client credentials, so a new user needs nothing from TrueLayer.
func Open(cfg config.Config, log *slog.Logger) (*Desk, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	d := &Desk{cfg: cfg, log: log}
	if cfg.Builtin() {
		sb, err := sandbox.Start(sandbox.Options{Logger: log.With("component", "sandbox")})
		if err != nil {
			return nil, fmt.Errorf("start built-in sandbox: %w", err)
		}
		d.sandbox = sb
		d.cfg.AuthURL, d.cfg.APIURL = sb.AuthURL(), sb.APIURL()
	}
	if d.cfg.Env == truelayer.EnvBuiltin {
		// The sandbox's credentials are public: they guard nothing real.
		if d.cfg.ClientID == "" {
			d.cfg.ClientID = sandbox.ClientID
		}
		if d.cfg.ClientSecret == "" {
			d.cfg.ClientSecret = sandbox.ClientSecret
		}
	}
	client, err := truelayer.New(truelayer.Config{
		AuthURL:      d.cfg.AuthURL,
		APIURL:       d.cfg.APIURL,
		ClientID:     d.cfg.ClientID,
		ClientSecret: d.cfg.ClientSecret,
		RedirectURI:  d.cfg.RedirectURI,
		ExtendPath:   d.cfg.ExtendPath,
	})
	if err != nil {
		d.Close()
		return nil, fmt.Errorf("truelayer client: %w", err)
	}
	d.client = client
	log.Info("backend ready", "env", d.cfg.Env, "auth_url", d.cfg.AuthURL, "api_url", d.cfg.APIURL)
	return d, nil
}

// Close stops the built-in sandbox, if any.
func (d *Desk) Close() error {
	if d.sandbox != nil {
		return d.sandbox.Close()
	}
	return nil
}

// Client is the TrueLayer client for the configured environment.
func (d *Desk) Client() *truelayer.Client { return d.client }

// Config is the effective configuration (URLs filled in for the sandbox).
func (d *Desk) Config() config.Config { return d.cfg }

// Status is what the first screen shows. It carries no secret.
type Status struct {
	Environment string `json:"environment"` // builtin, sandbox or live
	Builtin     bool   `json:"builtin"`     // the in-process sandbox answers
	AuthURL     string `json:"authUrl"`
	APIURL      string `json:"apiUrl"`
	ClientID    string `json:"clientId"`
	RedirectURI string `json:"redirectUri"`
}

// Status describes where the backend is connected.
func (d *Desk) Status() Status {
	return Status{
		Environment: string(d.cfg.Env),
		Builtin:     d.sandbox != nil,
		AuthURL:     d.cfg.AuthURL,
		APIURL:      d.cfg.APIURL,
		ClientID:    d.cfg.ClientID,
		RedirectURI: d.cfg.RedirectURI,
	}
}

// Bank is one entry of the bank picker.
type Bank struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	LogoURL string   `json:"logoUrl"`
	Country string   `json:"country"`
	Scopes  []string `json:"scopes"`
}

// Banks lists the providers the configured client may connect, Mock first,
// then by name: the bank picker wants a stable order.
func (d *Desk) Banks(ctx context.Context, countries ...string) ([]Bank, error) {
	ps, err := d.client.Providers(ctx, truelayer.ProvidersQuery{Countries: countries})
	if err != nil {
		return nil, fmt.Errorf("list banks: %w", err)
	}
	if len(ps) == 0 {
		return nil, errors.New("list banks: TrueLayer returned no providers for this client")
	}
	banks := make([]Bank, 0, len(ps))
	for _, p := range ps {
		banks = append(banks, Bank{ID: p.ID, Name: p.DisplayName, LogoURL: p.LogoURL, Country: p.Country, Scopes: p.Scopes})
	}
	sort.SliceStable(banks, func(i, j int) bool {
		if mi, mj := banks[i].ID == "mock", banks[j].ID == "mock"; mi != mj {
			return mi
		}
		return strings.ToLower(banks[i].Name) < strings.ToLower(banks[j].Name)
	})
	return banks, nil
}
