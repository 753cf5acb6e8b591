package vault

import (
	"errors"
	"fmt"
	"time"

	"github.com/99designs/keyring"
)

// Mode chooses where the data key lives.
type Mode string

const (
	// ModeAuto uses the OS keyring, else a passphrase key file (see package doc).
	ModeAuto Mode = "auto"
	// ModeFile always uses the passphrase key file.
	ModeFile Mode = "file"
)

// DefaultService is the keyring service name when Options.Service is empty.
const DefaultService = "bankdesk"

// defaultBackends are the keyring backends Open may use, in order. Only
// stores that persist and are guarded by the user's login are listed: never
// keyctl (kernel keys vanish at logout or reboot), pass, or the library's
// own file backend (this package has its own).
var defaultBackends = []keyring.BackendType{
	keyring.WinCredBackend,
	keyring.KeychainBackend,
	keyring.SecretServiceBackend,
	keyring.KWalletBackend,
}

// DefaultBackends returns the keyring backends Open tries when
// Options.Backends is nil, in order.
func DefaultBackends() []keyring.BackendType {
	return append([]keyring.BackendType(nil), defaultBackends...)
}

// Options configures Open.
type Options struct {
	Mode    Mode   // "" means ModeAuto
	Dir     string // directory for the key file and marker; created 0700 if missing; required
	Service string // keyring service name; "" means DefaultService

	// Passphrase supplies the key file's passphrase (a UI prompt, an
	// environment variable). It is called at most once per Open, and only
	// when the key file is used. nil, or an empty answer, means none.
	Passphrase func() (string, error)

	// Backends are the keyring backends to try, in order, drawn from
	// DefaultBackends(). nil means all of them; an empty slice means none.
	Backends []keyring.BackendType

	// MustExist says Dir's data already exists, sealed under a key that
	// must be found: Open then never creates a key, and fails with
	// ErrKeyMissing (or ErrLocked, when a keyring could not be asked)
	// instead. The caller knows the data; the vault knows only keys.
	MustExist bool

	// KeyringTimeout bounds each keyring backend's whole dialogue (open,
	// read, create); zero means DefaultKeyringTimeout. A backend past it
	// counts as not answering (see KeyringTimeoutError).
	KeyringTimeout time.Duration

	// openKeyring opens one keyring backend; tests replace it.
	openKeyring func(keyring.Config) (keyring.Keyring, error)
}

// DefaultKeyringTimeout is how long one keyring backend may take to answer.
// D-Bus waits up to two minutes for a Secret Service it can activate but
// that never starts; a person waits a few seconds.
const DefaultKeyringTimeout = 5 * time.Second

// withDefaults fills in defaults and rejects what Open cannot use.
func (o Options) withDefaults() (Options, error) {
	if o.Dir == "" {
		return o, errors.New("vault: Options.Dir is required")
	}
	switch o.Mode {
	case "":
		o.Mode = ModeAuto
	case ModeAuto, ModeFile:
	default:
		return o, fmt.Errorf("vault: unknown mode %q (want %q or %q)", o.Mode, ModeAuto, ModeFile)
	}
	if o.Service == "" {
		o.Service = DefaultService
	}
	if o.Backends == nil {
		o.Backends = DefaultBackends()
	}
	for _, b := range o.Backends {
		if !allowedBackend(b) {
			return o, fmt.Errorf("vault: keyring backend %q is not allowed", b)
		}
	}
	if o.KeyringTimeout <= 0 {
		o.KeyringTimeout = DefaultKeyringTimeout
	}
	if o.openKeyring == nil {
		o.openKeyring = openRegistered
	}
	return o, nil
}

// allowedBackend reports whether b is one of the default backends; an
// override may reorder or narrow the list but never add a weaker store.
func allowedBackend(b keyring.BackendType) bool {
	for _, d := range defaultBackends {
		if b == d {
			return true
		}
	}
	return false
}
