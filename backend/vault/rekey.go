package vault

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"bankdesk/backend/internal/atomicfile"
)

// PendingKeyFileName is the key file of a passphrase change that has not
// completed: it wraps the new data key under the new passphrase. It
// replaces vault.key only once every record is sealed under that key
// (package datadir orders the steps and finishes or undoes them after a
// crash).
const PendingKeyFileName = "vault.key.new"

// Rekey is a new data key wrapped under a new passphrase, for a passphrase
// change: the old key, and so any old copy of vault.key, stops opening the
// data once the records are sealed again under the new one.
type Rekey struct {
	vault *Vault
	kf    *keyFile
}

// NewRekey makes a fresh data key and wraps it under newPass, with the KDF
// cost calibrated on this machine. Nothing is written yet.
func NewRekey(newPass string) (*Rekey, error) {
	v, kf, err := newKeyFile(newPass)
	if err != nil {
		return nil, err
	}
	return &Rekey{vault: v, kf: kf}, nil
}

// Vault seals with the new data key.
func (r *Rekey) Vault() *Vault { return r.vault }

// Close zeroes the new data key held in memory.
func (r *Rekey) Close() error { return r.vault.Close() }

// WritePending writes the new key file as PendingKeyFileName in dir,
// replacing a stale one a crashed change left behind.
func (r *Rekey) WritePending(dir string) error {
	return writeKeyFile(filepath.Join(dir, PendingKeyFileName), r.kf)
}

// RekeyPending reports whether dir holds a pending key file.
func RekeyPending(dir string) (bool, error) {
	return fileExists(filepath.Join(dir, PendingKeyFileName))
}

// CommitRekey makes the pending key file the key file.
func CommitRekey(dir string) error {
	pending := filepath.Join(dir, PendingKeyFileName)
	if _, err := readKeyFileAt(pending); err != nil {
		return fmt.Errorf("vault: pending key file: %w", err)
	}
	if err := os.Rename(pending, keyFilePath(dir)); err != nil {
		return fmt.Errorf("vault: commit new key file: %w", err)
	}
	atomicfile.SyncDir(dir)
	return nil
}

// AbortRekey removes the pending key file, if any.
func AbortRekey(dir string) error {
	err := os.Remove(filepath.Join(dir, PendingKeyFileName))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("vault: remove pending key file: %w", err)
	}
	atomicfile.SyncDir(dir)
	return nil
}
