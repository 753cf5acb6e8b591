package scheme

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"bankdesk/backend/internal/testproc"
)

// In a process started with a callback URL among its arguments, the code
// no longer shows in /proc/PID/cmdline (what ps prints to any local user),
// while os.Args still carries the whole URL for the program.
func TestHideCallbackArgs(t *testing.T) {
	const link = "bankdesk://callback?code=SECRETCODE123&state=S"
	child := testproc.Child{Test: "TestHideCallbackArgsChild", Args: []string{link}}
	out := child.Run(t.Context(), t)
	cmdline, args, _ := strings.Cut(out, "\n--\n")
	if strings.Contains(cmdline, "SECRETCODE123") || !strings.Contains(cmdline, "bankdesk://callback?xxx") {
		t.Errorf("/proc/self/cmdline still shows the code: %q", cmdline)
	}
	if !strings.Contains(args, link+"\n") {
		t.Errorf("os.Args lost the URL: %q", args)
	}
}

// TestHideCallbackArgsChild is the child process of TestHideCallbackArgs.
func TestHideCallbackArgsChild(t *testing.T) {
	if testproc.Mode(t) == "" {
		t.Skip("run by TestHideCallbackArgs")
	}
	HideCallbackArgs()
	HideCallbackArgs() // twice is harmless
	b, err := os.ReadFile("/proc/self/cmdline")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = os.Stdout.Write(bytes.ReplaceAll(b, []byte{0}, []byte{' '}))
	_, _ = os.Stdout.WriteString("\n--\n" + strings.Join(os.Args, "\n") + "\n")
}
