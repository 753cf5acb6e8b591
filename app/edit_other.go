//go:build !(linux && (desktop || dev) && !bindings)

package app

import (
	"context"
	"strconv"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"
)

// webViewEdit runs an Edit menu command where Wails has no Edit role and
// the web view is not WebKitGTK (Windows' WebView2): through the page's
// document.execCommand. macOS never gets here (its Edit menu is the
// system's).
func webViewEdit(ctx context.Context, command string) {
	wruntime.WindowExecJS(ctx, "document.execCommand("+strconv.Quote(command)+")")
}
