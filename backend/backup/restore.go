package backup

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"filippo.io/age"
	"filippo.io/age/armor"

	"bankdesk/backend/datadir"
	"bankdesk/backend/store"
	"bankdesk/backend/vault"
)

// Restore restores the backup read from src into the data directory o: it
// locks the directory and refuses one that holds data unless force
// (datadir.ErrNotEmpty), then asks passphrase, opens the backup, and puts
// its store in place of the data, sealed under this directory's key (a new
// one on a clean directory: the OS keyring or a passphrase vault, as o
// says). It never merges, and the old data stays until the new is
// complete (datadir.Restore). It returns the backup's manifest, without
// its key.
//
// A wrong passphrase is ErrWrongPassphrase, a changed or cut file
// ErrDamaged, another kind of file ErrNotBackup, a newer Bankdesk's backup
// ErrNewer; each is a *Error, and nothing was changed.
func Restore(ctx context.Context, src io.Reader, o datadir.Options, passphrase func() (string, error), force bool) (Manifest, error) {
	rs, err := datadir.BeginRestore(o, force)
	if err != nil {
		return Manifest{}, err
	}
	defer func() { _ = rs.Close() }() // removes the temporary files; the lock dies with the process anyway
	pass, err := passphrase()
	if err != nil {
		return Manifest{}, err
	}
	m, err := unpack(src, pass, rs.IncomingPath())
	if err != nil {
		return Manifest{}, err
	}
	carried, err := vault.OpenCarried(m.Key)
	clear(m.Key)
	m.Key = nil
	if err != nil {
		return Manifest{}, refuse(ErrNotBackup, err)
	}
	defer func() { _ = carried.Close() }() // Close only wipes the key from memory
	if err := ctx.Err(); err != nil {
		return Manifest{}, err
	}
	if _, err := rs.Do(ctx, carried); err != nil {
		switch {
		case errors.Is(err, store.ErrNewerSchema):
			return Manifest{}, refuse(ErrNewer, err)
		case errors.Is(err, store.ErrUnreadable), errors.Is(err, store.ErrDamaged):
			// The copy does not open under the key beside it: age
			// authenticated both, so the file was made wrong.
			return Manifest{}, refuse(ErrDamaged, err)
		}
		return Manifest{}, err
	}
	return m, nil
}

// RestoreFile is Restore from the file at path.
func RestoreFile(ctx context.Context, path string, o datadir.Options, passphrase func() (string, error), force bool) (Manifest, error) {
	f, err := os.Open(path)
	if err != nil {
		return Manifest{}, fmt.Errorf("read the backup: %w", err) // the *fs.PathError names the file
	}
	defer func() { _ = f.Close() }() // read only
	return Restore(ctx, f, o, passphrase, force)
}

// ageIntro starts every binary age file.
const ageIntro = "age-encryption.org/"

// unpack decrypts src with pass, checks its manifest and writes its store
// to dst (created exclusively, 0600). It reads src to its end, so age has
// authenticated every byte (and the final chunk: a file cut at a chunk's
// edge) before the store is used.
func unpack(src io.Reader, pass, dst string) (Manifest, error) {
	in, err := ageReader(src)
	if err != nil {
		return Manifest{}, err
	}
	id, err := age.NewScryptIdentity(pass)
	if err != nil {
		return Manifest{}, refuse(ErrWrongPassphrase, err)
	}
	plain, err := age.Decrypt(in, id)
	var nomatch *age.NoIdentityMatchError
	switch {
	case errors.As(err, &nomatch) && !slices.Contains(nomatch.StanzaTypes, "scrypt"):
		return Manifest{}, refuse(ErrNotBackup, fmt.Errorf("encrypted to a key, not a passphrase: %w", err))
	case errors.As(err, &nomatch):
		return Manifest{}, refuse(ErrWrongPassphrase, err)
	case err != nil:
		return Manifest{}, refuse(ErrDamaged, err)
	}
	stream := &watched{r: plain}
	tr := tar.NewReader(stream)
	m, err := readManifest(tr, stream)
	if err != nil {
		return Manifest{}, err
	}
	if err := next(tr, stream, storeName); err != nil {
		return Manifest{}, err
	}
	if err := writeStore(tr, stream, dst); err != nil {
		return Manifest{}, err
	}
	if _, err := tr.Next(); !errors.Is(err, io.EOF) {
		return Manifest{}, streamOr(stream, ErrNotBackup, fmt.Errorf("more in the archive than a backup holds: %v", err))
	}
	if _, err := io.Copy(io.Discard, stream); err != nil {
		return Manifest{}, refuse(ErrDamaged, err)
	}
	return m, nil
}

// ageReader is src as a binary age file: an armored one (`age -a`) is
// unwrapped, and anything that does not start as age does is refused.
func ageReader(src io.Reader) (io.Reader, error) {
	br := bufio.NewReader(src)
	head, _ := br.Peek(len(armor.Header))
	if bytes.HasPrefix(head, []byte(armor.Header)) {
		return armor.NewReader(br), nil
	}
	n := min(len(head), len(ageIntro))
	if n == 0 || !bytes.Equal(head[:n], []byte(ageIntro)[:n]) {
		return nil, refuse(ErrNotBackup, errors.New("not an age file"))
	}
	return br, nil
}

func readManifest(tr *tar.Reader, stream *watched) (Manifest, error) {
	if err := next(tr, stream, manifestName); err != nil {
		return Manifest{}, err
	}
	raw, err := io.ReadAll(io.LimitReader(tr, maxManifest+1))
	defer clear(raw)
	if err != nil {
		return Manifest{}, streamOr(stream, ErrNotBackup, err)
	}
	var m Manifest
	if len(raw) > maxManifest {
		return Manifest{}, refuse(ErrNotBackup, errors.New("manifest too large"))
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return Manifest{}, refuse(ErrNotBackup, fmt.Errorf("manifest: %w", err))
	}
	switch {
	case m.Format > FormatVersion:
		return Manifest{}, refuse(ErrNewer, fmt.Errorf("backup format %d, this Bankdesk reads up to %d", m.Format, FormatVersion))
	case m.Schema > store.LatestSchema():
		return Manifest{}, refuse(ErrNewer, fmt.Errorf("data file schema %d, this Bankdesk opens up to %d", m.Schema, store.LatestSchema()))
	case m.Format < 1 || len(m.Key) == 0:
		return Manifest{}, refuse(ErrNotBackup, fmt.Errorf("manifest of format %d without a key", m.Format))
	}
	return m, nil
}

// next moves tr to the entry that must come next, named name.
func next(tr *tar.Reader, stream *watched, name string) error {
	h, err := tr.Next()
	if err != nil {
		return streamOr(stream, ErrNotBackup, fmt.Errorf("read the archive: %w", err))
	}
	if h.Name != name || h.Typeflag != tar.TypeReg {
		return refuse(ErrNotBackup, fmt.Errorf("archive entry %q where %q belongs", h.Name, name))
	}
	return nil
}

// writeStore copies the store entry to dst.
func writeStore(tr *tar.Reader, stream *watched, dst string) error {
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("make room for the restored data: %w", err)
	}
	_, err = io.Copy(f, tr)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return streamOr(stream, nil, fmt.Errorf("write the restored data: %w", err))
	}
	return nil
}

// watched remembers whether reading the decrypted stream failed, so a
// failure there (age found the file changed or cut) is told apart from a
// well-encrypted file that holds no backup, and from the disk's.
type watched struct {
	r   io.Reader
	err error
}

func (w *watched) Read(p []byte) (int, error) {
	n, err := w.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) && w.err == nil {
		w.err = err
	}
	return n, err
}

// streamOr is ErrDamaged when the stream failed, else reason (nil: cause
// as it is).
func streamOr(stream *watched, reason, cause error) error {
	switch {
	case stream.err != nil:
		return refuse(ErrDamaged, stream.err)
	case reason == nil:
		return cause
	}
	return refuse(reason, cause)
}
