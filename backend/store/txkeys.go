package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"time"
)

// Key layout of the transactions bucket (see doc.go):
//
//	transactions: accountID 0x00 bookedAt(8) 0x00 dedupeKey → sealed record (txcodec.go)
//
// bookedAt(8) is the booking time in Unix nanoseconds, big-endian, with the
// sign bit flipped so that times before 1970 still sort first. Keys of one
// account are therefore contiguous and ordered by booking time, so a date
// range is one cursor Seek and "newest" is a walk backwards from the end.
// Account ids never contain 0x00, so one id's prefix cannot match another's.

const timeLen = 8

var (
	minKeyTime = time.Unix(0, math.MinInt64)
	maxKeyTime = time.Unix(0, math.MaxInt64)
)

// timeFitsKey reports whether t survives the nanosecond encoding (years
// 1678-2262).
func timeFitsKey(t time.Time) bool {
	return !t.Before(minKeyTime) && !t.After(maxKeyTime)
}

func appendTime(dst []byte, t time.Time) []byte {
	return binary.BigEndian.AppendUint64(dst, uint64(t.UnixNano())^(1<<63))
}

func parseTime(b []byte) time.Time {
	return time.Unix(0, int64(binary.BigEndian.Uint64(b)^(1<<63))).UTC()
}

func primaryKey(accountID string, bookedAt time.Time, dedupeKey string) []byte {
	k := make([]byte, 0, len(accountID)+1+timeLen+1+len(dedupeKey))
	k = append(k, accountID...)
	k = append(k, 0)
	k = appendTime(k, bookedAt)
	k = append(k, 0)
	return append(k, dedupeKey...)
}

func parsePrimaryKey(k []byte) (accountID string, bookedAt time.Time, dedupeKey string, err error) {
	i := bytes.IndexByte(k, 0)
	if i < 1 || len(k) < i+1+timeLen+1 || k[i+1+timeLen] != 0 {
		return "", time.Time{}, "", fmt.Errorf("store: malformed transaction key %s", printableKey(k))
	}
	return string(k[:i]), parseTime(k[i+1 : i+1+timeLen]), string(k[i+1+timeLen+1:]), nil
}
