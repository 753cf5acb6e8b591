package app

import (
	"io/fs"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
)

// Run opens the window and blocks until it closes.
func Run(a *App, assets fs.FS) error {
	return wails.Run(&options.App{
		Title:            "Bankdesk",
		Width:            1200,
		Height:           800,
		MinWidth:         800,
		MinHeight:        560,
		AssetServer:      &assetserver.Options{Assets: assets},
		BackgroundColour: &options.RGBA{R: 246, G: 247, B: 249, A: 1},
		OnStartup:        a.startup,
		OnDomReady:       a.domReady,
		OnShutdown:       a.shutdown,
		Bind:             []any{a},
		Linux:            &linux.Options{ProgramName: "bankdesk"},
	})
}
