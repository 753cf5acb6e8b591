package defaults

import (
	"bytes"
	"log/slog"
	"testing"
	"time"
)

func TestNowIsTheGivenClockElseTheWallClock(t *testing.T) {
	fixed := time.Date(2026, 3, 11, 14, 30, 0, 0, time.UTC)
	if got := Now(func() time.Time { return fixed }); !got.Equal(fixed) {
		t.Fatalf("Now(fixed) = %s", got)
	}
	before := time.Now()
	if got := Now(nil); got.Before(before) || got.After(time.Now()) {
		t.Fatalf("Now(nil) = %s, not the wall clock", got)
	}
}

func TestLogIsTheGivenLoggerElseDiscards(t *testing.T) {
	var buf bytes.Buffer
	l := slog.New(slog.NewTextHandler(&buf, nil))
	if Log(l) != l {
		t.Fatal("Log(l) is not l")
	}
	if Log(nil) == nil || Log(nil).Enabled(t.Context(), slog.LevelError) {
		t.Fatal("Log(nil) must be a logger that discards")
	}
}
