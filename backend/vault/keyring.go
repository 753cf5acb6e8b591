package vault

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"

	"github.com/99designs/keyring"
)

// errNotInProcess explains an allowed backend the library did not
// register: another OS, or on Linux no D-Bus session bus at start-up.
var errNotInProcess = errors.New("not available in this process (other OS, or no D-Bus session bus at start-up)")

// errBadItem means the keyring holds something that is not a data key. It
// is never overwritten: it may be the only copy of a key gone wrong.
var errBadItem = errors.New("vault: keyring item is not a 256-bit data key")

// itemKey names the keyring item. Secret Service items in the shared
// "login" collection are found by this name alone, so it carries the
// service there; the other backends already scope items by service.
func itemKey(b keyring.BackendType, service string) string {
	if b == keyring.SecretServiceBackend {
		return service + "/data-key-v1"
	}
	return "data-key-v1"
}

// keyringConfig limits keyring.Open to exactly one backend, so a failing
// backend is reported rather than silently replaced by the next one.
func keyringConfig(b keyring.BackendType, service string) keyring.Config {
	cfg := keyring.Config{
		AllowedBackends: []keyring.BackendType{b},
		ServiceName:     service,
		// "login" exists and is unlocked in a desktop session; a new
		// collection would need a GUI prompt to create.
		LibSecretCollectionName: "login",
		// The app that stored the key may read it without a prompt; the
		// item only opens while the Mac is unlocked.
		KeychainTrustApplication:       true,
		KeychainAccessibleWhenUnlocked: true,
		KWalletAppID:                   service,
		KWalletFolder:                  service,
		WinCredPrefix:                  service,
	}
	if b == keyring.KWalletBackend {
		// For KWallet ServiceName is the wallet; use the user's default
		// wallet instead of making them create and unlock a new one.
		cfg.ServiceName = "kdewallet"
	}
	return cfg
}

// errOpenFailed replaces keyring.ErrNoAvailImpl for a registered backend:
// the library drops the backend's own error, so this is all we know.
var errOpenFailed = errors.New("could not connect (is it running and unlocked?)")

// openRegistered is keyring.Open with clearer errors: whether the library
// registered the backend at all, or registered it and failed to open it.
func openRegistered(cfg keyring.Config) (keyring.Keyring, error) {
	for _, b := range cfg.AllowedBackends {
		if !slices.Contains(keyring.AvailableBackends(), b) {
			return nil, errNotInProcess
		}
	}
	ring, err := keyring.Open(cfg)
	if errors.Is(err, keyring.ErrNoAvailImpl) {
		return nil, errOpenFailed
	}
	return ring, err
}

// slot is the data key's place in one keyring backend.
type slot struct {
	ring    keyring.Keyring
	backend keyring.BackendType
	item    string
}

func openSlot(o Options, b keyring.BackendType) (*slot, error) {
	ring, err := o.openKeyring(keyringConfig(b, o.Service))
	if err != nil {
		return nil, fmt.Errorf("open: %w", err)
	}
	return &slot{ring: ring, backend: b, item: itemKey(b, o.Service)}, nil
}

// load returns the stored data key; keyring.ErrKeyNotFound if there is none.
func (s *slot) load() ([]byte, error) {
	it, err := s.ring.Get(s.item)
	if err != nil {
		return nil, fmt.Errorf("get %q: %w", s.item, err)
	}
	// it.Data is not zeroed: a backend may hand out memory it keeps.
	key := make([]byte, base64.StdEncoding.DecodedLen(len(it.Data)))
	n, err := base64.StdEncoding.Decode(key, it.Data)
	if err != nil || n != dataKeySize {
		zero(key)
		return nil, fmt.Errorf("%w: %s item %q", errBadItem, s.backend, s.item)
	}
	return key[:n], nil
}

// store saves key and reads it back: some backends accept a Set they
// cannot honour, or open fine and fail only on first use.
func (s *slot) store(key []byte) error {
	// Data is not zeroed afterwards: a backend may keep the slice.
	err := s.ring.Set(keyring.Item{
		Key:                       s.item,
		Data:                      []byte(base64.StdEncoding.EncodeToString(key)),
		Label:                     "Bankdesk data key",
		Description:               "Encrypts Bankdesk's local data. Deleting it makes that data unreadable.",
		KeychainNotSynchronizable: true, // never copy the key to iCloud
	})
	if err != nil {
		return fmt.Errorf("set %q: %w", s.item, err)
	}
	got, err := s.load()
	if err != nil {
		return fmt.Errorf("read back: %w", err)
	}
	defer zero(got)
	if !bytes.Equal(got, key) {
		return fmt.Errorf("read back %q: stored key differs", s.item)
	}
	return nil
}

// keyFromBackend returns the data key held by backend b, creating and
// storing a new one if the item is missing.
func keyFromBackend(o Options, b keyring.BackendType) ([]byte, error) {
	s, err := openSlot(o, b)
	if err != nil {
		return nil, err
	}
	key, err := s.load()
	if !errors.Is(err, keyring.ErrKeyNotFound) {
		return key, err
	}
	if key, err = newDataKey(); err != nil {
		return nil, err
	}
	if err := s.store(key); err != nil {
		zero(key)
		return nil, err
	}
	return key, nil
}

// openFirstKeyring tries each allowed backend in order. It returns the
// first usable one, or a *KeyringError saying why each was refused.
func openFirstKeyring(o Options) (*Vault, error) {
	kerr := &KeyringError{}
	for _, b := range o.Backends {
		key, err := keyFromBackend(o, b)
		if errors.Is(err, errBadItem) {
			return nil, err
		}
		if err != nil {
			kerr.Failures = append(kerr.Failures, BackendFailure{Backend: b, Err: err})
			continue
		}
		if err := writeMarker(o.Dir, b, o.Service); err != nil {
			zero(key)
			return nil, err
		}
		return newVault(string(b), key)
	}
	return nil, kerr
}

// openFromMarker uses only the keyring recorded in the marker, so a locked
// keyring or a vanished item is reported instead of papered over with a
// fresh key that cannot open the existing records.
func openFromMarker(o Options, m *marker) (*Vault, error) {
	if m.Service != o.Service {
		return nil, fmt.Errorf("%w: %s was set up with keyring service %q, not %q", ErrKeyMissing, o.Dir, m.Service, o.Service)
	}
	if !slices.Contains(o.Backends, m.Backend) {
		return nil, fmt.Errorf("%w: the data key is in %s, which is not an allowed backend", ErrLocked, m.Backend)
	}
	s, err := openSlot(o, m.Backend)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrLocked, m.Backend, err)
	}
	key, err := s.load()
	switch {
	case errors.Is(err, keyring.ErrKeyNotFound):
		return nil, fmt.Errorf("%w: %s has no item %q", ErrKeyMissing, m.Backend, s.item)
	case errors.Is(err, errBadItem):
		return nil, err
	case err != nil:
		return nil, fmt.Errorf("%w: %s: %w", ErrLocked, m.Backend, err)
	}
	return newVault(string(m.Backend), key)
}
