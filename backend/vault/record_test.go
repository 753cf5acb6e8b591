package vault

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestSealUnsealRoundTrip(t *testing.T) {
	v := testVault(t)
	for _, plain := range []string{"", "x", `{"access_token":"secret"}`, strings.Repeat("txn", 2000)} {
		sealed := mustSeal(t, v, "tokens", "acc-1", plain)
		if len(sealed) != len(plain)+RecordOverhead {
			t.Errorf("len(sealed) = %d, want %d", len(sealed), len(plain)+RecordOverhead)
		}
		if sealed[0] != recordVersion {
			t.Errorf("version byte = %d, want %d", sealed[0], recordVersion)
		}
		if len(plain) > 4 && bytes.Contains(sealed, []byte(plain)) {
			t.Errorf("sealed record contains the plaintext")
		}
		if got := mustUnseal(t, v, "tokens", "acc-1", sealed); got != plain {
			t.Errorf("Unseal = %q, want %q", got, plain)
		}
	}
}

func TestSealUsesFreshNonces(t *testing.T) {
	v := testVault(t)
	a := mustSeal(t, v, "b", "k", "same")
	b := mustSeal(t, v, "b", "k", "same")
	if bytes.Equal(a[1:1+nonceSize], b[1:1+nonceSize]) || bytes.Equal(a, b) {
		t.Fatal("two seals of the same record share a nonce")
	}
}

func TestUnsealRejectsRecordMovedToOtherBucketOrKey(t *testing.T) {
	v := testVault(t)
	sealed := mustSeal(t, v, "ab", "c", "payload")
	for _, tc := range []struct{ name, bucket, key string }{
		{"other bucket", "accounts", "c"},
		{"other key", "ab", "d"},
		{"boundary shifted", "a", "bc"},
		{"bucket and key swapped", "c", "ab"},
		{"empty bucket", "", "abc"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := v.Unseal([]byte(tc.bucket), []byte(tc.key), sealed); !errors.Is(err, ErrTampered) {
				t.Fatalf("err = %v, want ErrTampered", err)
			}
		})
	}
}

func TestUnsealRejectsSwappedRecords(t *testing.T) {
	v := testVault(t)
	one := mustSeal(t, v, "txns", "acc-1|2024-01-01", "one")
	two := mustSeal(t, v, "txns", "acc-1|2024-01-02", "two")
	// An attacker with write access swaps the two values on disk.
	if _, err := v.Unseal([]byte("txns"), []byte("acc-1|2024-01-01"), two); !errors.Is(err, ErrTampered) {
		t.Errorf("swapped record 1: err = %v, want ErrTampered", err)
	}
	if _, err := v.Unseal([]byte("txns"), []byte("acc-1|2024-01-02"), one); !errors.Is(err, ErrTampered) {
		t.Errorf("swapped record 2: err = %v, want ErrTampered", err)
	}
}

func TestUnsealRejectsEveryFlippedByte(t *testing.T) {
	v := testVault(t)
	sealed := mustSeal(t, v, "settings", "theme", "dark mode please")
	for i := range sealed {
		for _, mask := range []byte{0x01, 0x80, 0xff} {
			bad := bytes.Clone(sealed)
			bad[i] ^= mask
			if _, err := v.Unseal([]byte("settings"), []byte("theme"), bad); !errors.Is(err, ErrTampered) {
				t.Fatalf("byte %d ^ %#x: err = %v, want ErrTampered", i, mask, err)
			}
		}
	}
}

func TestUnsealRejectsTruncatedOrExtended(t *testing.T) {
	v := testVault(t)
	sealed := mustSeal(t, v, "b", "k", "some value")
	for n := 0; n < len(sealed); n++ {
		if _, err := v.Unseal([]byte("b"), []byte("k"), sealed[:n]); !errors.Is(err, ErrTampered) {
			t.Fatalf("truncated to %d bytes: err = %v, want ErrTampered", n, err)
		}
	}
	if _, err := v.Unseal([]byte("b"), []byte("k"), append(bytes.Clone(sealed), 0)); !errors.Is(err, ErrTampered) {
		t.Fatalf("extended by one byte: err = %v, want ErrTampered", err)
	}
}

func TestUnsealRejectsOtherDataKey(t *testing.T) {
	sealed := mustSeal(t, testVault(t), "b", "k", "v")
	if _, err := testVault(t).Unseal([]byte("b"), []byte("k"), sealed); !errors.Is(err, ErrTampered) {
		t.Fatalf("err = %v, want ErrTampered", err)
	}
}

func TestCloseZeroesKeyAndStopsUse(t *testing.T) {
	v := testVault(t)
	sealed := mustSeal(t, v, "b", "k", "v")
	key := v.key
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(key, make([]byte, dataKeySize)) {
		t.Error("Close left the data key in memory")
	}
	if _, err := v.Seal([]byte("b"), []byte("k"), []byte("v")); !errors.Is(err, ErrClosed) {
		t.Errorf("Seal after Close: err = %v, want ErrClosed", err)
	}
	if _, err := v.Unseal([]byte("b"), []byte("k"), sealed); !errors.Is(err, ErrClosed) {
		t.Errorf("Unseal after Close: err = %v, want ErrClosed", err)
	}
	if err := v.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestRecordAADIsUnambiguous(t *testing.T) {
	if bytes.Equal(recordAAD(1, []byte("ab"), []byte("c")), recordAAD(1, []byte("a"), []byte("bc"))) {
		t.Fatal(`AAD("ab","c") == AAD("a","bc")`)
	}
	if bytes.Equal(recordAAD(1, []byte("b"), []byte("k")), recordAAD(2, []byte("b"), []byte("k"))) {
		t.Fatal("AAD ignores the version")
	}
}

func TestEphemeralVault(t *testing.T) {
	v := testVault(t)
	if v.Backend() != BackendMemory {
		t.Fatalf("Backend() = %q, want memory", v.Backend())
	}
	if other := testVault(t); bytes.Equal(v.key, other.key) {
		t.Fatal("two ephemeral vaults share a key")
	}
}

// A carried key opens, in a second Vault, what the first sealed; the
// caller's copy is its own (clearing it changes nothing), and a key of
// the wrong length is refused.
func TestCarriedKeyOpensWhatItsVaultSealed(t *testing.T) {
	v, key, err := NewCarried()
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := v.Seal([]byte("b"), []byte("k"), []byte("secret"))
	if err != nil {
		t.Fatal(err)
	}
	w, err := OpenCarried(key)
	if err != nil {
		t.Fatal(err)
	}
	clear(key)
	for _, x := range []*Vault{v, w} {
		if bytes.Equal(x.key, make([]byte, dataKeySize)) {
			t.Error("clearing the caller's copy cleared the vault's key")
		}
		if plain, err := x.Unseal([]byte("b"), []byte("k"), sealed); err != nil || string(plain) != "secret" {
			t.Errorf("Unseal = %q, %v", plain, err)
		}
	}
	if _, err := OpenCarried(key[:16]); err == nil {
		t.Error("a 16-byte key was taken")
	}
}
