package notify

import (
	"context"
	"os/exec"
	"strings"
)

// script reads the title and body from its arguments, so no text is ever
// parsed as AppleScript: nothing to escape, nothing to inject.
var script = []string{
	"-e", "on run argv",
	"-e", "display notification (item 2 of argv) with title (item 1 of argv)",
	"-e", "end run",
}

// send runs osascript's `display notification`, the notification Script
// Editor would show (the macOS notification centre).
func send(ctx context.Context, n Notification) error {
	path, err := exec.LookPath("osascript")
	if err != nil {
		return &UnavailableError{Why: "no osascript", Err: err}
	}
	args := append(append([]string{}, script...), n.Title, n.Body)
	if out, err := exec.CommandContext(ctx, path, args...).CombinedOutput(); err != nil {
		return &UnavailableError{Why: "osascript failed: " + strings.TrimSpace(string(out)), Err: err}
	}
	return nil
}
