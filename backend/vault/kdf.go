package vault

import (
	"fmt"
	"math"
	"os"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"
)

// kdfParams are the Argon2id cost parameters stored in the key file.
type kdfParams struct {
	Time      uint32 `json:"time"`
	MemoryKiB uint32 `json:"memory_kib"`
	Threads   uint8  `json:"threads"`
}

// defaultKDF is RFC 9106's second recommended option (t=3, m=64 MiB, p=4).
// It is the floor of the calibration: memory and lanes stay, passes are
// added until one derivation takes about kdfTarget on this machine.
var defaultKDF = kdfParams{Time: 3, MemoryKiB: 64 * 1024, Threads: 4}

// kdfTarget is how long one derivation should take where the key file is
// created: once per start is affordable, and each guess at a stolen key
// file costs the same (KeePassXC calibrates to 1 s; age's scrypt is ~1 s).
const kdfTarget = 750 * time.Millisecond

// newKeyFileKDF is the cost for a key file written now: calibrated on this
// machine, then stored in the file's header, so reading always uses the
// parameters the file was written with (old files keep theirs). Tests of
// this package replace it.
var newKeyFileKDF = func() kdfParams {
	if p, ok := testBinaryKDF(); ok {
		return p
	}
	return calibrate(defaultKDF, kdfTarget, timeDerivation)
}

// testBinaryKDF keeps other packages' test suites fast: in a test binary
// (never in Bankdesk itself) new key files use the fixed defaultKDF instead
// of a calibration, or, with BANKDESK_TEST_KDF=cheap, a trivial cost for
// tests that create hundreds of key files.
func testBinaryKDF() (kdfParams, bool) {
	if !testing.Testing() {
		return kdfParams{}, false
	}
	if os.Getenv("BANKDESK_TEST_KDF") == "cheap" {
		return kdfParams{Time: 1, MemoryKiB: 64, Threads: 1}, true
	}
	return defaultKDF, true
}

// calibrate returns base with as many passes as make one derivation take
// about target, by measure. The first measure, at base, includes the cost
// of touching the memory for the first time; a second one at the estimate
// corrects it. Never below base, never above what a key file may hold.
func calibrate(base kdfParams, target time.Duration, measure func(kdfParams) time.Duration) kdfParams {
	p := base
	for range 2 {
		d := measure(p)
		if d <= 0 {
			break
		}
		t := math.Round(float64(p.Time) * float64(target) / float64(d))
		p.Time = uint32(min(max(t, float64(base.Time)), maxKDFTime))
	}
	return p
}

// timeDerivation measures one derivation at p.
func timeDerivation(p kdfParams) time.Duration {
	start := time.Now()
	out := argon2.IDKey([]byte("bankdesk calibration"), make([]byte, saltSize), p.Time, p.MemoryKiB, p.Threads, 2*dataKeySize)
	d := time.Since(start)
	zero(out)
	return d
}

// Bounds for stored parameters, so a damaged file cannot ask for absurd
// time or memory.
const (
	maxKDFTime      = 64
	maxKDFMemoryKiB = 4 << 20 // 4 GiB
	maxKDFThreads   = 64
)

func (p kdfParams) validate() error {
	switch {
	case p.Time < 1 || p.Time > maxKDFTime:
		return fmt.Errorf("argon2id time %d out of range", p.Time)
	case p.Threads < 1 || p.Threads > maxKDFThreads:
		return fmt.Errorf("argon2id threads %d out of range", p.Threads)
	case p.MemoryKiB < 8*uint32(p.Threads) || p.MemoryKiB > maxKDFMemoryKiB:
		return fmt.Errorf("argon2id memory %d KiB out of range", p.MemoryKiB)
	}
	return nil
}

// deriveKeys stretches the passphrase into a key-encryption key and a
// separate key for the passphrase check value.
func deriveKeys(passphrase string, salt []byte, p kdfParams) (kek, checkKey []byte) {
	pass := []byte(passphrase)
	defer zero(pass)
	out := argon2.IDKey(pass, salt, p.Time, p.MemoryKiB, p.Threads, 2*dataKeySize)
	return out[:dataKeySize], out[dataKeySize:]
}
