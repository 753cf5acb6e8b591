package export

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
)

// Where an export is written before it is complete. The file must be in
// the target's folder, since only a rename within one filesystem replaces
// the target atomically; a private folder elsewhere (the data dir, TMPDIR)
// is often another filesystem, and would leave a plaintext copy of its own
// after a crash. So, in the target's folder:
//
//   - on Linux the file has no name at all while it is written (O_TMPFILE):
//     a crash or kill -9 at any point makes the kernel free it, and a sync
//     client has nothing to upload. Once complete and synced it is linked
//     in: straight under the target's name when there is none yet, or
//     under a partial name, then renamed over the existing target. Only a
//     crash in the instant between those two calls leaves a complete export
//     under the partial name.
//   - elsewhere, and on Linux filesystems without O_TMPFILE, it is created
//     under the partial name from the start.
//
// The partial name is ".~bankdesk-<random>.tmp": hidden, and marked the way
// sync clients recognise temporary files (Dropbox and Nextcloud skip names
// starting with ".~", and many skip ".tmp"). The next export to that folder
// removes one left behind (removeStale), unless it is in use.
const (
	partialPrefix = ".~bankdesk-"
	partialSuffix = ".tmp"
)

// partial is an export being written.
type partial struct {
	f      *os.File
	name   string // its path while it has one; "" while unnamed
	closed bool
}

// newPartial creates a private (0600) partial file in dir, unnamed where
// the OS allows, and locks it so that another export's removeStale leaves
// it alone.
func newPartial(dir string) (*partial, error) {
	if f, err := openUnnamed(dir); err == nil {
		lockPartial(f)
		return &partial{f: f}, nil
	}
	f, err := os.CreateTemp(dir, partialPrefix+"*"+partialSuffix)
	if err != nil {
		return nil, err
	}
	lockPartial(f)
	p := &partial{f: f, name: f.Name()}
	// Go creates temporary files 0600 already; Chmod says it on every OS.
	if err := f.Chmod(0o600); err != nil {
		p.discard()
		return nil, err
	}
	return p, nil
}

// commit gives the complete, synced file the name path. Once the name is
// in place the export is done: closing cannot lose synced data.
func (p *partial) commit(path string) error {
	if p.name == "" {
		err := linkUnnamed(p.f, path)
		if err == nil {
			_ = p.close() // the file is named and synced: closing cannot lose it
			return nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return err
		}
		// A target exists: link may not replace it, rename does.
		if p.name, err = p.linkPartialName(filepath.Dir(path)); err != nil {
			return err
		}
	}
	// Windows cannot rename an open file; elsewhere the lock is kept until
	// the rename is done.
	if runtime.GOOS == "windows" {
		if err := p.close(); err != nil {
			return err
		}
	}
	if err := os.Rename(p.name, path); err != nil {
		return err
	}
	p.name = ""
	_ = p.close() // the file is named and synced: closing cannot lose it
	return nil
}

// linkPartialName links the unnamed file in under a fresh partial name.
func (p *partial) linkPartialName(dir string) (string, error) {
	for {
		var r [8]byte
		rand.Read(r[:])
		name := filepath.Join(dir, partialPrefix+hex.EncodeToString(r[:])+partialSuffix)
		err := linkUnnamed(p.f, name)
		if err == nil {
			return name, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return "", err
		}
	}
}

func (p *partial) close() error {
	if p.closed {
		return nil
	}
	p.closed = true
	return p.f.Close()
}

// discard removes what is left of a failed export.
func (p *partial) discard() {
	_ = p.close() // discarded anyway
	if p.name != "" {
		_ = os.Remove(p.name) // best effort: removeStale clears leftovers later
	}
}

// legacyPartial is the name older Bankdesk versions gave the temporary
// file of an export to NAME: ".NAME.tmp-<digits>", NAME the target's name.
var legacyPartial = regexp.MustCompile(`^\.(.+)\.tmp-[0-9]+$`)

// removeStale removes the partial files that exports to dir left behind
// when they crashed: this version's partial names, and the older versions'
// ".NAME.tmp-<digits>" when NAME is target or the file holds the start of a
// Bankdesk export (GUI exports are named by date, so a leftover rarely has
// today's name). Only the user's own regular files that no running export
// holds are removed; anything else is left alone. It is best effort: a
// folder that cannot be read is not an error here.
func removeStale(dir, target string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() {
			continue
		}
		path := filepath.Join(dir, name)
		switch m := legacyPartial.FindStringSubmatch(name); {
		case strings.HasPrefix(name, partialPrefix) && strings.HasSuffix(name, partialSuffix):
		case m != nil && (m[1] == target || isExportName(m[1]) && startsLikeExport(path)):
		default:
			continue
		}
		if info, err := e.Info(); err != nil || !ownedByUser(info) || inUse(path) {
			continue
		}
		_ = os.Remove(path) // best effort, as documented above
	}
}

func isExportName(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == FormatCSV.Extension() || ext == FormatOFX.Extension()
}

// startsLikeExport reports whether the file at path begins as a Bankdesk
// CSV (its header, either delimiter, maybe a BOM) or an OFX 2 file does.
func startsLikeExport(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer func() { _ = f.Close() }() // read only
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	head = bytes.TrimPrefix(head[:n], []byte(utf8BOM))
	for _, delim := range []string{",", ";"} {
		if bytes.HasPrefix(head, []byte(strings.Join(Columns[:3], delim)+delim)) {
			return true
		}
	}
	return bytes.HasPrefix(head, []byte("<?xml")) && bytes.Contains(head, []byte("OFXHEADER"))
}
