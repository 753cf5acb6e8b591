package store

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"go.etcd.io/bbolt"

	"bankdesk/backend/internal/atomicfile"
)

// Snapshots are consistent copies of the data file, taken after each
// successful sync and kept beside it (the newest few): what `repair`
// restores from when part of the file is lost. They are the file itself,
// page for page, so they are exactly as sealed as it is and open with the
// same key.

// DefaultSnapshots is how many snapshots SnapshotTo keeps by default.
const DefaultSnapshots = 3

const (
	snapshotPrefix = "bankdesk-"
	snapshotSuffix = ".db"
	snapshotTime   = "20060102T150405.000000000Z"
)

// SnapshotDir is where a data file's snapshots live.
func SnapshotDir(storePath string) string {
	return filepath.Join(filepath.Dir(storePath), "snapshots")
}

// Snapshot writes a consistent copy of the store into dir, then deletes the
// oldest copies beyond keep (0: DefaultSnapshots). It refuses while the
// store knows of records it could not read, so a damaged state never
// pushes a good snapshot out. It returns the new snapshot's path.
func (s *Store) Snapshot(dir string, keep int, now time.Time) (string, error) {
	if keep <= 0 {
		keep = DefaultSnapshots
	}
	for _, d := range s.Damaged() {
		if !d.Healed {
			return "", fmt.Errorf("store: no snapshot while %s/%s cannot be read", d.Bucket, d.Key)
		}
	}
	name := snapshotPrefix + now.UTC().Format(snapshotTime) + snapshotSuffix
	path := filepath.Join(dir, name)
	// Everything inside a read transaction, so a closed store writes
	// nothing (not even the directory).
	err := s.view(func(tx *bbolt.Tx) error {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
		tmp, err := atomicfile.Create(dir, atomicfile.Options{Pattern: ".partial-*"})
		if err != nil {
			return err
		}
		defer tmp.Discard() // a no-op once it has its name
		if _, err := tx.WriteTo(tmp); err != nil {
			return err
		}
		return tmp.Replace(path)
	})
	if err != nil {
		return "", fmt.Errorf("store: snapshot: %w", err)
	}
	snaps, err := Snapshots(dir)
	if err != nil {
		return path, nil
	}
	for _, old := range snaps[min(keep, len(snaps)):] {
		_ = os.Remove(old.Path)
	}
	return path, nil
}

// SnapshotInfo is one snapshot file.
type SnapshotInfo struct {
	Path  string
	Taken time.Time
}

// Snapshots lists the snapshots in dir, newest first.
func Snapshots(dir string) ([]SnapshotInfo, error) {
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: list snapshots: %w", err)
	}
	var out []SnapshotInfo
	for _, e := range entries {
		name := e.Name()
		stamp, ok := strings.CutPrefix(name, snapshotPrefix)
		if !ok || !strings.HasSuffix(stamp, snapshotSuffix) || !e.Type().IsRegular() {
			continue
		}
		t, err := time.Parse(snapshotTime, strings.TrimSuffix(stamp, snapshotSuffix))
		if err != nil {
			continue
		}
		out = append(out, SnapshotInfo{Path: filepath.Join(dir, name), Taken: t})
	}
	slices.SortFunc(out, func(a, b SnapshotInfo) int { return b.Taken.Compare(a.Taken) })
	return out, nil
}

// copyFile copies src to dst (created 0600, synced).
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer func() { _ = in.Close() }()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		_ = out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		_ = out.Close()
		return err
	}
	return out.Close()
}

// WriteCopy writes a consistent copy of the data file to w, as a snapshot
// is written: the pages in use, not the room the file holds ahead. It
// calls start with the copy's length first (an archive's entry header).
func (s *Store) WriteCopy(w io.Writer, start func(size int64) error) error {
	err := s.view(func(tx *bbolt.Tx) error {
		if err := start(tx.Size()); err != nil {
			return err
		}
		_, err := tx.WriteTo(w)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: copy: %w", err)
	}
	return nil
}
