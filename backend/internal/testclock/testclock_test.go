package testclock

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestSleepMovesTheClockUnlessCancelled(t *testing.T) {
	start := time.Date(2026, 3, 11, 14, 30, 0, 0, time.UTC)
	c := New(start)
	if err := c.Sleep(context.Background(), time.Hour); err != nil || !c.Now().Equal(start.Add(time.Hour)) {
		t.Fatalf("Sleep(1h) = %v, clock at %s", err, c.Now())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) || !c.Now().Equal(start.Add(time.Hour)) {
		t.Fatalf("Sleep on a cancelled context = %v, clock at %s", err, c.Now())
	}
}
