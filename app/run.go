package app

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	goruntime "runtime"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/options/mac"

	"bankdesk/backend/callback"
	"bankdesk/backend/launcher"
)

// Run opens the window and blocks until it closes. icon is the app icon
// (a PNG). args are the process arguments: a bankdesk:// URL among them (a
// cold start by the OS scheme handler) is handled once the window is up.
func Run(a *App, assets fs.FS, icon []byte, args []string) error {
	a.icon = icon
	for _, arg := range args {
		if callback.IsCallbackURL(arg) {
			a.mu.Lock()
			a.coldURL = arg
			a.mu.Unlock()
		}
	}
	keepWebKitOut(a.cfg.DataDir, os.Args[0], os.Getenv)
	return wails.Run(&options.App{
		Title:            "Bankdesk",
		Width:            defaultWidth, // restoreWindow moves it where it last was
		Height:           defaultHeight,
		MinWidth:         minWidth,
		MinHeight:        minHeight,
		AssetServer:      &assetserver.Options{Assets: assets},
		BackgroundColour: &options.RGBA{R: 246, G: 247, B: 249, A: 1},
		Menu:             a.appMenu(goruntime.GOOS),
		OnStartup:        a.startup,
		OnDomReady:       a.domReady,
		OnBeforeClose:    a.beforeClose,
		OnShutdown:       a.shutdown,
		Bind:             []any{a},
		ErrorFormatter:   a.wordError,
		// A second `bankdesk bankdesk://callback?...` (how Linux and Windows
		// invoke a scheme handler) forwards its arguments here and exits.
		SingleInstanceLock: &options.SingleInstanceLock{
			UniqueId:               instanceID(a.cfg.DataDir),
			OnSecondInstanceLaunch: a.secondInstance,
		},
		Mac: &mac.Options{OnUrlOpen: func(u string) { go a.handleURL(u) }},
		// ProgramName names the window for the desktop (bankdesk.desktop's
		// StartupWMClass); WebKit's storage is moved by keepWebKitOut.
		Linux: &linux.Options{ProgramName: launcher.WMClass, Icon: icon},
	})
}

// instanceID makes one instance per data directory: two Bankdesks on
// different data never forward links to each other.
func instanceID(dataDir string) string {
	h := sha256.Sum256([]byte(dataDir))
	return "bankdesk_" + hex.EncodeToString(h[:6])
}

func (a *App) secondInstance(data options.SecondInstanceData) {
	for _, arg := range data.Args {
		if callback.IsCallbackURL(arg) {
			go a.handleURL(arg)
		}
	}
	go a.runtime().Show()
}
