package vault

import (
	"bytes"
	"errors"
	"testing"
)

// Whatever a record's bytes, Unseal never panics: it opens what Seal wrote
// for the same bucket and key, and refuses anything else as ErrTampered.
func FuzzUnseal(f *testing.F) {
	v, err := NewEphemeral()
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { v.Close() })
	f.Add([]byte("transactions"), []byte("acc-1/2026-03-06"), []byte(`{"amount":"-12.50"}`), []byte{}, false)
	f.Add([]byte("ab"), []byte("c"), []byte{}, []byte{recordVersion}, true)
	f.Add([]byte{}, []byte{}, []byte{0}, bytes.Repeat([]byte{recordVersion}, RecordOverhead), true)
	f.Fuzz(func(t *testing.T, bucket, key, plaintext, other []byte, useOther bool) {
		sealed, err := v.Seal(bucket, key, plaintext)
		if err != nil {
			t.Fatal(err)
		}
		got, err := v.Unseal(bucket, key, sealed)
		if err != nil || !bytes.Equal(got, plaintext) {
			t.Fatalf("Unseal(Seal(%q)) = %q, %v", plaintext, got, err)
		}
		// The same record under another name, or bytes Seal did not write.
		if _, err := v.Unseal(append(bytes.Clone(bucket), 'x'), key, sealed); !errors.Is(err, ErrTampered) {
			t.Fatalf("opened under another bucket: %v", err)
		}
		if useOther && !bytes.Equal(other, sealed) {
			if _, err := v.Unseal(bucket, key, other); !errors.Is(err, ErrTampered) {
				t.Fatalf("Unseal(%x) = %v, want ErrTampered", other, err)
			}
		}
	})
}
