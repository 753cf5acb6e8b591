package cli

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	"testing"

	"bankdesk/backend/internal/spectest"
)

// execEnv makes this test binary act as the bankdesk command line (its
// arguments are the command's), so tests can run commands in separate
// processes, and kill them, without building the desktop app.
const execEnv = "BANKDESK_TEST_EXEC_CLI"

// These tests talk to the built-in sandbox; every response is validated
// against TrueLayer's OpenAPI specs.
func TestMain(m *testing.M) {
	if os.Getenv(execEnv) == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := Main(ctx, IO{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}, os.Args[1:])
		stop()
		os.Exit(code)
	}
	os.Exit(spectest.Main(m))
}
