package vault

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/99designs/keyring"

	"bankdesk/backend/internal/fakebus"
	"bankdesk/backend/internal/testproc"
)

// On a real D-Bus session bus whose org.freedesktop.secrets takes calls and
// never answers (D-Bus itself would wait two minutes), Open gives up after
// KeyringTimeout, names Secret Service, and Ctrl+C ends the wait at once.
// The checks run in a child process started on that bus: the keyring
// library registers Secret Service only if a session bus answers when the
// process starts.
func TestKeyringDeadlineOnARealBus(t *testing.T) {
	if testproc.Mode(t) != "" {
		keyringDeadlineChild(t)
		return
	}
	addr := fakebus.Start(t)
	calls := fakebus.Hang(t, addr, "org.freedesktop.secrets")

	// Bounded, so a deadline that does not hold fails here instead of
	// stalling the suite.
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	child := testproc.Child{Test: "TestKeyringDeadlineOnARealBus", Env: []string{"DBUS_SESSION_BUS_ADDRESS=" + addr}}
	child.Run(ctx, t)
	select {
	case call := <-calls:
		t.Logf("the fake Secret Service took %s and never answered", call)
	default:
		t.Fatal("the fake Secret Service was never called: the test proved nothing")
	}
}

func keyringDeadlineChild(t *testing.T) {
	if !slices.Contains(keyring.AvailableBackends(), keyring.SecretServiceBackend) {
		t.Fatalf("secret-service not registered on the private bus (available: %v)", keyring.AvailableBackends())
	}
	o := Options{Dir: t.TempDir(), Backends: []keyring.BackendType{keyring.SecretServiceBackend}, KeyringTimeout: 300 * time.Millisecond}
	_, err := Open(o)
	var te *KeyringTimeoutError
	if !errors.Is(err, ErrNeedPassphrase) || !errors.As(err, &te) || te.Backend != keyring.SecretServiceBackend {
		t.Fatalf("err = %v, want ErrNeedPassphrase with a Secret Service timeout", err)
	}
	if !strings.Contains(err.Error(), "the OS keyring (Secret Service) did not answer within 300ms") {
		t.Fatalf("message %q does not name the backend and the deadline", err)
	}

	o.KeyringTimeout = time.Hour
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel) // Ctrl+C while the keyring is being asked
	_, err = OpenContext(ctx, o)
	var ie *InterruptedError
	if !errors.Is(err, context.Canceled) || !errors.As(err, &ie) || ie.Backend != keyring.SecretServiceBackend {
		t.Fatalf("err = %v, want an interruption naming Secret Service", err)
	}
	assertNoKeyFile(t, o.Dir)
}
