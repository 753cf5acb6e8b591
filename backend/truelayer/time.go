package truelayer

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"
)

// Time is a timestamp from TrueLayer. The API mixes formats (RFC 3339 with
// and without fraction, with Z or an offset, no zone at all, bare dates and
// year-months), and its own examples contain malformed values such as
// "2017-02-247T17:29:24.740802Z". Decoding never fails on a string: what
// cannot be parsed leaves a zero Time with Raw holding the text, so one bad
// field does not sink a whole response.
type Time struct {
	time.Time
	// Raw is the text as sent; empty for JSON null or a missing field.
	Raw string
}

// layouts are tried in order after the fast path in parseTime. A value
// without a zone is taken as UTC.
var layouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02",
	"2006-01",
}

// ParseTime parses s leniently; ok is false when no known format matches.
func ParseTime(s string) (t time.Time, ok bool) {
	if layout := guessLayout(s); layout != "" {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	for _, layout := range layouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// guessLayout picks the likely layout from the shape of s, so the common
// cases parse on the first try without building error values.
func guessLayout(s string) string {
	switch {
	case len(s) == 7:
		return "2006-01"
	case len(s) == 10:
		return "2006-01-02"
	case len(s) < 19 || s[10] != 'T':
		return ""
	case len(s) == 19:
		return "2006-01-02T15:04:05"
	}
	last := s[len(s)-1]
	if last == 'Z' || strings.LastIndexAny(s[19:], "+-") >= 0 {
		return time.RFC3339Nano
	}
	return "2006-01-02T15:04:05.999999999"
}

// UnmarshalJSON accepts a string in any known format, null, or anything else
// (kept in Raw with a zero time).
func (t *Time) UnmarshalJSON(b []byte) error {
	*t = Time{}
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' {
		var s string
		if bytes.IndexByte(b, '\\') < 0 {
			s = string(b[1 : len(b)-1]) // timestamps have no escapes: skip the unquoting pass
		} else if err := json.Unmarshal(b, &s); err != nil {
			t.Raw = string(b)
			return nil
		}
		t.Raw = s
		t.Time, _ = ParseTime(s)
		return nil
	}
	t.Raw = string(b)
	return nil
}

// MarshalJSON writes Raw back unchanged, so a stored response round-trips
// exactly; a Time built in code (no Raw) is written as RFC 3339.
func (t Time) MarshalJSON() ([]byte, error) {
	switch {
	case t.Raw != "":
		return json.Marshal(t.Raw)
	case t.Time.IsZero():
		return []byte("null"), nil
	}
	return json.Marshal(t.Time.Format(time.RFC3339Nano))
}

// Valid reports whether the value parsed to a real time.
func (t Time) Valid() bool { return !t.Time.IsZero() }

// String returns RFC 3339, or Raw when it did not parse.
func (t Time) String() string {
	if t.Time.IsZero() {
		return t.Raw
	}
	return t.Time.Format(time.RFC3339Nano)
}

// Zoned reports whether the stamp carried a zone ("Z" or an offset). A
// bare date, or a date-time without one, is the provider's local time, and
// the caller decides which zone that is (bankday).
func (t Time) Zoned() bool {
	s := t.Raw
	if len(s) < 11 || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') {
		return false
	}
	if last := s[len(s)-1]; last == 'Z' || last == 'z' {
		return true
	}
	return strings.LastIndexAny(s[11:], "+-") >= 0
}
