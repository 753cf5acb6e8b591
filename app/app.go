// Package app is the thin Wails binding layer: it exposes the backend to the
// frontend and nothing else lives here. Exported methods of App are callable
// from JavaScript, so none of them may return a secret.
package app

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"bankdesk/backend/config"
	"bankdesk/backend/desk"
)

// App is bound to the frontend.
type App struct {
	log    *slog.Logger
	cfg    config.Config
	cfgErr error
	open   func(config.Config, *slog.Logger) (*desk.Desk, error)

	mu   sync.Mutex
	rt   Runtime
	desk *desk.Desk
	err  error
	once sync.Once
	done chan struct{}
}

// New makes an App for the configuration read from the environment. Nothing
// starts until the window is up: a second instance that only forwards a URL
// must not start a sandbox or open the store.
func New(cfg config.Config, cfgErr error, log *slog.Logger) *App {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &App{log: log, cfg: cfg, cfgErr: cfgErr, open: desk.Open, done: make(chan struct{})}
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
func (a *App) domReady(context.Context) { go a.backend() }

func (a *App) shutdown(context.Context) {
	a.mu.Lock()
	d := a.desk
	a.mu.Unlock()
	if d != nil {
		d.Close()
	}
}

// backend opens the backend once and waits for it.
func (a *App) backend() (*desk.Desk, error) {
	a.once.Do(func() {
		defer close(a.done)
		if a.cfgErr != nil {
			a.err = a.cfgErr
			return
		}
		d, err := a.open(a.cfg, a.log)
		a.mu.Lock()
		a.desk, a.err = d, err
		a.mu.Unlock()
		if err != nil {
			a.log.Error("backend failed to start", "err", err)
		}
	})
	<-a.done
	return a.desk, a.err
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
