package vault

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"bankdesk/backend/internal/testproc"
	"bankdesk/backend/vault/internal/busguard"
	"github.com/99designs/keyring"
)

// The keyring library registers Secret Service and KWallet only if a
// session bus answers when the process starts, so these checks run in a
// child process started without one.
func TestNoSessionBusNeedsPassphrase(t *testing.T) {
	switch testproc.Mode(t) {
	case "":
	case "bogus-bus":
		checkNoSessionBus(t)
		return
	case "unset-bus":
		checkNoDBusLaunch(t)
		checkNoSessionBus(t)
		return
	default:
		t.Skip("another child test")
	}

	t.Run("bogus address", func(t *testing.T) {
		runChild(t, "bogus-bus", "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/bankdesk-test-bus")
	})
	t.Run("no address", func(t *testing.T) {
		for _, name := range []string{"bus", "dbus-session"} {
			if _, err := os.Stat(fmt.Sprintf("/run/user/%d/%s", os.Getuid(), name)); err == nil {
				t.Skip("a user bus under /run/user is found without an address")
			}
		}
		// A fake dbus-launch records whether anything tried to start a bus.
		bin := t.TempDir()
		script := "#!/bin/sh\ntouch \"$(dirname \"$0\")/ran\"\nexit 1\n"
		if err := os.WriteFile(filepath.Join(bin, "dbus-launch"), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
		runChild(t, "unset-bus", "DBUS_SESSION_BUS_ADDRESS=", "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "FAKE_DBUS_LAUNCH_DIR="+bin)
		if _, err := os.Stat(filepath.Join(bin, "ran")); err == nil {
			t.Fatal("dbus-launch was run: importing vault would leak a dbus-daemon per process")
		}
	})
}

func runChild(t *testing.T, mode string, env ...string) {
	t.Helper()
	child := testproc.Child{Test: "TestNoSessionBusNeedsPassphrase", Mode: mode, Env: env}
	child.Run(t.Context(), t)
}

// checkNoDBusLaunch runs in a child with no bus address at all.
func checkNoDBusLaunch(t *testing.T) {
	if _, err := os.Stat(filepath.Join(os.Getenv("FAKE_DBUS_LAUNCH_DIR"), "ran")); err == nil {
		t.Fatal("dbus-launch ran during init")
	}
	if got, set := os.LookupEnv("DBUS_SESSION_BUS_ADDRESS"); got != "" {
		t.Fatalf("DBUS_SESSION_BUS_ADDRESS = %q (set=%v) after init, want it restored to empty", got, set)
	}
	t.Logf("busguard blocked dbus-launch: %v", busguard.Blocked())
}

func checkNoSessionBus(t *testing.T) {
	avail := keyring.AvailableBackends()
	if slices.Contains(avail, keyring.SecretServiceBackend) {
		t.Fatalf("secret-service registered without a session bus: %v", avail)
	}
	if slices.Contains(avail, keyring.KeyCtlBackend) {
		// A default keyring.Open would pick keyctl here; the vault must not.
		t.Logf("keyctl is registered in this process (available: %v)", avail)
	}

	dir := t.TempDir()
	_, err := Open(Options{Dir: dir})
	if !errors.Is(err, ErrNeedPassphrase) {
		t.Fatalf("Open without bus or passphrase: err = %v, want ErrNeedPassphrase", err)
	}
	var kerr *KeyringError
	if !errors.As(err, &kerr) {
		t.Fatalf("err = %v, want a *KeyringError", err)
	}
	var tried []keyring.BackendType
	for _, f := range kerr.Failures {
		tried = append(tried, f.Backend)
	}
	if !slices.Equal(tried, defaultBackends) {
		t.Fatalf("tried %v, want exactly %v", tried, defaultBackends)
	}
	assertNoKeyFile(t, dir)

	v, err := Open(Options{Dir: dir, Passphrase: fixedPassphrase(goodPass)})
	if err != nil {
		t.Fatal(err)
	}
	if v.Backend() != BackendFile {
		t.Fatalf("Backend() = %q, want file", v.Backend())
	}
}
