package store

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"go.etcd.io/bbolt"
)

// Reseal writes a copy of the store at src to dst, a new file, with every
// sealed value opened by from and sealed again by to, for a new data key
// (a passphrase change). src is opened as Open does (its lock, its
// migrations, its canary checked under from); dst gets its own schema
// version, and src's store id, index key (sealed under to) and canary.
// Record keys and AADs stay as they are: each value is opened and sealed
// again where it lies.
//
// A value that from cannot open (a damaged record) is copied unchanged and
// counted in unreadable: it was unreadable already, and one damaged record
// must not stop a passphrase change. dst must not exist; on error it is
// removed. The caller swaps dst into place (package datadir).
func Reseal(src, dst string, from, to Sealer, opts Options) (unreadable int, err error) {
	if opts.ReadOnly {
		return 0, errors.New("store: Reseal writes a new file; ReadOnly makes no sense")
	}
	if _, err := os.Lstat(dst); !errors.Is(err, fs.ErrNotExist) {
		return 0, fmt.Errorf("store: reseal: %s already exists", dst)
	}
	old, err := Open(src, from, opts)
	if err != nil {
		return 0, err
	}
	defer func() { _ = old.Close() }() // opened to read; the new file's Close is checked in resealTo
	return old.resealTo(dst, to, opts)
}

// CopySealed writes a consistent copy of the open store to dst, a new
// file, every value sealed again by to, as Reseal does: what a backup
// carries (package backup), so it never holds the data key of this
// machine. It reads in one read transaction, so the store stays usable
// meanwhile (writers wait only if the file must grow its mapping).
func (s *Store) CopySealed(dst string, to Sealer) (unreadable int, err error) {
	if _, err := os.Lstat(dst); !errors.Is(err, fs.ErrNotExist) {
		return 0, fmt.Errorf("store: copy: %s already exists", dst)
	}
	return s.resealTo(dst, to, Options{})
}

// resealTo is Reseal's copy of s into the new file dst under to.
func (s *Store) resealTo(dst string, to Sealer, opts Options) (unreadable int, err error) {
	fresh, err := Open(dst, to, opts)
	if err != nil {
		_ = os.Remove(dst) // the open error is the one to report
		return 0, err
	}
	defer func() {
		if cerr := fresh.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			_ = os.Remove(dst) // err is the one to report
		}
	}()
	// The copy keeps the store's id and index key (every record key and
	// AAD stays as it is), the index key sealed again under to.
	err = s.view(func(in *bbolt.Tx) error {
		return fresh.db.Update(func(out *bbolt.Tx) error {
			meta := out.Bucket(bucketMeta)
			if s.keys != nil {
				if err := meta.Put(metaStoreID, s.id); err != nil {
					return fmt.Errorf("store: reseal: %w", err)
				}
				fresh.setID(s.id)
				fresh.keys = s.keys
				for _, name := range [][]byte{metaIndexKey, metaCanary} {
					plain, err := s.open(bucketMeta, name, in.Bucket(bucketMeta).Get(name))
					if err != nil {
						return err
					}
					sealed, err := fresh.seal(bucketMeta, name, plain)
					if err != nil {
						return err
					}
					if err := meta.Put(name, sealed); err != nil {
						return fmt.Errorf("store: reseal: %w", err)
					}
				}
			}
			return in.ForEach(func(name []byte, b *bbolt.Bucket) error {
				if bytes.Equal(name, bucketMeta) {
					return nil // done above; dst has its own schema version
				}
				if out.Bucket(name) != nil {
					if err := out.DeleteBucket(name); err != nil { // dst's are empty
						return fmt.Errorf("store: reseal: %w", err)
					}
				}
				nb, err := out.CreateBucket(name)
				if err != nil {
					return fmt.Errorf("store: reseal: create bucket %s: %w", name, err)
				}
				nb.FillPercent = 0.9 // written in key order
				return b.ForEach(func(k, v []byte) error {
					if v == nil {
						return fmt.Errorf("store: reseal: nested bucket %s/%s is not supported", name, printableKey(k))
					}
					plain, err := s.open(name, k, v)
					if err != nil {
						unreadable++
						return nb.Put(k, v)
					}
					sealed, err := fresh.seal(name, k, plain)
					if err != nil {
						return err
					}
					return nb.Put(k, sealed)
				})
			})
		})
	})
	return unreadable, err
}
