package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"bankdesk/backend/internal/fakebus"
)

// keyringProbe starts `bankdesk accounts` in auto keyring mode on a private
// session bus whose Secret Service takes calls and never answers, and
// returns once the process is waiting for it.
func keyringProbe(t *testing.T) (wait func() (string, int), signal func(os.Signal)) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("Secret Service is reached over D-Bus on Linux only")
	}
	addr := fakebus.Start(t)
	calls := fakebus.Hang(t, addr, "org.freedesktop.secrets")
	cmd := process(map[string]string{
		"BANKDESK_ENV": "sandbox", "BANKDESK_AUTH_URL": "http://127.0.0.1:9", "BANKDESK_API_URL": "http://127.0.0.1:9",
		"BANKDESK_DATA_DIR": filepath.Join(t.TempDir(), "data"),
	}, "accounts")
	cmd.Env = append(cmd.Env, "DBUS_SESSION_BUS_ADDRESS="+addr)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() }) // gone already, or now
	select {
	case <-calls:
	case <-time.After(30 * time.Second):
		t.Fatal("bankdesk never asked the Secret Service")
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }() // wait reads the exit code
	wait = func() (string, int) {
		t.Helper()
		// A bound, not a measurement: without a deadline the process
		// waits for D-Bus's own two minutes or for ever.
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		select {
		case <-exited:
		case <-ctx.Done():
			t.Fatalf("bankdesk accounts still waiting for the keyring after a minute; stderr so far: %s", stderr.String())
		}
		return stderr.String(), cmd.ProcessState.ExitCode()
	}
	return wait, func(s os.Signal) { _ = cmd.Process.Signal(s) } // wait tells what it did
}

// Ctrl+C while the keyring does not answer ends the command at once, and
// says what it was waiting for. Before, the signal was taken but the
// keyring call could not be cancelled, so only SIGKILL stopped it.
func TestKeyringProbeStopsOnCtrlC(t *testing.T) {
	wait, signal := keyringProbe(t)
	signal(syscall.SIGINT)
	stderr, code := wait()
	if code != 1 || !strings.Contains(stderr, "interrupted while waiting for the OS keyring (Secret Service)") {
		t.Fatalf("after Ctrl+C: exit %d, stderr %q", code, stderr)
	}
}

// Left alone, the probe gives up after 5 s and names the backend.
func TestKeyringProbeHasADeadline(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the 5 s keyring deadline")
	}
	wait, _ := keyringProbe(t)
	stderr, code := wait()
	if code != 1 || !strings.Contains(stderr, "the OS keyring (Secret Service) did not answer within 5 s") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
}
