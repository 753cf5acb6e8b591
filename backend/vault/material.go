package vault

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/99designs/keyring"

	"bankdesk/backend/internal/atomicfile"
)

// KeyMaterial is what a directory holds of its data key: the key file, or
// the marker naming the keyring item. It is for deciding whether a key
// exists (package datadir) and for `bankdesk reset`.
type KeyMaterial struct {
	Dir     string
	KeyFile bool         // vault.key
	Marker  bool         // vault.keyring
	Keyring *KeyringItem // what the marker names; nil if none, or unreadable
	// Files are every file of the vault in Dir: key file, marker, id,
	// pending key file, leftover temp files.
	Files []string
}

// KeyringItem is a keyring item holding a data key.
type KeyringItem struct {
	Backend keyring.BackendType
	Service string
	Item    string
	// Shared is the legacy item that every data directory of older
	// versions used: other directories may still need it.
	Shared bool
}

// Exists reports whether a data key is recorded here.
func (m KeyMaterial) Exists() bool { return m.KeyFile || m.Marker }

// FindKeyMaterial looks at what dir holds, without asking any keyring. A
// damaged marker still counts as key material (Open reports it).
func FindKeyMaterial(dir string) (KeyMaterial, error) {
	m := KeyMaterial{Dir: dir}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return m, fmt.Errorf("vault: read %s: %w", dir, err)
	}
	for _, e := range entries {
		if isVaultFile(e.Name()) {
			m.Files = append(m.Files, filepath.Join(dir, e.Name()))
		}
	}
	if m.KeyFile, err = keyFileExists(dir); err != nil {
		return m, err
	}
	if m.Marker, err = fileExists(filepath.Join(dir, MarkerFileName)); err != nil {
		return m, err
	}
	if mk, _ := readMarker(dir); mk != nil {
		m.Keyring = &KeyringItem{Backend: mk.Backend, Service: mk.Service, Item: mk.Item, Shared: mk.shared()}
	}
	return m, nil
}

// isVaultFile reports whether name is one of the files this package writes,
// or a temp file left by a crash while writing one.
func isVaultFile(name string) bool {
	for _, f := range []string{KeyFileName, PendingKeyFileName, MarkerFileName, IDFileName} {
		if name == f || strings.HasPrefix(name, "."+f+".tmp-") {
			return true
		}
	}
	return false
}

// RemoveKeyMaterial deletes the directory's data key for good: its own
// keyring item (never the legacy shared one), then the vault's files.
// Records sealed under the key can never be opened again. A keyring that
// cannot be reached leaves its item behind; the error says so, and the
// files are removed anyway, so the item, named after this directory's
// id, is never used again.
func RemoveKeyMaterial(ctx context.Context, opts Options) error {
	o, err := opts.withDefaults()
	if err != nil {
		return err
	}
	m, err := FindKeyMaterial(o.Dir)
	if err != nil {
		return err
	}
	var errs []error
	if mk, _ := readMarker(o.Dir); mk != nil && !mk.shared() {
		if err := removeItem(ctx, o, mk); err != nil {
			errs = append(errs, fmt.Errorf("remove keyring item %q from %s: %w", mk.Item, BackendName(mk.Backend), err))
		}
	}
	for _, f := range m.Files {
		if err := os.Remove(f); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	atomicfile.SyncDir(o.Dir)
	return errors.Join(errs...)
}
