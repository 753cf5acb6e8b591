package vault

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/99designs/keyring"
)

// errNotInProcess explains an allowed backend the library did not
// register: another OS, or on Linux no D-Bus session bus at start-up.
var errNotInProcess = errors.New("not available in this process (other OS, or no D-Bus session bus at start-up)")

// errBadItem means the keyring holds something that is not a data key. It
// is never overwritten: it may be the only copy of a key gone wrong.
var errBadItem = errors.New("vault: keyring item is not a 256-bit data key")

// Keyring item names. Each data directory has its own item, named by its
// id (IDFileName); legacyItem is the single item every directory shared
// before, still used where a marker names it.
const (
	legacyItem    = "data-key-v1"
	perDirItemPre = "data-key-v2-"
)

// itemKey names the keyring item for the directory with id ("" for the
// legacy shared item). Secret Service items in the shared "login"
// collection are found by this name alone, so it carries the service
// there; the other backends already scope items by service.
func itemKey(b keyring.BackendType, service, id string) string {
	name := legacyItem
	if id != "" {
		name = perDirItemPre + id
	}
	if b == keyring.SecretServiceBackend {
		return service + "/" + name
	}
	return name
}

// validItem reports whether item is a name itemKey gives for b and service.
func validItem(b keyring.BackendType, service, item string) bool {
	if item == itemKey(b, service, "") {
		return true
	}
	prefix := itemKey(b, service, "x")
	prefix = prefix[:len(prefix)-1]
	id, ok := strings.CutPrefix(item, prefix)
	return ok && validID(id)
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

// slot is one keyring backend, opened.
type slot struct {
	ring    keyring.Keyring
	backend keyring.BackendType
}

// errCannotOpen marks a backend that could not be opened at all (no
// daemon, no wallet): it holds no key that could be asked for.
var errCannotOpen = errors.New("open")

func openSlot(o Options, b keyring.BackendType) (*slot, error) {
	ring, err := o.openKeyring(keyringConfig(b, o.Service))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errCannotOpen, err)
	}
	return &slot{ring: ring, backend: b}, nil
}

// load returns the data key stored as item; keyring.ErrKeyNotFound if
// there is none.
func (s *slot) load(item string) ([]byte, error) {
	it, err := s.ring.Get(item)
	if err != nil {
		return nil, fmt.Errorf("get %q: %w", item, err)
	}
	// it.Data is not zeroed: a backend may hand out memory it keeps.
	key := make([]byte, base64.StdEncoding.DecodedLen(len(it.Data)))
	n, err := base64.StdEncoding.Decode(key, it.Data)
	if err != nil || n != dataKeySize {
		zero(key)
		return nil, fmt.Errorf("%w: %s item %q", errBadItem, s.backend, item)
	}
	return key[:n], nil
}

// create stores a new data key as item, which the caller found absent, and
// returns the key read back: some backends accept a Set they cannot
// honour, or open fine and fail only on first use, and what is read back
// is what the next start will read.
func (s *slot) create(item string) ([]byte, error) {
	key, err := newDataKey()
	if err != nil {
		return nil, err
	}
	defer zero(key)
	// Data is not zeroed afterwards: a backend may keep the slice.
	err = s.ring.Set(keyring.Item{
		Key:                       item,
		Data:                      []byte(base64.StdEncoding.EncodeToString(key)),
		Label:                     "Bankdesk data key",
		Description:               "Encrypts Bankdesk's local data. Deleting it makes that data unreadable.",
		KeychainNotSynchronizable: true, // never copy the key to iCloud
	})
	if err != nil {
		return nil, fmt.Errorf("set %q: %w", item, err)
	}
	got, err := s.load(item)
	if err != nil {
		return nil, fmt.Errorf("read back: %w", err)
	}
	return got, nil
}

// found is a data key and the keyring item that holds it.
type found struct {
	key  []byte
	item string
}

// talk runs one dialogue with keyring backend b in its own goroutine. The
// library's calls cannot be cancelled, and a Secret Service that D-Bus can
// activate but that never starts holds them for two minutes; so past
// o.KeyringTimeout, or when ctx ends (Ctrl+C), the dialogue is abandoned
// and its late result, if any, zeroed.
func talk(ctx context.Context, o Options, b keyring.BackendType, dialogue func(*slot) (found, error)) (found, error) {
	type result struct {
		f   found
		err error
	}
	done := make(chan result, 1)
	go func() {
		s, err := openSlot(o, b)
		if err != nil {
			done <- result{err: err}
			return
		}
		f, err := dialogue(s)
		done <- result{f, err}
	}()
	timer := time.NewTimer(o.KeyringTimeout)
	defer timer.Stop()
	select {
	case r := <-done:
		return r.f, r.err
	case <-timer.C:
		go func() { zero((<-done).f.key) }()
		return found{}, &KeyringTimeoutError{Backend: b, After: o.KeyringTimeout}
	case <-ctx.Done():
		go func() { zero((<-done).f.key) }()
		return found{}, &InterruptedError{Backend: b, Err: ctx.Err()}
	}
}

// loadFirst returns the first of items that b holds, creating the first
// item if none is there and create is set.
func loadFirst(s *slot, items []string, create bool) (found, error) {
	for _, item := range items {
		key, err := s.load(item)
		if err == nil {
			return found{key, item}, nil
		}
		if !errors.Is(err, keyring.ErrKeyNotFound) {
			return found{}, err
		}
	}
	if !create {
		return found{}, keyring.ErrKeyNotFound
	}
	key, err := s.create(items[0])
	return found{key, items[0]}, err
}

// openFirstKeyring tries each allowed backend in order and uses the first
// that holds this directory's key, or, with create, the first that can
// store a new one and read it back. It returns a *KeyringError saying why
// each was refused.
//
// Without create (data exists, the marker is gone) the directory's own
// item is looked for, then the legacy shared item that Bankdesk used for
// every directory before: adopting it is what the older version did at
// each start, and the store's canary then tells whether it is this data's
// key. A new directory never uses the legacy item.
func openFirstKeyring(ctx context.Context, o Options, create bool) (*Vault, error) {
	var id string
	var err error
	if create {
		id, err = ensureID(o.Dir)
	} else {
		id, err = readID(o.Dir)
	}
	if err != nil {
		return nil, err
	}
	kerr := &KeyringError{}
	for _, b := range o.Backends {
		var items []string
		if id != "" {
			items = append(items, itemKey(b, o.Service, id))
		}
		if !create {
			items = append(items, itemKey(b, o.Service, ""))
		}
		f, err := talk(ctx, o, b, func(s *slot) (found, error) { return loadFirst(s, items, create) })
		var interrupted *InterruptedError
		if errors.Is(err, errBadItem) || errors.As(err, &interrupted) {
			return nil, err
		}
		if err != nil {
			kerr.Failures = append(kerr.Failures, BackendFailure{Backend: b, Err: err})
			continue
		}
		if err := writeMarker(o.Dir, b, o.Service, f.item); err != nil {
			zero(f.key)
			return nil, err
		}
		return newVault(string(b), f.key)
	}
	return nil, kerr
}

// findKeyring is openFirstKeyring for a directory whose data exists: it
// never creates a key. A backend that opened but could not be asked
// (locked, a dismissed prompt) or did not answer may hold the key, so that
// is ErrLocked; only when every backend answered "no such item", or is not
// here at all, is the key missing.
func findKeyring(ctx context.Context, o Options) (*Vault, error) {
	v, err := openFirstKeyring(ctx, o, false)
	var kerr *KeyringError
	if !errors.As(err, &kerr) {
		return v, err
	}
	for _, f := range kerr.Failures {
		if !errors.Is(f.Err, keyring.ErrKeyNotFound) && !errors.Is(f.Err, errCannotOpen) {
			return nil, fmt.Errorf("%w: %w", ErrLocked, kerr)
		}
	}
	return nil, fmt.Errorf("%w: no %s in %s and no keyring holds this directory's key: %w", ErrKeyMissing, KeyFileName, o.Dir, kerr)
}

// openFromMarker uses only the keyring item recorded in the marker, so a
// locked keyring or a vanished item is reported instead of papered over
// with a fresh key that cannot open the existing records.
func openFromMarker(ctx context.Context, o Options, m *marker) (*Vault, error) {
	if m.Service != o.Service {
		return nil, fmt.Errorf("%w: %s was set up with keyring service %q, not %q", ErrKeyMissing, o.Dir, m.Service, o.Service)
	}
	if !slices.Contains(o.Backends, m.Backend) {
		return nil, fmt.Errorf("%w: the data key is in %s, which is not an allowed backend", ErrLocked, m.Backend)
	}
	f, err := talk(ctx, o, m.Backend, func(s *slot) (found, error) { return loadFirst(s, []string{m.Item}, false) })
	var interrupted *InterruptedError
	switch {
	case errors.Is(err, keyring.ErrKeyNotFound):
		return nil, fmt.Errorf("%w: %s has no item %q", ErrKeyMissing, m.Backend, m.Item)
	case errors.Is(err, errBadItem), errors.As(err, &interrupted):
		return nil, err
	case err != nil:
		return nil, fmt.Errorf("%w: %s: %w", ErrLocked, m.Backend, err)
	}
	return newVault(string(m.Backend), f.key)
}

// removeItem deletes the keyring item the marker names; an item already
// gone is not an error.
func removeItem(ctx context.Context, o Options, m *marker) error {
	_, err := talk(ctx, o, m.Backend, func(s *slot) (found, error) {
		err := s.ring.Remove(m.Item)
		if errors.Is(err, keyring.ErrKeyNotFound) {
			err = nil
		}
		return found{}, err
	})
	return err
}
