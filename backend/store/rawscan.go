package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// rawScan reads a bbolt file page by page, without following its tree,
// and hands fn every key and value found in a leaf page (those of inline
// buckets too). A damaged file's tree may lead nowhere, or into a page
// that makes bbolt panic, while most leaf pages are intact: repair finds
// their records this way, and the sealer, which binds every value to its
// bucket and key, tells which bucket each belongs to and that it is
// whole. Freed pages may hold older versions of records; callers prefer
// what the tree or a snapshot says.
func rawScan(path string, fn func(key, value []byte)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }() // read only
	head := make([]byte, 4096)
	n, _ := io.ReadFull(f, head)
	meta, ok := readMeta(head[:n])
	if !ok {
		// Both meta pages may be gone: try the usual page size.
		meta = boltMeta{pageSize: 4096}
	}
	ps := int64(meta.pageSize)
	info, err := f.Stat()
	if err != nil {
		return err
	}
	pages := info.Size() / ps
	buf := make([]byte, ps)
	for id := int64(2); id < pages; id++ {
		if _, err := f.ReadAt(buf, id*ps); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return fmt.Errorf("store: read page %d: %w", id, err)
		}
		flags := binary.LittleEndian.Uint16(buf[8:])
		overflow := int64(binary.LittleEndian.Uint32(buf[12:]))
		if flags&leafPageFlag == 0 || overflow > pages {
			continue
		}
		node := buf
		if overflow > 0 {
			node = make([]byte, ps*(1+overflow))
			if _, err := f.ReadAt(node, id*ps); err != nil {
				continue
			}
		}
		scanLeaf(node, fn, 0)
	}
	return nil
}

// bbolt page and element flags.
const (
	leafPageFlag   = 0x02
	bucketLeafFlag = 0x01
	leafElemSize   = 16
	inBucketSize   = 16
)

// scanLeaf walks one leaf page (or an inline bucket's page) defensively:
// a bad count, offset or size ends it rather than reading past the page.
func scanLeaf(page []byte, fn func(key, value []byte), depth int) {
	if len(page) < pageHeaderSize || depth > 8 {
		return
	}
	count := int(binary.LittleEndian.Uint16(page[10:]))
	if pageHeaderSize+count*leafElemSize > len(page) {
		return
	}
	for i := range count {
		e := pageHeaderSize + i*leafElemSize
		le := binary.LittleEndian
		flags := le.Uint32(page[e:])
		pos, ksize, vsize := int(le.Uint32(page[e+4:])), int(le.Uint32(page[e+8:])), int(le.Uint32(page[e+12:]))
		start := e + pos
		if pos <= 0 || ksize < 0 || vsize < 0 || start+ksize+vsize > len(page) || start < 0 {
			continue
		}
		key, value := page[start:start+ksize], page[start+ksize:start+ksize+vsize]
		if flags&bucketLeafFlag != 0 {
			// A bucket: inline ones carry their page after the header.
			if len(value) > inBucketSize && binary.LittleEndian.Uint64(value) == 0 {
				scanLeaf(value[inBucketSize:], fn, depth+1)
			}
			continue
		}
		fn(key, value)
	}
}
