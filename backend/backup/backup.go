// Package backup writes and restores Bankdesk's encrypted backups: one file
// with every connection (and its tokens), account, balance, transaction and
// setting, to carry the data to another computer or keep it safe.
//
// The file is a standard age file (https://age-encryption.org/v1) encrypted
// to one scrypt passphrase recipient (filippo.io/age), so the `age` tool
// can open it: `age -d FILE | tar t`. Inside is a tar archive of two
// entries:
//
//	bankdesk-backup.json  the manifest: format, schema, when, the counts, and
//	                      the backup's own data key
//	bankdesk.db           a consistent copy of the data file with every
//	                      record sealed again under that key (store.CopySealed)
//
// The copy is sealed under a key made for this backup alone (vault.NewCarried)
// rather than this computer's data key, so the file never carries the key
// that opens the data on this computer, and a restore needs nothing from
// this computer's OS keyring. A restore seals every record again under the
// target's own key (package datadir). SECURITY.md says what the file
// contains and what protects it.
package backup

import (
	"archive/tar"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"bankdesk/backend/internal/atomicfile"
	"bankdesk/backend/store"
	"bankdesk/backend/vault"
)

// FormatVersion is the version of the archive's layout this code writes
// and the newest it reads.
const FormatVersion = 1

// The archive's entries, in this order.
const (
	manifestName = "bankdesk-backup.json"
	storeName    = "bankdesk.db"
)

// WorkFactor is the scrypt work factor (N = 2^WorkFactor, r = 8, p = 1)
// of the passphrase stanza: age's default, about a second and 256 MiB on
// a laptop for each guess. A restore accepts up to age's own limit (2^22).
const WorkFactor = 18

// workFactor is WorkFactor but in a test binary run with
// BANKDESK_TEST_KDF=cheap (as the vault's key files), where suites that
// write many backups take a trivial one. Bankdesk itself always uses
// WorkFactor.
func workFactor() int {
	if testing.Testing() && os.Getenv("BANKDESK_TEST_KDF") == "cheap" {
		return 10
	}
	return WorkFactor
}

// maxManifest bounds the manifest a restore reads into memory.
const maxManifest = 1 << 20

// Manifest says what a backup holds.
type Manifest struct {
	Format  int       `json:"format"`
	Schema  int       `json:"schema"` // the data file's schema version
	Created time.Time `json:"created"`
	// The counts at the time of the backup, for the person restoring it.
	Connections  int `json:"connections"`
	Accounts     int `json:"accounts"`
	Transactions int `json:"transactions"`
	// Unreadable counts the records that could not be read when the backup
	// was made (damage): they are in the copy as they were, still unreadable.
	Unreadable int `json:"unreadable"`
	// Key is the backup's own data key (vault.NewCarried), which opens the
	// records of bankdesk.db. It is only ever inside the age envelope.
	Key []byte `json:"data_key"`
}

// Write writes a backup of s to w, encrypted under passphrase, and returns
// its manifest (without the key). The copy of the store is made first, in a
// temporary file beside the data file, sealed under the backup's key.
func Write(w io.Writer, s *store.Store, passphrase string, now time.Time) (Manifest, error) {
	if err := CheckPassphrase(passphrase); err != nil {
		return Manifest{}, err
	}
	carried, key, err := vault.NewCarried()
	if err != nil {
		return Manifest{}, err
	}
	defer func() { _ = carried.Close(); clear(key) }() // Close only wipes the key from memory
	tmp, err := tempDir(filepath.Dir(s.Path()))
	if err != nil {
		return Manifest{}, err
	}
	defer func() { _ = os.RemoveAll(tmp) }()
	copyPath := filepath.Join(tmp, storeName)
	m := Manifest{Format: FormatVersion, Schema: s.SchemaVersion(), Created: now.UTC(), Key: key}
	if m.Unreadable, err = s.CopySealed(copyPath, carried); err != nil {
		return Manifest{}, fmt.Errorf("copy the data: %w", err)
	}
	c, err := store.Open(copyPath, carried, store.Options{})
	if err != nil {
		return Manifest{}, fmt.Errorf("check the copy: %w", err)
	}
	defer func() { _ = c.Close() }() // read only
	if err := m.count(c); err != nil {
		return Manifest{}, err
	}
	if err := m.encrypt(w, c, passphrase); err != nil {
		return Manifest{}, err
	}
	m.Key = nil
	return m, nil
}

// CheckPassphrase refuses a new backup's passphrase that the vault's rule
// refuses (ErrWeakPassphrase), so the window asks before its save dialog.
func CheckPassphrase(passphrase string) error {
	if err := vault.CheckNewPassphrase(passphrase); err != nil {
		return refuse(ErrWeakPassphrase, err)
	}
	return nil
}

// tempDirPrefix names the private folder a backup's copy is made in, beside
// the data file. The data directory's lock (held by whoever has the store
// open) means any such folder found is one a crash left: it is removed.
const tempDirPrefix = ".bankdesk-backup-copy-"

func tempDir(dataDir string) (string, error) {
	if old, err := filepath.Glob(filepath.Join(dataDir, tempDirPrefix+"*")); err == nil {
		for _, o := range old {
			_ = os.RemoveAll(o) // best effort: a leftover is sealed under a key that is gone
		}
	}
	dir, err := os.MkdirTemp(dataDir, tempDirPrefix+"*")
	if err != nil {
		return "", fmt.Errorf("make room for the copy: %w", err)
	}
	return dir, nil
}

// count counts what the copy holds: opened under its key, it is checked
// before it is sent.
func (m *Manifest) count(c *store.Store) error {
	conns, err := c.Connections()
	if err != nil {
		return fmt.Errorf("check the copy: %w", err)
	}
	accts, err := c.Accounts()
	if err != nil {
		return fmt.Errorf("check the copy: %w", err)
	}
	m.Connections, m.Accounts = len(conns), len(accts)
	for _, a := range accts {
		n, err := c.CountTransactions(a.ID)
		if err != nil {
			return fmt.Errorf("check the copy: %w", err)
		}
		m.Transactions += n
	}
	return nil
}

// encrypt writes the age file: the tar of the manifest and the copy c.
func (m *Manifest) encrypt(w io.Writer, c *store.Store, passphrase string) error {
	rcp, err := age.NewScryptRecipient(passphrase)
	if err != nil {
		return fmt.Errorf("backup passphrase: %w", err)
	}
	rcp.SetWorkFactor(workFactor())
	enc, err := age.Encrypt(w, rcp)
	if err != nil {
		return fmt.Errorf("write the backup: %w", err)
	}
	tw := tar.NewWriter(enc)
	manifest, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	defer clear(manifest)
	hdr := &tar.Header{Name: manifestName, Mode: 0o600, Size: int64(len(manifest)), ModTime: m.Created, Format: tar.FormatPAX}
	if err := tw.WriteHeader(hdr); err != nil {
		return fmt.Errorf("write the backup: %w", err)
	}
	if _, err := tw.Write(manifest); err != nil {
		return fmt.Errorf("write the backup: %w", err)
	}
	err = c.WriteCopy(tw, func(size int64) error {
		return tw.WriteHeader(&tar.Header{Name: storeName, Mode: 0o600, Size: size, ModTime: m.Created, Format: tar.FormatPAX})
	})
	if err != nil {
		return fmt.Errorf("write the backup: %w", err)
	}
	if err := tw.Close(); err != nil {
		return fmt.Errorf("write the backup: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("write the backup: %w", err)
	}
	return nil
}

// WriteFile writes a backup of s to path atomically: a private (0600)
// temporary file in path's folder, synced, then renamed to path, so a
// failure or a crash leaves whatever was at path before. path must not be
// inside the data directory, which a reset deletes.
func WriteFile(ctx context.Context, path string, s *store.Store, passphrase string, now time.Time) (Manifest, error) {
	if err := checkTarget(path, filepath.Dir(s.Path())); err != nil {
		return Manifest{}, err
	}
	f, err := atomicfile.Create(filepath.Dir(path), atomicfile.Options{Pattern: "." + filepath.Base(path) + ".tmp-*", Unnamed: true})
	if err != nil {
		return Manifest{}, fmt.Errorf("write the backup: %w", err)
	}
	defer f.Discard() // a no-op once it has its name
	m, err := Write(f, s, passphrase, now)
	if err != nil {
		return Manifest{}, err
	}
	if err := ctx.Err(); err != nil {
		return Manifest{}, err
	}
	if err := f.Replace(path); err != nil {
		return Manifest{}, fmt.Errorf("write the backup: %w", err)
	}
	return m, nil
}

// CheckTarget says whether a backup could be written to path, before the
// store is opened (the command line checks first): its folder must exist
// and path must not be a folder.
func CheckTarget(path string) error {
	return checkTarget(path, "")
}

func checkTarget(path, dataDir string) error {
	if strings.TrimSpace(path) == "" || strings.HasSuffix(path, string(filepath.Separator)) {
		return &TargetError{Path: path, Reason: "is not a file name"}
	}
	dir := filepath.Dir(path)
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return &TargetError{Path: path, Reason: "is in a folder that does not exist"}
	}
	if info, err := os.Stat(path); err == nil && !info.Mode().IsRegular() {
		return &TargetError{Path: path, Reason: "is a folder or a device, not a file"}
	}
	if dataDir != "" && sameDir(dir, dataDir) {
		return &TargetError{Path: path, Reason: "is in Bankdesk's data folder; keep a backup apart from what it backs up (another disk, or a synced folder)"}
	}
	return nil
}

func sameDir(a, b string) bool {
	ia, err1 := os.Stat(a)
	ib, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(ia, ib)
}

// TargetError is a backup file name refused before anything is written.
type TargetError struct {
	Path   string
	Reason string // completes the sentence "Path ..."
}

func (e *TargetError) Error() string { return e.Path + " " + e.Reason }
