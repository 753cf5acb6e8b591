package vault

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"bankdesk/backend/internal/atomicfile"
)

// IDFileName holds a random id of Options.Dir, which names the directory's
// own keyring item, so two data directories never share a key.
//
// A random id kept in the directory, rather than a hash of its path, goes
// with the directory when it is moved or renamed, so the item is still
// found. A copied directory keeps the id too, which is right: its records
// are sealed under the same key. The id is not secret.
const IDFileName = "vault.id"

const idBytes = 16

// readID returns the directory's id, or "" if it has none yet.
func readID(dir string) (string, error) {
	path := filepath.Join(dir, IDFileName)
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("vault: read %s: %w", path, err)
	}
	id := strings.TrimSpace(string(raw))
	if !validID(id) {
		// Never replaced: a new id would name a new, empty keyring item.
		return "", fmt.Errorf("vault: %s is damaged; it names this directory's keyring item", path)
	}
	return id, nil
}

// ensureID returns the directory's id, creating it on first use. The file
// is created exclusively, so two writers cannot end up with different ids.
func ensureID(dir string) (string, error) {
	id, err := readID(dir)
	if id != "" || err != nil {
		return id, err
	}
	b := make([]byte, idBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("vault: new directory id: %w", err)
	}
	id = hex.EncodeToString(b)
	err = atomicfile.WriteFileExclusive(filepath.Join(dir, IDFileName), []byte(id+"\n"))
	if errors.Is(err, fs.ErrExist) {
		return readID(dir)
	}
	if err != nil {
		return "", fmt.Errorf("vault: write directory id: %w", err)
	}
	return id, nil
}

func validID(id string) bool {
	if len(id) != 2*idBytes {
		return false
	}
	_, err := hex.DecodeString(id)
	return err == nil && strings.ToLower(id) == id
}
