package vault

import (
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/99designs/keyring"
)

// TestSecretServiceRealKeyring runs against a real Secret Service daemon:
//
//	dbus-run-session -- sh -c 'printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null;
//	  BANKDESK_TEST_SECRET_SERVICE=1 go test -run SecretService -v ./backend/vault/'
func TestSecretServiceRealKeyring(t *testing.T) {
	if os.Getenv("BANKDESK_TEST_SECRET_SERVICE") != "1" {
		t.Skip("set BANKDESK_TEST_SECRET_SERVICE=1 inside a session with gnome-keyring to run")
	}
	service := fmt.Sprintf("bankdesk-test-%d-%d", os.Getpid(), time.Now().UnixNano())
	opts := Options{Dir: t.TempDir(), Service: service, Backends: []keyring.BackendType{keyring.SecretServiceBackend}}
	t.Cleanup(func() {
		if m, err := readMarker(opts.Dir); err == nil && m != nil {
			removeSecretServiceItem(t, service, m.Item)
		}
	})

	v1, err := Open(opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if v1.Backend() != "secret-service" {
		t.Fatalf("Backend() = %q, want secret-service", v1.Backend())
	}
	sealed := mustSeal(t, v1, "tokens", "acc-1", "refresh-token")
	v1.Close()

	v2, err := Open(opts)
	if err != nil {
		t.Fatalf("second Open: %v", err)
	}
	defer v2.Close()
	if v2.Backend() != "secret-service" {
		t.Fatalf("second Backend() = %q", v2.Backend())
	}
	if got := mustUnseal(t, v2, "tokens", "acc-1", sealed); got != "refresh-token" {
		t.Fatalf("Unseal = %q", got)
	}
	assertNoKeyFile(t, opts.Dir)
}

func removeSecretServiceItem(t *testing.T, service, item string) {
	ring, err := keyring.Open(keyringConfig(keyring.SecretServiceBackend, service))
	if err != nil {
		t.Errorf("cleanup: open keyring: %v", err)
		return
	}
	if err := ring.Remove(item); err != nil {
		t.Errorf("cleanup: remove %q: %v", item, err)
	}
	if _, err := ring.Get(item); !errors.Is(err, keyring.ErrKeyNotFound) {
		t.Errorf("cleanup: %q still in the keyring (err = %v)", item, err)
	}
}
