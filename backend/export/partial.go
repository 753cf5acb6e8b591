package export

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"bankdesk/backend/internal/atomicfile"
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
// removes one left behind (removeStale), unless it is in use. The writing,
// linking and renaming are internal/atomicfile's; the names, the lock and
// the clean-up are the export's.
const (
	partialPrefix = ".~bankdesk-"
	partialSuffix = ".tmp"
)

// partialFile is how an export's partial file is made.
var partialFile = atomicfile.Options{Pattern: partialPrefix + "*" + partialSuffix, Unnamed: true}

// newPartial creates a private (0600) partial file in dir, unnamed where
// the OS allows, and locks it so that another export's removeStale leaves
// it alone.
func newPartial(dir string) (*atomicfile.File, error) {
	f, err := atomicfile.Create(dir, partialFile)
	if err != nil {
		return nil, err
	}
	lockPartial(f.Fd())
	return f, nil
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
		_ = os.Remove(path)
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
	defer func() { _ = f.Close() }()
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
