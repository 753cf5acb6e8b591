package vault

import (
	"os"
	"testing"
)

// TestMain makes Argon2id cheap so the suite stays fast; production cost
// is checked separately in TestDefaultKDFCost.
func TestMain(m *testing.M) {
	newKeyFileKDF = func() kdfParams { return testKDF }
	os.Exit(m.Run())
}

// testKDF is the cost of key files written by these tests.
var testKDF = kdfParams{Time: 1, MemoryKiB: 64, Threads: 1}

func fixedPassphrase(p string) func() (string, error) {
	return func() (string, error) { return p, nil }
}

// testVault is an ephemeral Vault, for record tests.
func testVault(t testing.TB) *Vault {
	t.Helper()
	v, err := NewEphemeral()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func mustSeal(t testing.TB, v *Vault, bucket, key, plaintext string) []byte {
	t.Helper()
	sealed, err := v.Seal([]byte(bucket), []byte(key), []byte(plaintext))
	if err != nil {
		t.Fatalf("Seal(%q, %q): %v", bucket, key, err)
	}
	return sealed
}

func mustUnseal(t testing.TB, v *Vault, bucket, key string, sealed []byte) string {
	t.Helper()
	got, err := v.Unseal([]byte(bucket), []byte(key), sealed)
	if err != nil {
		t.Fatalf("Unseal(%q, %q): %v", bucket, key, err)
	}
	return string(got)
}
