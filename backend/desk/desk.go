// Package desk ties Bankdesk's backend together for its two front ends, the
// desktop window and the command line: configuration, the encrypted store,
// the TrueLayer client, the connect flow, the token keeper and the sync
// engine and, for the default environment, the in-process sandbox.
package desk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"bankdesk/backend/config"
	"bankdesk/backend/connect"
	"bankdesk/backend/consent"
	"bankdesk/backend/datadir"
	"bankdesk/backend/internal/wiring"
	"bankdesk/backend/ledger"
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
	// Sink hears what the desk reports unasked (Run, StartSync, logins
	// completed through the loopback port); nil discards it.
	Sink Sink
	// Ticker makes Run's tickers; nil means time.NewTicker.
	Ticker Ticker
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

	sink    Sink
	ticker  Ticker
	closed  chan struct{} // closed by Close: Run returns
	closing sync.Once

	ledgerMu   sync.Mutex
	ledgerIdx  *ledger.Ledger // the screens' index, loaded on first use
	damageSeen int            // unreadable records the Sink was last told of

	completeMu sync.Mutex // one completion at a time sets the flow's options

	scheduleMu sync.Mutex // one write of the schedule file at a time
	loginMu    sync.Mutex
	login      connect.Link // the last auth link handed out (LoginLink)

	runMu   sync.Mutex
	running map[string]*run // desk syncs under way, by connection
	held    map[string]int  // connections a new consent is taking over (Flow.Hold)
}

// Open starts what the configuration needs. For the builtin environment with
// no explicit URLs it starts the sandbox on loopback and uses its built-in
// client credentials, so a new user needs nothing from TrueLayer.
func Open(opts Options) (_ *Desk, err error) {
	d := &Desk{cfg: opts.Config, log: opts.Log, now: opts.Now, sink: opts.Sink, ticker: opts.Ticker, closed: make(chan struct{})}
	if d.sink == nil {
		d.sink = nopSink{}
	}
	if d.ticker == nil {
		d.ticker = realTicker
	}
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
		opts := d.sandboxOptions()
		sb, err := sandbox.Start(opts)
		if err != nil && opts.State != nil {
			d.log.Warn("built-in sandbox: its saved state does not restore; it starts afresh", "err", err)
			opts.State = nil
			sb, err = sandbox.Start(opts)
		}
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
	s := wiring.New(wiring.Options{
		Store: d.store, Client: d.client, Now: d.now, Log: d.log, Country: d.providerCountry, Listed: d.providerName,
		RedirectURI: d.cfg.RedirectURI, Providers: defaultProviders(d.cfg.Env), Hold: d.hold,
	})
	d.tokens, d.syncer, d.flow, d.consent = s.Tokens, s.Syncer, s.Flow, s.Consent
	if d.Loopback() {
		d.flow.ResponseMode = "form_post"
	}
	d.keepSchedule()
	d.log.Info("backend ready", "env", d.cfg.Env, "auth_url", d.cfg.AuthURL, "api_url", d.cfg.APIURL, "keyring", d.vault.Backend())
	return d, nil
}

// sandboxOptions start the built-in sandbox from the state it kept in the
// store at its last run, and keep its state there as it changes (sealed,
// like every record), so its connections survive a restart as a real
// bank's do. It runs on the desk's clock, as a bank shares the computer's
// time: a test that moves one moves both.
func (d *Desk) sandboxOptions() sandbox.Options {
	opts := sandbox.Options{Logger: d.log.With("component", "sandbox"), Now: d.now}
	if raw, err := d.store.Setting(store.SettingBuiltinSandbox); err == nil {
		opts.State = raw
	} else if !errors.Is(err, store.ErrNotFound) {
		d.log.Warn("built-in sandbox: its saved state does not read; it starts afresh", "err", err)
	}
	opts.Persist = func(state []byte) {
		if err := d.store.PutSetting(store.SettingBuiltinSandbox, state); err != nil {
			d.log.Warn("built-in sandbox: state not saved", "err", err)
		}
	}
	return opts
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
	d.closing.Do(func() { close(d.closed) })
	var errs []error
	if d.dir != nil {
		errs = append(errs, d.dir.Close())
	}
	if d.sandbox != nil {
		errs = append(errs, d.sandbox.Close())
	}
	return errors.Join(errs...)
}

// The parts, for tests and diagnostics only: the window and the command
// line go through the use cases above, never through these.

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
