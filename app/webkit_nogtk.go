//go:build !(linux && (desktop || dev) && !bindings)

package app

// separateWebKitStorage only matters to the Linux desktop build (see
// webkit_gtk.go); the command-line build and tests have no web view.
func separateWebKitStorage(string, string) {}
