package vault

import (
	"errors"
	"fmt"
)

// Open loads the data key, creating it on first use, as described in the
// package documentation.
func Open(opts Options) (*Vault, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := ensureDir(o.Dir); err != nil {
		return nil, err
	}
	// A key file always wins: the user chose a passphrase before.
	exists, err := keyFileExists(o.Dir)
	if err != nil {
		return nil, err
	}
	if exists {
		return unlockKeyFile(o)
	}
	m, err := readMarker(o.Dir)
	if err != nil {
		return nil, err
	}
	if o.Mode == ModeFile {
		if m != nil {
			return nil, fmt.Errorf("%w: the data key is in the %s keyring; file mode cannot use it", ErrKeyMissing, m.Backend)
		}
		return createKeyFile(o)
	}
	if m != nil {
		return openFromMarker(o, m)
	}
	return openAuto(o)
}

// openAuto uses the first working keyring, else a new key file.
func openAuto(o Options) (*Vault, error) {
	v, err := openFirstKeyring(o)
	var kerr *KeyringError
	if !errors.As(err, &kerr) {
		return v, err
	}
	v, err = createKeyFile(o)
	if errors.Is(err, ErrNeedPassphrase) {
		return nil, fmt.Errorf("%w: %w", ErrNeedPassphrase, kerr)
	}
	return v, err
}
