package wait

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestExponentialDoublesUpToTheCap(t *testing.T) {
	const base, max = 500 * time.Millisecond, 30 * time.Second
	for n, want := range map[int]time.Duration{
		0: base, 1: base, 2: time.Second, 3: 2 * time.Second, 4: 4 * time.Second,
		7: max, 30: max, 1 << 20: max, // no overflow however many tries
	} {
		if got := Exponential(base, max, n); got != want {
			t.Errorf("Exponential(%s, %s, %d) = %s, want %s", base, max, n, got, want)
		}
	}
	if got := Exponential(time.Minute, time.Second, 1); got != time.Second {
		t.Errorf("a base above the cap: %s, want the cap", got)
	}
}

func TestBackoffGrowsIsCappedAndJittered(t *testing.T) {
	const base, max = 500 * time.Millisecond, 30 * time.Second
	for n, full := range map[int]time.Duration{1: 500 * time.Millisecond, 2: time.Second, 4: 4 * time.Second, 7: 30 * time.Second, 30: 30 * time.Second} {
		seen := map[time.Duration]bool{}
		for range 50 {
			w := Backoff(base, max, n)
			if w < full/2 || w > full {
				t.Fatalf("try %d: %s outside [%s, %s]", n, w, full/2, full)
			}
			seen[w] = true
		}
		if len(seen) < 10 {
			t.Errorf("try %d: only %d distinct waits; jitter missing", n, len(seen))
		}
	}
}

func TestJitter(t *testing.T) {
	for range 100 {
		if j := Jitter(time.Second); j < 500*time.Millisecond || j > time.Second {
			t.Fatalf("Jitter(1s) = %s", j)
		}
	}
	for _, d := range []time.Duration{0, 1, -5} {
		if Jitter(d) != d {
			t.Errorf("Jitter(%d) = %d, want it unchanged", d, Jitter(d))
		}
	}
}

func TestSleepEndsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Fatalf("Sleep on a cancelled context = %v", err)
	}
	if err := Sleep(context.Background(), time.Nanosecond); err != nil {
		t.Fatalf("Sleep(1ns) = %v", err)
	}
}
