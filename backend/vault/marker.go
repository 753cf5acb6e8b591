package vault

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/99designs/keyring"

	"bankdesk/backend/internal/atomicfile"
)

// MarkerFileName is the file in Options.Dir that records which keyring
// holds the data key. It holds no secret; it stops Open from starting a
// second key when that keyring is locked, missing or replaced.
const MarkerFileName = "vault.keyring"

const markerFormat = "bankdesk-vault-keyring"

type marker struct {
	Format  string              `json:"format"`
	Version int                 `json:"version"`
	Backend keyring.BackendType `json:"backend"`
	Service string              `json:"service"`
	Item    string              `json:"item"`
}

// readMarker returns the marker in dir, or nil if there is none.
func readMarker(dir string) (*marker, error) {
	path := filepath.Join(dir, MarkerFileName)
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("vault: read keyring marker: %w", err)
	}
	var m marker
	if err := json.Unmarshal(raw, &m); err != nil || m.Format != markerFormat || m.Version != 1 || m.Backend == "" ||
		!validItem(m.Backend, m.Service, m.Item) {
		return nil, fmt.Errorf("vault: keyring marker %s is unreadable; it must name the keyring that holds the data key", path)
	}
	return &m, nil
}

// shared reports whether the marker names the legacy item that every data
// directory of older versions shared.
func (m *marker) shared() bool { return m.Item == itemKey(m.Backend, m.Service, "") }

// writeMarker records that item in backend holds the data key for service.
// Older versions wrote the same format naming the legacy shared item, and
// read only that item whatever the marker says: given a marker that names
// a per-directory item they fail (ErrKeyMissing, or a wrong key that the
// store's canary refuses) rather than start a second key.
func writeMarker(dir string, backend keyring.BackendType, service, item string) error {
	m := marker{Format: markerFormat, Version: 1, Backend: backend, Service: service, Item: item}
	raw, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("vault: encode keyring marker: %w", err)
	}
	if err := atomicfile.WriteFile(filepath.Join(dir, MarkerFileName), append(raw, '\n')); err != nil {
		return fmt.Errorf("vault: write keyring marker: %w", err)
	}
	return nil
}
