package store

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"go.etcd.io/bbolt"
)

// Reseal copies every record under the new sealer: the copy opens with it
// and not with the old one, and holds the same data.
func TestResealMovesEveryRecordToTheNewKey(t *testing.T) {
	from, to := newXChaChaSealer(), newXChaChaSealer()
	st, src := openTemp(t, from)
	withAccount(t, st, "conn-1", "acc-1")
	if err := st.PutSetting("theme", []byte("dark")); err != nil {
		t.Fatal(err)
	}
	got, dst := reseal(t, st, src, from, to, 0)
	accts, err := got.Accounts()
	if err != nil || len(accts) != 1 || accts[0].ID != "acc-1" {
		t.Fatalf("accounts in the copy = %+v, %v", accts, err)
	}
	if v, err := got.Setting("theme"); err != nil || string(v) != "dark" {
		t.Fatalf("setting in the copy = %q, %v", v, err)
	}
	if _, err := got.Connection("conn-1"); err != nil {
		t.Fatalf("connection in the copy: %v", err)
	}
	got.Close()
	if _, err := Open(dst, from, Options{}); !errors.Is(err, ErrUnreadable) {
		t.Fatalf("the copy opens with the old sealer: err = %v", err)
	}
}

// A record the old key cannot open is copied as it was and counted: one
// damaged record does not stop a passphrase change.
func TestResealKeepsAnUnreadableRecord(t *testing.T) {
	from, to := newXChaChaSealer(), newXChaChaSealer()
	st, src := openTemp(t, from)
	if err := st.PutSetting("theme", []byte("dark")); err != nil {
		t.Fatal(err)
	}
	err := st.db.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketSettings).Put(st.key(bucketSettings, []byte("damaged")), []byte("not sealed at all"))
	})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := reseal(t, st, src, from, to, 1)
	if v, err := got.Setting("theme"); err != nil || string(v) != "dark" {
		t.Fatalf("readable setting = %q, %v", v, err)
	}
	if _, err := got.Setting("damaged"); !errors.Is(err, ErrUnreadable) {
		t.Fatalf("damaged setting: err = %v, want it still there and unreadable", err)
	}
}

// reseal closes st, copies its file at src under the sealer to, wants that
// many records unreadable under from, and opens the copy with to; the
// copy's path is dst.
func reseal(t *testing.T, st *Store, src string, from, to Sealer, wantUnreadable int) (got *Store, dst string) {
	t.Helper()
	st.Close()
	dst = src + ".rekey"
	unreadable, err := Reseal(src, dst, from, to, Options{})
	if err != nil || unreadable != wantUnreadable {
		t.Fatalf("Reseal = %d, %v; want %d unreadable records", unreadable, err, wantUnreadable)
	}
	got, err = Open(dst, to, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { got.Close() })
	return got, dst
}

func TestResealRefusesAnExistingDestination(t *testing.T) {
	from := newXChaChaSealer()
	st, src := openTemp(t, from)
	st.Close()
	dst := filepath.Join(filepath.Dir(src), "taken")
	if err := os.WriteFile(dst, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Reseal(src, dst, from, newXChaChaSealer(), Options{}); err == nil {
		t.Fatal("Reseal over an existing file succeeded")
	}
	if raw, _ := os.ReadFile(dst); string(raw) != "keep me" {
		t.Fatal("the existing file was touched")
	}
	if _, err := Reseal(src, src+".x", newXChaChaSealer(), newXChaChaSealer(), Options{}); !errors.Is(err, ErrUnreadable) {
		t.Fatalf("Reseal with the wrong old key: err = %v, want ErrUnreadable", err)
	}
	if _, err := os.Stat(src + ".x"); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("a failed Reseal left its copy")
	}
}
