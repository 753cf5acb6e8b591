// Command bankdesk is the Bankdesk desktop app and its command line.
package main

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"bankdesk/app"
	"bankdesk/backend/cli"
	"bankdesk/backend/config"
	"bankdesk/backend/scheme"
)

//go:embed all:frontend/dist
var assets embed.FS

// icon is the app icon: the window's, and the launcher entry's on Linux.
//
//go:embed build/appicon.png
var icon []byte

func main() {
	// A bankdesk:// link in the arguments carries the bank's code: out of
	// the process list before anything else runs (SECURITY.md).
	scheme.HideCallbackArgs()
	args := os.Args[1:]
	if cli.IsCommand(args) {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := cli.Main(ctx, cli.IO{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}, args)
		stop()
		os.Exit(code)
	}

	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	cfg, cfgErr := config.FromEnv(os.Getenv)
	dist, err := fs.Sub(assets, "frontend/dist")
	if err != nil {
		fmt.Fprintln(os.Stderr, "bankdesk:", err)
		os.Exit(1)
	}
	if err := app.Run(app.New(cfg, cfgErr, log), dist, icon, args); err != nil {
		fmt.Fprintln(os.Stderr, "bankdesk:", err)
		os.Exit(1)
	}
}
