package export

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// fileBuffer batches small CSV records into large writes.
const fileBuffer = 64 << 10

// ToFile runs write against a temporary file next to path and, only if
// write succeeds, syncs it and renames it over path. On any error the
// temporary file is removed and path is left as it was: absent, or the
// previous file untouched. The file is private to the user (0600).
func ToFile(path string, write func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("export: create a temporary file next to %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	// Go creates temporary files 0600 already; Chmod says it on every OS.
	if err = tmp.Chmod(0o600); err != nil {
		return fmt.Errorf("export: make %s private: %w", tmp.Name(), err)
	}
	buf := bufio.NewWriterSize(tmp, fileBuffer)
	if err = write(buf); err != nil {
		return err
	}
	if err = buf.Flush(); err != nil {
		return fmt.Errorf("export: write %s: %w", path, err)
	}
	// Sync before the rename: otherwise a crash just after it could leave
	// the new name pointing at an empty or partial file.
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("export: flush %s to disk: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("export: close %s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("export: move the export to %s: %w", path, err)
	}
	syncDir(dir)
	return nil
}

// syncDir makes the rename durable where the OS can sync a directory; on
// Windows it is a harmless no-op.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	d.Close()
}
