package app

import (
	"context"
	"errors"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"
)

// Runtime is the part of the Wails runtime the app uses. Wails' functions call
// log.Fatal when given a context Wails did not make, so tests use a fake and
// only wailsRuntime touches the real thing.
type Runtime interface {
	EventsEmit(name string, data ...any)
	BrowserOpenURL(url string)
	Show()
	// Notify shows a desktop notification; an error means none could be
	// shown (no notification service), and the app stays in-app only.
	Notify(id, title, body string) error
	// SaveFile asks where to save a file (the native dialog), starting in
	// dir; "" means the user cancelled.
	SaveFile(title, dir, defaultName, pattern string) (string, error)
	desktop // the menu's and the window geometry's (desktop.go)
}

// wailsRuntime forwards to Wails with the context it handed to OnStartup.
type wailsRuntime struct{ ctx context.Context }

func (r wailsRuntime) EventsEmit(name string, data ...any) { wruntime.EventsEmit(r.ctx, name, data...) }
func (r wailsRuntime) BrowserOpenURL(url string)           { wruntime.BrowserOpenURL(r.ctx, url) }
func (r wailsRuntime) Show() {
	wruntime.WindowUnminimise(r.ctx)
	wruntime.WindowShow(r.ctx)
}

func (r wailsRuntime) Notify(id, title, body string) error {
	if !wruntime.IsNotificationAvailable(r.ctx) {
		return errNoNotifications
	}
	if err := wruntime.InitializeNotifications(r.ctx); err != nil {
		return err
	}
	return wruntime.SendNotification(r.ctx, wruntime.NotificationOptions{ID: id, Title: title, Body: body})
}

var errNoNotifications = errors.New("no desktop notification service")

func (r wailsRuntime) SaveFile(title, dir, defaultName, pattern string) (string, error) {
	return wruntime.SaveFileDialog(r.ctx, wruntime.SaveDialogOptions{
		Title:                title,
		DefaultDirectory:     dir,
		DefaultFilename:      defaultName,
		CanCreateDirectories: true,
		Filters:              []wruntime.FileFilter{{DisplayName: pattern, Pattern: pattern}},
	})
}
