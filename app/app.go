// Package app is the thin Wails binding layer: it exposes the backend to the
// frontend and nothing else lives here. Exported methods of App are callable
// from JavaScript, so none of them may return a secret.
package app

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"bankdesk/backend/config"
	"bankdesk/backend/connect"
	"bankdesk/backend/desk"
	"bankdesk/backend/ledger"
	"bankdesk/backend/scheme"
	"bankdesk/backend/vault"
)

// App is bound to the frontend.
type App struct {
	log    *slog.Logger
	cfg    config.Config
	cfgErr error
	open   func(desk.Options) (*desk.Desk, error)

	mu         sync.Mutex
	rt         Runtime
	desk       *desk.Desk
	repairing  bool   // Repair has the data file: backend refuses to open it
	passphrase string // typed by the user when no OS keyring exists
	coldURL    string // a bankdesk:// URL the process was started with
	loopback   io.Closer
	shutDown   bool // the window closed: the backend is never opened again
	damageSeen int  // unreadable records the screens were last told of

	ledgerMu  sync.Mutex
	ledgerIdx *ledger.Ledger

	opened     chan struct{} // closed once the backend is open
	openedOnce sync.Once
}

// New makes an App for the configuration read from the environment. Nothing
// starts until the window is up: a second instance that only forwards a URL
// must not start a sandbox or open the store.
func New(cfg config.Config, cfgErr error, log *slog.Logger) *App {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &App{log: log, cfg: cfg, cfgErr: cfgErr, open: desk.Open, opened: make(chan struct{})}
}

// startup is Wails' OnStartup. It must stay free of side effects because the
// forwarding second instance runs it too before it exits.
func (a *App) startup(ctx context.Context) {
	a.mu.Lock()
	a.rt = wailsRuntime{ctx: ctx}
	a.mu.Unlock()
}

// domReady is Wails' OnDomReady: only the instance that shows a window gets
// here, so this is where the backend starts.
func (a *App) domReady(ctx context.Context) {
	go a.registerScheme()
	go func() {
		if _, err := a.backend(); err == nil {
			a.flushColdURL()
		}
	}()
	go a.afterUnlock(ctx)
}

// afterUnlock starts the background sync schedule once the backend is open
// (which may wait for the user's passphrase).
func (a *App) afterUnlock(ctx context.Context) {
	select {
	case <-ctx.Done():
		return
	case <-a.opened:
	}
	// Keep-alive first: a refresh token near its idle deadline is used
	// before anything else touches the bank.
	a.keepAliveAndRemind(ctx)
	go a.lifecycle(ctx)
	interval := a.cfg.SyncInterval
	if interval <= 0 {
		interval = config.DefaultSyncInterval
	}
	a.schedule(ctx, interval)
}

// registerScheme makes this binary the user's bankdesk:// handler (Linux;
// packaged installs declare it themselves). Failure only costs the deep
// link, so it is logged, not shown.
func (a *App) registerScheme() {
	exe, err := os.Executable()
	if err == nil {
		exe, err = filepath.EvalSymlinks(exe)
	}
	if err != nil {
		a.log.Warn("cannot register bankdesk:// handler", "err", err)
		return
	}
	changed, err := scheme.Register(exe, scheme.DefaultEnv())
	switch {
	case err != nil:
		a.log.Warn("cannot register bankdesk:// handler", "err", err)
	case changed:
		a.log.Info("registered bankdesk:// handler", "exe", exe)
	}
}

// flushColdURL handles the URL of a cold start once the backend is open
// (after the passphrase, where one is needed).
func (a *App) flushColdURL() {
	a.mu.Lock()
	u := a.coldURL
	a.coldURL = ""
	a.mu.Unlock()
	if u != "" {
		a.handleURL(u)
	}
}

func (a *App) shutdown(context.Context) {
	a.mu.Lock()
	d, l := a.desk, a.loopback
	a.desk, a.loopback, a.shutDown = nil, nil, true
	a.mu.Unlock()
	if l != nil {
		_ = l.Close() // the window is closing; nothing is left to tell
	}
	if d != nil {
		_ = d.Close() // every write is committed already; the window is closing
	}
}

var errShutDown = errors.New("Bankdesk is shutting down")

// ErrNeedPassphrase is returned by every call until the user sets or enters
// the vault passphrase on a system without an OS keyring.
var ErrNeedPassphrase = vault.ErrNeedPassphrase

// backend opens the backend on first use; a failure (say, a missing
// passphrase) is retried on the next call.
func (a *App) backend() (*desk.Desk, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.desk != nil {
		return a.desk, nil
	}
	if a.shutDown {
		// A sync started just before the window closed must not open the
		// data directory again (and hold its lock) after shutdown.
		return nil, errShutDown
	}
	if a.repairing {
		return nil, errRepairing
	}
	if a.cfgErr != nil {
		return nil, a.cfgErr
	}
	opts := desk.Options{Config: a.cfg, Log: a.log}
	if p := a.passphrase; p != "" {
		opts.Passphrase = func() (string, error) { return p, nil }
	}
	d, err := a.open(opts)
	if err != nil {
		a.log.Error("backend failed to start", "err", err)
		return nil, err
	}
	if d.Loopback() {
		// The window shows the result; the browser tab says to come back.
		l, err := d.ServeCallbacks(func(res connect.Result, err error) { a.runtime().Show(); a.finishConnect(res, err) })
		if err != nil {
			_ = d.Close() // the error above is the one to report
			return nil, err
		}
		a.loopback = l
	}
	a.desk = d
	a.openedOnce.Do(func() { close(a.opened) })
	return d, nil
}

// Unlock supplies the vault passphrase (creating the vault on first use)
// and opens the backend with it.
func (a *App) Unlock(passphrase string) error {
	if passphrase == "" {
		return errors.New("enter a passphrase")
	}
	a.mu.Lock()
	a.passphrase = passphrase
	a.mu.Unlock()
	if _, err := a.backend(); err != nil {
		if !damaged(err) { // damage means the passphrase was right: Repair needs it
			a.mu.Lock()
			a.passphrase = ""
			a.mu.Unlock()
		}
		return err
	}
	go a.flushColdURL()
	return nil
}

// Status tells the first screen where the app is connected.
func (a *App) Status() (desk.Status, error) {
	d, err := a.backend()
	if err != nil {
		return desk.Status{}, err
	}
	return d.Status(), nil
}

// Banks lists the banks the user can connect.
func (a *App) Banks() ([]desk.Bank, error) {
	d, err := a.backend()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return d.Banks(ctx)
}

// ReportReady is called by the frontend once its first screen has rendered
// real data; tests and the ready log line depend on it rather than on sleeps.
func (a *App) ReportReady(screen string) error {
	if screen == "" {
		return errors.New("ReportReady: screen name required")
	}
	a.log.Info("bankdesk ready", "screen", screen)
	a.mu.Lock()
	rt := a.rt
	a.mu.Unlock()
	if rt != nil {
		rt.EventsEmit("app:ready", screen)
	}
	return nil
}

// VaultStatus tells the first screen whether it must ask for a passphrase.
type VaultStatus struct {
	Ready          bool `json:"ready"`
	NeedPassphrase bool `json:"needPassphrase"` // no OS keyring: ask for the vault passphrase
	NewVault       bool `json:"newVault"`       // no vault yet: the passphrase is being chosen, confirm it
	// Damaged: the data file is damaged; the screen offers Repair.
	Damaged bool   `json:"damaged"`
	Message string `json:"message"` // why the backend did not open, when it did not
}

// Vault opens the backend if it can and says what, if anything, is missing.
func (a *App) Vault() VaultStatus {
	_, err := a.backend()
	switch {
	case err == nil:
		return VaultStatus{Ready: true}
	case errors.Is(err, vault.ErrNeedPassphrase):
		_, statErr := os.Stat(filepath.Join(a.cfg.VaultDir, vault.KeyFileName))
		return VaultStatus{NeedPassphrase: true, NewVault: statErr != nil, Message: "No OS keyring is available, so Bankdesk protects your data with a passphrase."}
	case damaged(err):
		return VaultStatus{Damaged: true, Message: err.Error()}
	default:
		return VaultStatus{Message: err.Error()}
	}
}
