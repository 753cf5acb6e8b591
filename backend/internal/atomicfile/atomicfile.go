// Package atomicfile is the one owner of writing a file so that a crash, a
// kill or a full disk leaves either what was at its path before or the
// complete new file, never a part of one. The content goes to a private
// (0600) temporary file in the target's folder (only a rename or a link
// within one file system is atomic, and a folder elsewhere would leave a
// copy of its own after a crash), is synced, and only then takes the
// target's name; the folder is synced after, so that the name survives a
// power cut too.
//
// Its callers keep their own rules: the vault creates some files only if
// nothing is there (Link, WriteFileExclusive), an export writes without a
// name where it can (Options.Unnamed) and decides itself what a path may be.
package atomicfile

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// Options say how the temporary file is made.
type Options struct {
	// Pattern names the temporary file while it has a name, as for
	// os.CreateTemp: the last "*" is replaced by a random string. A name
	// that marks it as temporary (hidden, ".tmp") keeps sync clients and
	// users away from it.
	Pattern string
	// Unnamed asks for a file that has no name at all while it is written
	// (O_TMPFILE, on Linux file systems that have it): a crash at any point
	// leaves nothing behind, as the kernel frees it. Elsewhere the file is
	// named by Pattern from the start.
	Unnamed bool
}

// File is a file being written, which takes its final name only when
// complete. It is not safe for concurrent use.
type File struct {
	f       *os.File
	dir     string
	pattern string
	name    string // its path while it has one; "" while unnamed
	synced  bool   // nothing written since the last Sync
	closed  bool
}

// Create makes a private (0600) temporary file in dir.
func Create(dir string, o Options) (*File, error) {
	if o.Unnamed {
		if f, err := openUnnamed(dir); err == nil {
			return &File{f: f, dir: dir, pattern: o.Pattern}, nil
		}
	}
	f, err := os.CreateTemp(dir, o.Pattern)
	if err != nil {
		return nil, err
	}
	t := &File{f: f, dir: dir, pattern: o.Pattern, name: f.Name()}
	// Go creates temporary files 0600 already; Chmod says it on every OS.
	if err := f.Chmod(0o600); err != nil {
		t.Discard()
		return nil, err
	}
	return t, nil
}

// Write writes to the temporary file.
func (t *File) Write(p []byte) (int, error) {
	t.synced = false
	return t.f.Write(p)
}

// Fd is the temporary file's descriptor, for a lock on it.
func (t *File) Fd() uintptr { return t.f.Fd() }

// Name is the temporary file's path while it has one, "" while unnamed.
func (t *File) Name() string { return t.name }

// Sync flushes what was written to disk. Replace and Link do it anyway;
// calling it first tells a failing disk apart from a failing rename.
func (t *File) Sync() error {
	if err := t.f.Sync(); err != nil {
		return err
	}
	t.synced = true
	return nil
}

// sync syncs unless nothing was written since the last Sync: before the
// file gets its name, else a crash just after could leave the name
// pointing at an empty or partial file.
func (t *File) sync() error {
	if t.synced {
		return nil
	}
	return t.Sync()
}

// Replace gives the complete file the name path, replacing whatever file
// is there; path must be in the folder the file was created in. Once the
// name is in place the write is done: closing cannot lose synced data. On
// an error, Discard removes what is left.
func (t *File) Replace(path string) error {
	if err := t.sync(); err != nil {
		return err
	}
	if t.name == "" {
		err := linkUnnamed(t.f, path)
		if err == nil {
			_ = t.close()
			SyncDir(filepath.Dir(path))
			return nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return err
		}
		// A file is there: a link may not replace it, a rename does.
		if t.name, err = t.linkFreshName(); err != nil {
			return err
		}
	}
	if err := t.closeOnWindows(); err != nil {
		return err
	}
	if err := os.Rename(t.name, path); err != nil {
		return err
	}
	t.name = ""
	_ = t.close()
	SyncDir(filepath.Dir(path))
	return nil
}

// Link gives the complete file the name path only if nothing is there: it
// fails with fs.ErrExist otherwise, and never renames over a file another
// process has just written. It may also fail because the file system has
// no hard links; WriteFileExclusive then writes in place. On an error,
// Discard removes what is left.
func (t *File) Link(path string) error {
	if err := t.sync(); err != nil {
		return err
	}
	var err error
	if t.name == "" {
		err = linkUnnamed(t.f, path)
	} else {
		if err = t.closeOnWindows(); err != nil {
			return err
		}
		err = os.Link(t.name, path)
	}
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s: %w", path, fs.ErrExist)
	}
	if err != nil {
		return err
	}
	_ = t.close()
	if t.name != "" {
		_ = os.Remove(t.name)
		t.name = ""
	}
	SyncDir(filepath.Dir(path))
	return nil
}

// Discard closes the file and removes it, unless Replace or Link gave it
// its name; then it does nothing. Callers defer it.
func (t *File) Discard() {
	_ = t.close()
	if t.name != "" {
		_ = os.Remove(t.name)
		t.name = ""
	}
}

// closeOnWindows closes the file before a rename or a link: Windows cannot
// do either to an open file. Elsewhere it stays open, and a lock on it
// held, until it has its name.
func (t *File) closeOnWindows() error {
	if runtime.GOOS != "windows" {
		return nil
	}
	return t.close()
}

func (t *File) close() error {
	if t.closed {
		return nil
	}
	t.closed = true
	return t.f.Close()
}

// linkFreshName links the unnamed file in under a new name made from the
// pattern.
func (t *File) linkFreshName() (string, error) {
	prefix, suffix := t.pattern, ""
	if i := strings.LastIndex(t.pattern, "*"); i >= 0 {
		prefix, suffix = t.pattern[:i], t.pattern[i+1:]
	}
	for {
		var r [8]byte
		rand.Read(r[:])
		name := filepath.Join(t.dir, prefix+hex.EncodeToString(r[:])+suffix)
		err := linkUnnamed(t.f, name)
		if err == nil {
			return name, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return "", err
		}
	}
}

// WriteFile writes data to path through a temporary file beside it and a
// rename. It replaces whatever is at path: only for files whose old
// content is worth nothing once the new one is written.
func WriteFile(path string, data []byte) (err error) {
	t, err := writeTemp(path, data)
	if err != nil {
		return err
	}
	defer t.Discard()
	return t.Replace(path)
}

// WriteFileExclusive creates path with data, or fails with fs.ErrExist if
// something is there already. The data goes to a temporary file that is
// hard-linked into place, so a crash leaves no half-written file at path;
// where the file system has no hard links, path is created with O_EXCL
// and written.
func WriteFileExclusive(path string, data []byte) error {
	t, err := writeTemp(path, data)
	if err != nil {
		return err
	}
	defer t.Discard()
	err = t.Link(path)
	if err == nil || errors.Is(err, fs.ErrExist) {
		return err
	}
	if err := createExclusive(path, data); err != nil {
		return err
	}
	SyncDir(filepath.Dir(path))
	return nil
}

// writeTemp writes data, synced, to a new temporary file beside path,
// named ".NAME.tmp-<digits>".
func writeTemp(path string, data []byte) (*File, error) {
	t, err := Create(filepath.Dir(path), Options{Pattern: "." + filepath.Base(path) + ".tmp-*"})
	if err != nil {
		return nil, err
	}
	if _, err := t.Write(data); err != nil {
		t.Discard()
		return nil, err
	}
	if err := t.Sync(); err != nil {
		t.Discard()
		return nil, err
	}
	return t, nil
}

// createExclusive is WriteFileExclusive without hard links.
func createExclusive(path string, data []byte) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(path)
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

// SyncDir makes the names in dir durable (a rename, a link, a removal)
// where the OS can sync a directory; elsewhere (Windows) it is a harmless
// no-op. Best effort: there is nothing a caller could do about a failure.
func SyncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}
