// Package app is the thin Wails binding layer: each exported method of App
// calls the backend (package desk), and the window's Sink turns what the
// backend reports into Wails events. No timer, schedule or domain rule
// lives here. Exported methods are callable from JavaScript, so none of
// them may return a secret; every type they exchange is in package view.
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
	"bankdesk/backend/desk"
	"bankdesk/backend/launcher"
	"bankdesk/backend/scheme"
	"bankdesk/backend/vault"
	"bankdesk/backend/view"
)

// App is bound to the frontend.
type App struct {
	log    *slog.Logger
	cfg    config.Config // what the backend is opened with; it decides the rest
	cfgErr error
	open   func(desk.Options) (*desk.Desk, error)
	icon   []byte // the app icon (build/appicon.png), for the window and the launcher entry

	mu         sync.Mutex
	rt         Runtime
	desk       *desk.Desk
	dataBusy   bool   // Repair or ChangePassphrase has the data file: backend refuses to open it
	passphrase string // typed by the user when no OS keyring exists
	locked     bool   // Lock closed the vault: nothing opens it but Unlock
	coldURL    string // a bankdesk:// URL the process was started with
	loopback   io.Closer
	shutDown   bool   // the window closed: the backend is never opened again
	placed     bool   // the window's saved place was restored (or there was none)
	exported   string // the file the last export wrote (OpenExport, ShowExport)

	opened chan *desk.Desk // each backend opened, for runBackground
}

// New makes an App for the configuration read from the environment. Nothing
// starts until the window is up: a second instance that only forwards a URL
// must not start a sandbox or open the store.
func New(cfg config.Config, cfgErr error, log *slog.Logger) *App {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &App{log: log, cfg: cfg, cfgErr: cfgErr, open: desk.Open, opened: make(chan *desk.Desk, 1)}
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
		if d, err := a.backend(); err == nil {
			a.restoreWindow(d)
			a.flushColdURL()
		}
	}()
	go a.runBackground(ctx)
}

// runBackground hands the window's lifetime to desk.Run once the backend
// is open (which may wait for the user's passphrase), and to the new one
// when a repair reopened it.
func (a *App) runBackground(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case d := <-a.opened:
			d.Run(ctx) // until ctx ends or d is closed
		}
	}
}

// registerScheme makes this binary the user's bankdesk:// handler and
// installs its launcher entry and icon (Linux; packaged installs declare
// both themselves). Failure only costs the deep link or the menu entry, so
// it is logged, not shown.
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
	if a.icon == nil {
		return
	}
	changed, err = launcher.Install(exe, a.icon, os.Getenv)
	switch {
	case err != nil:
		a.log.Warn("cannot install the launcher entry", "err", err)
	case changed:
		a.log.Info("installed the launcher entry", "exe", exe)
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
	a.closeBackend(d, l)
}

var errShutDown = errors.New("Bankdesk is shutting down")

// windowLockWait is how long the window waits for the data directory's
// lock: the background job (`bankdesk keepalive`) holds it for a few
// seconds a day, and a window opened just then waits it out rather than
// saying another Bankdesk runs.
const windowLockWait = 15 * time.Second

// options are what the backend opens with; the caller holds a.mu.
func (a *App) options() desk.Options {
	opts := desk.Options{Config: a.cfg, Log: a.log, Sink: sink{a}, LockTimeout: windowLockWait}
	if p := a.passphrase; p != "" {
		opts.Passphrase = func() (string, error) { return p, nil }
	} else if a.locked { // not even BANKDESK_PASSPHRASE opens it again
		opts.Passphrase = func() (string, error) { return "", vault.ErrNeedPassphrase }
	}
	return opts
}

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
	if a.dataBusy {
		return nil, errDataBusy
	}
	if a.cfgErr != nil {
		return nil, a.cfgErr
	}
	d, err := a.open(a.options())
	if err != nil {
		a.log.Error("backend failed to start", "err", err)
		return nil, err
	}
	if d.Loopback() {
		l, err := d.ServeCallbacks()
		if err != nil {
			_ = d.Close() // the error above is the one to report
			return nil, err
		}
		a.loopback = l
	}
	a.desk = d
	select {
	case a.opened <- d:
	default: // a reopened backend replaces one runBackground never took
		<-a.opened
		a.opened <- d
	}
	return d, nil
}

// Unlock supplies the vault passphrase (creating the vault on first use)
// and opens the backend with it.
func (a *App) Unlock(passphrase string) error {
	if passphrase == "" {
		return desk.ErrNoPassphrase
	}
	a.mu.Lock()
	a.passphrase, a.locked = passphrase, false
	a.mu.Unlock()
	if _, err := a.backend(); err != nil {
		if !desk.IsDamaged(err) { // damage means the passphrase was right: Repair needs it
			a.mu.Lock()
			a.passphrase = ""
			a.mu.Unlock()
		}
		return err
	}
	go a.flushColdURL()
	return nil
}

// Vault opens the backend if it can and says what, if anything, is missing.
func (a *App) Vault() view.VaultStatus {
	_, err := a.backend()
	return desk.VaultStatus(a.cfg, err)
}

// Status tells the first screen where the app is connected.
func (a *App) Status() (view.Status, error) {
	d, err := a.backend()
	if err != nil {
		return view.Status{}, err
	}
	return d.Status(), nil
}

// ReportReady is called by the frontend once its first screen has rendered
// real data: the log line it writes is what tests and launch scripts wait
// for rather than sleeping.
func (a *App) ReportReady(screen string) error {
	if screen == "" {
		return errors.New("ReportReady: screen name required")
	}
	a.log.Info("bankdesk ready", "screen", screen)
	return nil
}

// ReportScreen is called by the frontend once a screen or form the app
// menu asked for is drawn: the log line says what the window shows, for
// support and for the tests that drive the real window's menu.
func (a *App) ReportScreen(screen string) error {
	if screen == "" {
		return errors.New("ReportScreen: screen name required")
	}
	a.log.Info("screen shown", "screen", screen)
	return nil
}

// EventPayloads exists for its type: binding it makes Wails generate the
// events' payload types for the frontend (view.EventPayloads).
func (a *App) EventPayloads() view.EventPayloads { return view.EventPayloads{} }
