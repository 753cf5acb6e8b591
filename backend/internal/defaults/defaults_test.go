package defaults

import (
	"io"
	"log/slog"
	"testing"
	"time"
)

// Unset, the clock is the wall clock and the logger discards.
func TestUnset(t *testing.T) {
	before := time.Now()
	if got := Now(nil); got.Before(before) || got.After(time.Now()) {
		t.Fatalf("Now(nil) = %s, not the wall clock", got)
	}
	if l := Log(nil); l == nil || l.Enabled(t.Context(), slog.LevelError) {
		t.Fatal("Log(nil) must be a logger that discards")
	}
}

// Set, each is what was given.
func TestSet(t *testing.T) {
	fixed := time.Date(2026, 3, 11, 14, 30, 0, 0, time.UTC)
	if got := Now(func() time.Time { return fixed }); !got.Equal(fixed) {
		t.Fatalf("Now(fixed) = %s", got)
	}
	l := slog.New(slog.NewTextHandler(io.Discard, nil))
	if Log(l) != l {
		t.Fatal("Log(l) is not l")
	}
}
