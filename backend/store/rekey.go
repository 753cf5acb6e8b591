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
// version and canary under to. Record keys are copied as they are.
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
	defer old.Close()
	fresh, err := Open(dst, to, opts)
	if err != nil {
		os.Remove(dst)
		return 0, err
	}
	defer func() {
		if cerr := fresh.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(dst)
		}
	}()
	err = old.db.View(func(in *bbolt.Tx) error {
		return fresh.db.Update(func(out *bbolt.Tx) error {
			return in.ForEach(func(name []byte, b *bbolt.Bucket) error {
				nb, err := out.CreateBucketIfNotExists(name)
				if err != nil {
					return fmt.Errorf("store: reseal: create bucket %s: %w", name, err)
				}
				return b.ForEach(func(k, v []byte) error {
					if v == nil {
						return fmt.Errorf("store: reseal: nested bucket %s/%s is not supported", name, printableKey(k))
					}
					if bytes.Equal(name, bucketMeta) && (bytes.Equal(k, metaSchemaVersion) || bytes.Equal(k, metaCanary)) {
						return nil // dst has its own
					}
					plain, err := old.open(name, k, v)
					if err != nil {
						unreadable++
						return nb.Put(k, v)
					}
					return fresh.put(nb, name, k, plain)
				})
			})
		})
	})
	return unreadable, err
}
