package sandbox

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
)

// randBytes reads n bytes from crypto/rand; secrets (codes, tokens) must be unguessable.
func randBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("sandbox: crypto/rand: " + err.Error()) // never fails on supported platforms
	}
	return b
}

func randHex(n int) string      { return hex.EncodeToString(randBytes(n)) }
func randUpperHex(n int) string { return strings.ToUpper(randHex(n)) }
func randURLSafe(n int) string  { return base64.RawURLEncoding.EncodeToString(randBytes(n)) }

// newUUID returns a random RFC 4122 version 4 UUID.
func newUUID() string {
	b := randBytes(16)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// newCredentialsID mimics TrueLayer's 44-character base64 credentials ids.
func newCredentialsID() string {
	sum := sha256.Sum256(randBytes(32))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// mix64 is the splitmix64 finaliser: a fast, well-distributed 64-bit hash step used
// for deterministic data and per-request ids.
func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// seedOf hashes strings into a 64-bit seed (stable across runs and platforms).
func seedOf(parts ...string) uint64 {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return binary.BigEndian.Uint64(h.Sum(nil))
}

// stableHex returns n bytes of hex derived from parts (n <= 32).
func stableHex(n int, parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:n])
}

// rng is a tiny deterministic generator (splitmix64 stream).
type rng struct{ s uint64 }

func newRNG(seed uint64) rng { return rng{s: seed} }

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// intn returns a value in [0, n).
func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

// between returns a value in [lo, hi].
func (r *rng) between(lo, hi int64) int64 { return lo + int64(r.next()%uint64(hi-lo+1)) }

// chance is true with probability pct/100.
func (r *rng) chance(pct int) bool { return r.intn(100) < pct }

const hexDigits = "0123456789abcdef"

// appendHex64 appends x as 16 lower-case hex digits.
func appendHex64(b []byte, x uint64) []byte {
	for i := 60; i >= 0; i -= 4 {
		b = append(b, hexDigits[(x>>uint(i))&0xf])
	}
	return b
}
