package vault

import (
	"fmt"
	"os"
	"testing"

	"golang.org/x/crypto/argon2"
)

// kdfParams are the Argon2id cost parameters stored in the key file.
type kdfParams struct {
	Time      uint32 `json:"time"`
	MemoryKiB uint32 `json:"memory_kib"`
	Threads   uint8  `json:"threads"`
}

// defaultKDF is RFC 9106's second recommended option (t=3, m=64 MiB, p=4):
// about a quarter second on a laptop, affordable once per app start.
var defaultKDF = kdfParams{Time: 3, MemoryKiB: 64 * 1024, Threads: 4}

// newKeyFileKDF is the cost for key files written from now on. Tests of
// this package replace it; reading always uses the parameters stored in
// the file.
var newKeyFileKDF = func() kdfParams {
	if p, ok := testBinaryKDF(); ok {
		return p
	}
	return defaultKDF
}

// testBinaryKDF keeps other packages' test suites fast: in a test binary
// (never in Bankdesk itself), BANKDESK_TEST_KDF=cheap gives new key files a
// trivial cost, for tests that create hundreds of them.
func testBinaryKDF() (kdfParams, bool) {
	if testing.Testing() && os.Getenv("BANKDESK_TEST_KDF") == "cheap" {
		return kdfParams{Time: 1, MemoryKiB: 64, Threads: 1}, true
	}
	return kdfParams{}, false
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
