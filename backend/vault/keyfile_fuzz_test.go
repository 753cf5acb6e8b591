package vault

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

// A key file on disk may be anything (damage, an edit, another program's
// file under the name): parsing it never panics, and what parses is a key
// file this version wrote. Its checksum covers every field the key depends
// on, so any variant that still parses (other white space, key order,
// letter case of the names) unwraps with the passphrase to the same data
// key, refuses a wrong one as a wrong passphrase, and encodes again to a
// file that parses to the same thing.
func FuzzParseKeyFile(f *testing.F) {
	const pass = "correct horse battery staple"
	dataKey := bytes.Repeat([]byte{7}, dataKeySize)
	kf, err := wrapKey(dataKey, pass, testKDF)
	if err != nil {
		f.Fatal(err)
	}
	pretty, err := kf.encode()
	if err != nil {
		f.Fatal(err)
	}
	compact, _ := json.Marshal(kf)
	f.Add(pretty)
	f.Add(compact)
	f.Add(bytes.Replace(compact, []byte(`"version":1`), []byte(`"version":2`), 1))
	f.Add(bytes.Replace(compact, []byte(`"time":1`), []byte(`"time":4294967295`), 1))
	f.Add([]byte(`{}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"format":"bankdesk-vault-key","version":1e999}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		kf, err := parseKeyFile(raw)
		if err != nil {
			return
		}
		again, err := kf.encode()
		if err != nil {
			t.Fatalf("a parsed key file does not encode: %v", err)
		}
		kf2, err := parseKeyFile(again)
		if err != nil || !reflect.DeepEqual(kf2, kf) {
			t.Fatalf("encode and parse again: %+v, %v; want %+v", kf2, err, kf)
		}
		if kf.Params.Time > testKDF.Time || kf.Params.MemoryKiB > testKDF.MemoryKiB {
			t.Fatalf("parsed with other KDF parameters %+v than the seed's: the checksum should refuse them", kf.Params)
		}
		key, err := kf.unwrapKey(pass)
		if err != nil || !bytes.Equal(key, dataKey) {
			t.Fatalf("unwrap with the passphrase: %x, %v", key, err)
		}
		if _, err := kf.unwrapKey(pass + "!"); !errors.Is(err, ErrWrongPassphrase) {
			t.Fatalf("unwrap with a wrong passphrase: %v", err)
		}
	})
}
