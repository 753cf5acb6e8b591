package vault

import (
	"context"
	"errors"
	"fmt"
)

// Open is OpenContext without cancellation.
func Open(opts Options) (*Vault, error) { return OpenContext(context.Background(), opts) }

// OpenContext loads the data key, creating it on first use, as described
// in the package documentation. Ending ctx (Ctrl+C) abandons a keyring
// that has not answered yet with an *InterruptedError.
//
// Creation is exclusive (a key file is created, never renamed over
// another; a keyring item is created only where none is found, and what is
// read back is used), but choosing between creating and finding is not
// atomic: the caller serialises Opens of one Dir (package datadir's lock).
func OpenContext(ctx context.Context, opts Options) (*Vault, error) {
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
	switch {
	case o.Mode == ModeFile && m != nil:
		return nil, fmt.Errorf("%w: the data key is in the %s keyring; file mode cannot use it", ErrKeyMissing, m.Backend)
	case o.Mode == ModeFile && o.MustExist:
		return nil, fmt.Errorf("%w: no %s in %s", ErrKeyMissing, KeyFileName, o.Dir)
	case o.Mode == ModeFile:
		return createKeyFile(o)
	case m != nil:
		return openFromMarker(ctx, o, m)
	case o.MustExist:
		return findKeyring(ctx, o)
	}
	return openAuto(ctx, o)
}

// openAuto uses the first working keyring, else a new key file.
func openAuto(ctx context.Context, o Options) (*Vault, error) {
	v, err := openFirstKeyring(ctx, o, true)
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
