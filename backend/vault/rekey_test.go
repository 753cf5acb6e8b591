package vault

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// A rekey is a new data key under the new passphrase: pending until
// committed, then the only key file, and the old key file's key is not it.
func TestRekeyMakesANewDataKey(t *testing.T) {
	dir := t.TempDir()
	old := mustOpenFile(t, dir, goodPass)
	sealed := mustSeal(t, old, "b", "k", "old data")
	const newPass = "a brand new passphrase"

	if _, err := NewRekey("short"); !errors.Is(err, ErrPassphraseTooShort) {
		t.Fatalf("NewRekey(short): err = %v", err)
	}
	if _, err := NewRekey("         "); !errors.Is(err, ErrPassphraseBlank) {
		t.Fatalf("NewRekey(spaces): err = %v", err)
	}
	rk, err := NewRekey(newPass)
	if err != nil {
		t.Fatal(err)
	}
	defer rk.Close()
	if _, err := rk.Vault().Unseal([]byte("b"), []byte("k"), sealed); !errors.Is(err, ErrTampered) {
		t.Fatalf("the new key opens a record of the old one: err = %v", err)
	}
	resealed := mustSeal(t, rk.Vault(), "b", "k", "old data")

	if err := rk.WritePending(dir); err != nil {
		t.Fatal(err)
	}
	if pending, _ := RekeyPending(dir); !pending {
		t.Fatal("no pending key file after WritePending")
	}
	// Until the commit, the old key file is the key file.
	mustUnseal(t, mustOpenFile(t, dir, goodPass), "b", "k", sealed)

	if err := CommitRekey(dir); err != nil {
		t.Fatal(err)
	}
	if pending, _ := RekeyPending(dir); pending {
		t.Fatal("pending key file left after the commit")
	}
	if _, err := openFile(t, dir, goodPass); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("old passphrase after the rekey: err = %v, want ErrWrongPassphrase", err)
	}
	if got := mustUnseal(t, mustOpenFile(t, dir, newPass), "b", "k", resealed); got != "old data" {
		t.Fatalf("Unseal = %q", got)
	}
	assertOnlyKeyFile(t, dir)
	assertMode(t, filepath.Join(dir, KeyFileName), 0o600)
}

func TestAbortRekeyKeepsTheOldKey(t *testing.T) {
	dir := t.TempDir()
	sealed := mustSeal(t, mustOpenFile(t, dir, goodPass), "b", "k", "v")
	rk, err := NewRekey("a brand new passphrase")
	if err != nil {
		t.Fatal(err)
	}
	if err := rk.WritePending(dir); err != nil {
		t.Fatal(err)
	}
	if err := AbortRekey(dir); err != nil {
		t.Fatal(err)
	}
	if err := AbortRekey(dir); err != nil {
		t.Fatalf("second abort: %v", err)
	}
	mustUnseal(t, mustOpenFile(t, dir, goodPass), "b", "k", sealed)
	assertOnlyKeyFile(t, dir)
}

func TestCommitRekeyNeedsAPendingKeyFile(t *testing.T) {
	dir := t.TempDir()
	mustOpenFile(t, dir, goodPass)
	if err := CommitRekey(dir); err == nil {
		t.Fatal("CommitRekey without a pending key file succeeded")
	}
	if err := os.WriteFile(filepath.Join(dir, PendingKeyFileName), []byte("half a file"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := CommitRekey(dir); !errors.Is(err, ErrKeyFileCorrupt) {
		t.Fatalf("CommitRekey of a damaged pending file: err = %v, want ErrKeyFileCorrupt", err)
	}
	mustOpenFile(t, dir, goodPass)
}
