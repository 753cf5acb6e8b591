package store

import (
	"bytes"
	"fmt"
	"strings"
	"time"
)

// validID rejects ids the key layouts cannot carry: empty ones, and ones
// containing the 0x00 separator (which would let one account's key prefix
// match another's).
func validID(what, id string) error {
	if id == "" {
		return fmt.Errorf("%w: empty %s", ErrInvalid, what)
	}
	if strings.IndexByte(id, 0) >= 0 {
		return fmt.Errorf("%w: %s contains a NUL byte", ErrInvalid, what)
	}
	return nil
}

// utc converts to UTC, dropping the monotonic reading, and leaves the zero
// time zero.
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Round(0)
}

// clone copies bytes read inside a bbolt transaction, which are only valid
// until it ends.
func clone(b []byte) []byte { return bytes.Clone(b) }
