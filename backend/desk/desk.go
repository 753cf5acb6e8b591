// Package desk ties Bankdesk's backend together for its two front ends, the
// desktop window and the command line: configuration, the encrypted store,
// the TrueLayer client, the connect flow, the token keeper and the sync
// engine and, for the default environment, the in-process sandbox.
package desk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"

	"bankdesk/backend/config"
	"bankdesk/backend/connect"
	"bankdesk/backend/consent"
	"bankdesk/backend/datadir"
	"bankdesk/backend/sandbox"
	"bankdesk/backend/store"
	"bankdesk/backend/syncer"
	"bankdesk/backend/tokens"
	"bankdesk/backend/truelayer"
	"bankdesk/backend/vault"
)

// Options configures Open.
type Options struct {
	Config config.Config
	Log    *slog.Logger
	// Passphrase unlocks (or creates) the file vault when no OS keyring is
	// available; nil falls back to Config.Passphrase.
	Passphrase func() (string, error)
	Now        func() time.Time
	// LockTimeout bounds the wait for the data directory's lock; a second
	// process gets store.ErrAlreadyRunning instead of hanging.
	LockTimeout time.Duration
	// Context, when it ends (Ctrl+C), stops the wait for an OS keyring
	// that does not answer; nil means none.
	Context context.Context
}

// Desk is an opened backend. Close it to release the data file and stop the
// built-in sandbox.
type Desk struct {
	cfg     config.Config
	log     *slog.Logger
	now     func() time.Time
	sandbox *sandbox.Server // nil unless the built-in sandbox runs in-process
	dir     *datadir.Opened // the data directory: its lock, vault and store
	vault   *vault.Vault
	store   *store.Store
	client  *truelayer.Client
	flow    *connect.Flow
	tokens  *tokens.Keeper
	syncer  *syncer.Engine
	consent *consent.Service

	runMu   sync.Mutex
	running map[string]*run // desk syncs under way, by connection
	held    map[string]int  // connections a new consent is taking over (Flow.Hold)
}

// Open starts what the configuration needs. For the builtin environment with
// no explicit URLs it starts the sandbox on loopback and uses its built-in
// client credentials, so a new user needs nothing from TrueLayer.
func Open(opts Options) (_ *Desk, err error) {
	d := &Desk{cfg: opts.Config, log: opts.Log, now: opts.Now}
	if d.log == nil {
		d.log = slog.New(slog.DiscardHandler)
	}
	if d.now == nil {
		d.now = time.Now
	}
	defer func() {
		if err != nil {
			_ = d.Close() // err is the one to report
		}
	}()
	if err := d.openStore(opts); err != nil {
		return nil, err
	}
	if err := d.applySavedEnvironment(); err != nil {
		return nil, err
	}
	if d.cfg.Builtin() {
		sb, err := sandbox.Start(sandbox.Options{Logger: d.log.With("component", "sandbox")})
		if err != nil {
			return nil, fmt.Errorf("start built-in sandbox: %w", err)
		}
		d.sandbox = sb
		d.cfg.AuthURL, d.cfg.APIURL = sb.AuthURL(), sb.APIURL()
	}
	if err := d.resolveCredentials(); err != nil {
		return nil, err
	}
	d.client, err = truelayer.New(truelayer.Config{
		AuthURL:      d.cfg.AuthURL,
		APIURL:       d.cfg.APIURL,
		ClientID:     d.cfg.ClientID,
		ClientSecret: d.cfg.ClientSecret,
		RedirectURI:  d.cfg.RedirectURI,
		ExtendPath:   d.cfg.ExtendPath,
		PollInterval: pollInterval(d.cfg.APIURL),
	})
	if err != nil {
		return nil, fmt.Errorf("truelayer client: %w", err)
	}
	d.tokens = &tokens.Keeper{Store: d.store, Client: d.client, Now: d.now}
	d.syncer = syncer.New(syncer.Options{
		Store: d.store, Client: d.client, Tokens: d.tokens, Now: d.now,
		Log: d.log.With("component", "sync"), Country: d.providerCountry,
	})
	d.flow = &connect.Flow{
		Store:       d.store,
		Client:      d.client,
		RedirectURI: d.cfg.RedirectURI,
		Providers:   defaultProviders(d.cfg.Env),
		Now:         d.now,
		Log:         d.log,
	}
	if d.Loopback() {
		d.flow.ResponseMode = "form_post"
	}
	d.flow.Hold = d.hold
	d.consent = &consent.Service{
		Store: d.store, Client: d.client, Tokens: d.tokens, Flow: d.flow, Now: d.now,
		Log: d.log.With("component", "consent"), Country: d.providerCountry,
	}
	d.log.Info("backend ready", "env", d.cfg.Env, "auth_url", d.cfg.AuthURL, "api_url", d.cfg.APIURL, "keyring", d.vault.Backend())
	return d, nil
}

// openStore opens the data directory (package datadir): its lock first,
// then the vault, then the store.
func (d *Desk) openStore(opts Options) error {
	ctx, o := dirOptions(opts)
	dir, err := datadir.Open(ctx, o)
	if err != nil {
		return err
	}
	d.dir, d.vault, d.store = dir, dir.Vault, dir.Store
	return nil
}

// dirOptions are where opts says the data directory's parts are.
func dirOptions(opts Options) (context.Context, datadir.Options) {
	cfg := opts.Config
	pass := opts.Passphrase
	if pass == nil && cfg.Passphrase != "" {
		p := cfg.Passphrase
		pass = func() (string, error) { return p, nil }
	}
	ctx := opts.Context
	if ctx == nil {
		ctx = context.Background()
	}
	return ctx, datadir.Options{
		Store:       cfg.StorePath(),
		Vault:       vault.Options{Mode: vault.Mode(cfg.Keyring), Dir: cfg.VaultDir, Passphrase: pass},
		LockTimeout: opts.LockTimeout,
	}
}

// Close releases everything Open took. It is safe on a partly opened Desk.
func (d *Desk) Close() error {
	var errs []error
	if d.dir != nil {
		errs = append(errs, d.dir.Close())
	}
	if d.sandbox != nil {
		errs = append(errs, d.sandbox.Close())
	}
	return errors.Join(errs...)
}

// Client is the TrueLayer client for the configured environment.
func (d *Desk) Client() *truelayer.Client { return d.client }

// Flow connects and disconnects banks.
func (d *Desk) Flow() *connect.Flow { return d.flow }

// Consent keeps connections alive, reminds before their deadlines and
// renews their consents.
func (d *Desk) Consent() *consent.Service { return d.consent }

// Store is the encrypted store.
func (d *Desk) Store() *store.Store { return d.store }

// Config is the effective configuration (URLs filled in for the sandbox).
func (d *Desk) Config() config.Config { return d.cfg }

// Sandbox is the in-process sandbox, or nil.
func (d *Desk) Sandbox() *sandbox.Server { return d.sandbox }

// defaultProviders is the auth link's providers parameter: the Mock bank is
// only offered where it exists.
func defaultProviders(env truelayer.Environment) []string {
	if env == truelayer.EnvLive {
		return []string{"uk-ob-all", "uk-oauth-all"}
	}
	return []string{"uk-cs-mock", "uk-ob-all", "uk-oauth-all"}
}

// Status is what the first screen shows. It carries no secret.
type Status struct {
	Environment string `json:"environment"` // builtin, sandbox or live
	Builtin     bool   `json:"builtin"`     // the in-process sandbox answers
	AuthURL     string `json:"authUrl"`
	APIURL      string `json:"apiUrl"`
	ClientID    string `json:"clientId"`
	RedirectURI string `json:"redirectUri"`
	Keyring     string `json:"keyring"` // where the data key lives: secret-service, keychain, file, ...
	DataDir     string `json:"dataDir"`
	// SyncIntervalMinutes is the background sync period of the open app.
	SyncIntervalMinutes int `json:"syncIntervalMinutes"`
	// Damaged counts saved records that could not be read and were left
	// out (store.Damaged): the screen offers a repair. DamagedFile says
	// the file itself lost a part (a bucket, a header page).
	Damaged     int  `json:"damaged"`
	DamagedFile bool `json:"damagedFile"`
}

// Status describes where the backend is connected.
func (d *Desk) Status() Status {
	records, file := 0, false
	for _, x := range d.Damaged() {
		if x.Bucket == "file" {
			file = true
		} else {
			records++
		}
	}
	return Status{
		Environment: string(d.cfg.Env),
		Builtin:     d.sandbox != nil,
		AuthURL:     d.cfg.AuthURL,
		APIURL:      d.cfg.APIURL,
		ClientID:    d.cfg.ClientID,
		RedirectURI: d.cfg.RedirectURI,
		Keyring:     d.vault.Backend(),
		DataDir:     d.cfg.DataDir,

		SyncIntervalMinutes: int(d.cfg.SyncInterval.Minutes()),
		Damaged:             records,
		DamagedFile:         file,
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

// providersMaxAge is how long the bank list is served from the store before
// TrueLayer is asked again: banks join and leave rarely.
const providersMaxAge = 30 * 24 * time.Hour

type cachedProviders struct {
	Env       string `json:"env"`
	ClientID  string `json:"client_id"`
	Countries string `json:"countries"`
	Banks     []Bank `json:"banks"`
}

// Banks lists the providers the configured client may connect, Mock first,
// then by name. TrueLayer's list is cached in the store for a month (and
// served stale when TrueLayer cannot be reached); the built-in sandbox's
// local list is never cached, as its address changes at each start.
func (d *Desk) Banks(ctx context.Context, countries ...string) ([]Bank, error) {
	key := strings.Join(countries, " ")
	cached, fetchedAt, hit := d.cachedBanks(key)
	if hit && d.sandbox == nil && d.now().Sub(fetchedAt) < providersMaxAge {
		return cached, nil
	}
	ps, err := d.client.Providers(ctx, truelayer.ProvidersQuery{Countries: countries})
	if err != nil {
		if hit && d.sandbox == nil {
			d.log.Warn("bank list: using the cached one", "err", err, "fetched_at", fetchedAt)
			return cached, nil
		}
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
	if d.sandbox == nil {
		raw, _ := json.Marshal(cachedProviders{Env: string(d.cfg.Env), ClientID: d.cfg.ClientID, Countries: key, Banks: banks})
		if err := d.store.PutProviders(d.now(), raw); err != nil {
			d.log.Warn("bank list: cache not saved", "err", err)
		}
	}
	return banks, nil
}

// providerCountry is a provider's country from the cached bank list, or ""
// when the list is not cached or does not have it (consent.IsEU then goes by
// the provider id). Any cached country filter will do: a bank's country
// does not depend on it.
func (d *Desk) providerCountry(providerID string) string {
	raw, _, err := d.store.Providers()
	if err != nil {
		return ""
	}
	var c cachedProviders
	if json.Unmarshal(raw, &c) != nil || c.Env != string(d.cfg.Env) {
		return ""
	}
	for _, b := range c.Banks {
		if b.ID == providerID {
			return b.Country
		}
	}
	return ""
}

// cachedBanks is the stored list when it was made for this environment,
// client and country filter.
func (d *Desk) cachedBanks(countries string) ([]Bank, time.Time, bool) {
	raw, fetchedAt, err := d.store.Providers()
	if err != nil {
		return nil, time.Time{}, false
	}
	var c cachedProviders
	if json.Unmarshal(raw, &c) != nil || c.Env != string(d.cfg.Env) || c.ClientID != d.cfg.ClientID || c.Countries != countries || len(c.Banks) == 0 {
		return nil, time.Time{}, false
	}
	return c.Banks, fetchedAt, true
}
