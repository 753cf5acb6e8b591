package vault

import (
	"bytes"
	"os"
	"testing"
	"time"
)

// The Argon2id cost is calibrated to the target on the measured machine:
// passes are added (memory and lanes stay), never below RFC 9106's t=3,
// never above what a key file may hold; a second measure corrects the
// first, which includes touching the memory for the first time.
func TestCalibrate(t *testing.T) {
	perPass := func(pass, first time.Duration) func(kdfParams) time.Duration {
		calls := 0
		return func(p kdfParams) time.Duration {
			if p.MemoryKiB != defaultKDF.MemoryKiB || p.Threads != defaultKDF.Threads {
				t.Fatalf("measured at %+v: memory and lanes must stay", p)
			}
			calls++
			d := time.Duration(p.Time) * pass
			if calls == 1 {
				d += first
			}
			return d
		}
	}
	for _, c := range []struct {
		name        string
		pass, first time.Duration
		want        uint32
	}{
		{"laptop", 50 * time.Millisecond, 0, 15},
		{"first touch is slow", 50 * time.Millisecond, 150 * time.Millisecond, 15},
		{"slow machine", 400 * time.Millisecond, 0, 3},
		{"very fast machine", time.Millisecond, 0, maxKDFTime},
	} {
		got := calibrate(defaultKDF, kdfTarget, perPass(c.pass, c.first))
		if got.Time != c.want || got.MemoryKiB != defaultKDF.MemoryKiB || got.Threads != defaultKDF.Threads {
			t.Errorf("%s: calibrate = %+v, want t=%d", c.name, got, c.want)
		}
		if took := time.Duration(got.Time) * c.pass; c.want != 3 && c.want != maxKDFTime && (took < 500*time.Millisecond || took > time.Second) {
			t.Errorf("%s: one derivation would take %s, want 0.5–1 s", c.name, took)
		}
	}
}

// New key files record the calibrated cost in their header; an existing
// key file keeps the cost it was written with (it is only read).
func TestCalibratedCostIsStoredAndOldFilesKeepTheirs(t *testing.T) {
	calibrated := kdfParams{Time: 5, MemoryKiB: 64, Threads: 1}
	saved := newKeyFileKDF
	newKeyFileKDF = func() kdfParams { return calibrated }
	defer func() { newKeyFileKDF = saved }()

	dir := t.TempDir()
	mustOpenFile(t, dir, goodPass).Close()
	if got := readTestKeyFile(t, dir).Params; got != calibrated {
		t.Fatalf("key file header params = %+v, want the calibrated %+v", got, calibrated)
	}
	before, _ := os.ReadFile(keyFilePath(dir))
	newKeyFileKDF = func() kdfParams { return kdfParams{Time: 9, MemoryKiB: 64, Threads: 1} }
	mustOpenFile(t, dir, goodPass).Close()
	after, _ := os.ReadFile(keyFilePath(dir))
	if !bytes.Equal(before, after) {
		t.Fatal("opening rewrote the key file")
	}
}
