package vault

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/99designs/keyring"
)

// Two data directories in one keyring get two items and two keys. Before,
// every directory used the one item bankdesk/data-key-v1, so records could
// move between stores undetected and deleting one item broke them all.
func TestEachDirectoryHasItsOwnKeyringItem(t *testing.T) {
	ss := newFakeRing()
	f := onlyRing(keyring.SecretServiceBackend, ss)
	a, err := Open(autoOptions(t.TempDir(), f))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Open(autoOptions(t.TempDir(), f))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a.key, b.key) {
		t.Fatal("two data directories share one data key")
	}
	if n := len(mustKeys(t, ss)); n != 2 {
		t.Fatalf("keyring holds %d items, want one per directory", n)
	}
	if _, err := b.Unseal([]byte("b"), []byte("k"), mustSeal(t, a, "b", "k", "v")); !errors.Is(err, ErrTampered) {
		t.Fatalf("a record of one directory opens in the other: %v", err)
	}
}

func mustKeys(t *testing.T, r *fakeRing) []string {
	t.Helper()
	keys, err := r.ArrayKeyring.Keys()
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// putLegacyItem stores key as the item every directory shared before.
func putLegacyItem(r *fakeRing, key []byte) {
	_ = r.ArrayKeyring.Set(keyring.Item{Key: itemKey(keyring.SecretServiceBackend, DefaultService, ""),
		Data: []byte(base64.StdEncoding.EncodeToString(key))})
}

// A directory set up by an older version (its marker names the shared
// item) keeps opening with that item; so does one whose marker is gone,
// when its data exists; a new directory never takes the shared item.
func TestLegacySharedItemKeepsWorking(t *testing.T) {
	legacy := bytes.Repeat([]byte{7}, dataKeySize)
	ss := newFakeRing()
	putLegacyItem(ss, legacy)
	f := onlyRing(keyring.SecretServiceBackend, ss)

	t.Run("marker names it", func(t *testing.T) {
		dir := t.TempDir()
		if err := writeMarker(dir, keyring.SecretServiceBackend, DefaultService, itemKey(keyring.SecretServiceBackend, DefaultService, "")); err != nil {
			t.Fatal(err)
		}
		v, err := Open(autoOptions(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(v.key, legacy) {
			t.Fatal("the legacy item named by the marker was not used")
		}
	})
	t.Run("marker gone, data exists", func(t *testing.T) {
		dir := t.TempDir()
		o := autoOptions(dir, f)
		o.MustExist = true
		v, err := Open(o)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(v.key, legacy) {
			t.Fatal("the legacy item was not adopted")
		}
		m, err := readMarker(dir)
		if err != nil || m == nil || !m.shared() {
			t.Fatalf("marker after adoption = %+v, %v; want it to name the shared item", m, err)
		}
	})
	t.Run("new directory", func(t *testing.T) {
		sets := ss.sets
		v, err := Open(autoOptions(t.TempDir(), f))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(v.key, legacy) || ss.sets != sets+1 {
			t.Fatal("a new directory took the shared legacy item instead of its own")
		}
	})
}

// With MustExist (the data exists), a missing key is reported and nothing
// is created, in either mode; before, a deleted vault.key or keyring item
// silently became a new key.
func TestMustExistNeverCreatesAKey(t *testing.T) {
	t.Run("file", func(t *testing.T) {
		dir := t.TempDir()
		_, err := Open(Options{Mode: ModeFile, Dir: dir, MustExist: true, Passphrase: fixedPassphrase(goodPass)})
		if !errors.Is(err, ErrKeyMissing) {
			t.Fatalf("err = %v, want ErrKeyMissing", err)
		}
		assertNoKeyFile(t, dir)
	})
	t.Run("auto, keyring empty", func(t *testing.T) {
		dir := t.TempDir()
		ss := newFakeRing()
		f := onlyRing(keyring.SecretServiceBackend, ss)
		o := autoOptions(dir, f)
		o.MustExist = true
		o.Passphrase = fixedPassphrase(goodPass)
		if _, err := Open(o); !errors.Is(err, ErrKeyMissing) {
			t.Fatalf("err = %v, want ErrKeyMissing", err)
		}
		if ss.sets != 0 {
			t.Fatal("a key was stored in the keyring")
		}
		assertNoKeyFile(t, dir)
		if _, err := os.Stat(filepath.Join(dir, MarkerFileName)); err == nil {
			t.Fatal("marker written")
		}
	})
	t.Run("auto, keyring locked", func(t *testing.T) {
		ss := newFakeRing()
		ss.getErr = errors.New("collection is locked")
		f := onlyRing(keyring.SecretServiceBackend, ss)
		o := autoOptions(t.TempDir(), f)
		o.MustExist = true
		if _, err := Open(o); !errors.Is(err, ErrLocked) {
			t.Fatalf("err = %v, want ErrLocked: a locked keyring may hold the key", err)
		}
	})
}

// racingRing stores a different key than the one it is given, as when
// another writer's Set lands between ours and the read-back.
type racingRing struct {
	*fakeRing
	theirs []byte
}

func (r *racingRing) Set(it keyring.Item) error {
	it.Data = []byte(base64.StdEncoding.EncodeToString(r.theirs))
	return r.fakeRing.Set(it)
}

// A new keyring item is read back and the value read back is used: it is
// what every later start reads. Before, a differing read-back failed the
// backend and fell through to another one.
func TestNewKeyringItemIsReadBack(t *testing.T) {
	theirs := bytes.Repeat([]byte{9}, dataKeySize)
	ring := &racingRing{fakeRing: newFakeRing(), theirs: theirs}
	o := Options{Dir: t.TempDir(), Backends: []keyring.BackendType{keyring.SecretServiceBackend},
		openKeyring: func(keyring.Config) (keyring.Keyring, error) { return ring, nil }}
	v, err := Open(o)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(v.key, theirs) {
		t.Fatal("the vault uses the key it generated, not the one the keyring holds")
	}
}

// A key file is created exclusively: one that appears meanwhile is never
// replaced. Before, temp file + rename replaced it, which is how two first
// runs ended with one's key in vault.key and the other's canary in the
// store.
func TestKeyFileCreationIsExclusive(t *testing.T) {
	dir := t.TempDir()
	mustOpenFile(t, dir, goodPass)
	before, err := os.ReadFile(keyFilePath(dir))
	if err != nil {
		t.Fatal(err)
	}
	o, _ := Options{Mode: ModeFile, Dir: dir, Passphrase: fixedPassphrase("another passphrase")}.withDefaults()
	if _, err := createKeyFile(o); !errors.Is(err, ErrKeyFileExists) {
		t.Fatalf("createKeyFile over an existing key file: err = %v, want ErrKeyFileExists", err)
	}
	after, _ := os.ReadFile(keyFilePath(dir))
	if !bytes.Equal(before, after) {
		t.Fatal("the existing key file was replaced")
	}
	assertOnlyKeyFile(t, dir)
}

// blockingKeyrings never answers, like a Secret Service that D-Bus can
// activate but that never starts.
type blockingKeyrings struct{ calls chan struct{} }

func (b blockingKeyrings) open(keyring.Config) (keyring.Keyring, error) {
	b.calls <- struct{}{}
	select {}
}

// A keyring that never answers costs KeyringTimeout, not two minutes; the
// error names the backend; with a passphrase the file vault is used; with
// a marker it is ErrLocked; Ctrl+C (ctx) stops the wait at once.
func TestKeyringDeadline(t *testing.T) {
	stuck := blockingKeyrings{calls: make(chan struct{}, 10)}
	opts := func(dir string) Options {
		return Options{Dir: dir, Backends: []keyring.BackendType{keyring.SecretServiceBackend},
			KeyringTimeout: 1, openKeyring: stuck.open}
	}
	t.Run("no answer", func(t *testing.T) {
		_, err := Open(opts(t.TempDir()))
		var te *KeyringTimeoutError
		if !errors.Is(err, ErrNeedPassphrase) || !errors.As(err, &te) || te.Backend != keyring.SecretServiceBackend {
			t.Fatalf("err = %v, want ErrNeedPassphrase and a KeyringTimeoutError for secret-service", err)
		}
		te.After = DefaultKeyringTimeout
		if want := "the OS keyring (Secret Service) did not answer within 5 s"; te.Error() != want {
			t.Fatalf("message = %q, want %q", te.Error(), want)
		}
	})
	t.Run("passphrase", func(t *testing.T) {
		o := opts(t.TempDir())
		o.Passphrase = fixedPassphrase(goodPass)
		v, err := Open(o)
		if err != nil || v.Backend() != BackendFile {
			t.Fatalf("Open = %v, %v; want the file vault", v, err)
		}
	})
	t.Run("marker", func(t *testing.T) {
		dir := t.TempDir()
		if err := writeMarker(dir, keyring.SecretServiceBackend, DefaultService, itemKey(keyring.SecretServiceBackend, DefaultService, "")); err != nil {
			t.Fatal(err)
		}
		if _, err := Open(opts(dir)); !errors.Is(err, ErrLocked) || !errors.Is(err, ErrKeyringTimeout) {
			t.Fatalf("err = %v, want ErrLocked and ErrKeyringTimeout", err)
		}
	})
	t.Run("interrupted", func(t *testing.T) {
		o := opts(t.TempDir())
		o.KeyringTimeout = 1 << 62 // only the cancellation can end it
		o.Passphrase = fixedPassphrase(goodPass)
		for len(stuck.calls) > 0 {
			<-stuck.calls // the earlier subtests' calls
		}
		ctx, cancel := context.WithCancel(context.Background())
		go func() { <-stuck.calls; cancel() }() // Ctrl+C once the keyring is being asked
		_, err := OpenContext(ctx, o)
		var ie *InterruptedError
		if !errors.Is(err, context.Canceled) || !errors.As(err, &ie) {
			t.Fatalf("err = %v, want an InterruptedError wrapping context.Canceled", err)
		}
		assertNoKeyFile(t, o.Dir)
	})
}

// Removing a directory's key deletes its own keyring item and the vault's
// files, but never the legacy item other directories may share.
func TestRemoveKeyMaterial(t *testing.T) {
	ss := newFakeRing()
	legacy := bytes.Repeat([]byte{7}, dataKeySize)
	putLegacyItem(ss, legacy)
	f := onlyRing(keyring.SecretServiceBackend, ss)

	own := t.TempDir()
	if _, err := Open(autoOptions(own, f)); err != nil {
		t.Fatal(err)
	}
	m, err := FindKeyMaterial(own)
	if err != nil || !m.Exists() || m.Keyring == nil || m.Keyring.Shared || len(m.Files) != 2 {
		t.Fatalf("FindKeyMaterial = %+v, %v; want the marker and the id, an own item", m, err)
	}
	if err := RemoveKeyMaterial(context.Background(), autoOptions(own, f)); err != nil {
		t.Fatal(err)
	}
	if keys := mustKeys(t, ss); len(keys) != 1 || keys[0] != itemKey(keyring.SecretServiceBackend, DefaultService, "") {
		t.Fatalf("keyring after removal = %v, want only the legacy item", keys)
	}
	if entries, _ := os.ReadDir(own); len(entries) != 0 {
		t.Fatalf("files left: %v", entries)
	}

	shared := t.TempDir()
	o := autoOptions(shared, f)
	o.MustExist = true
	if _, err := Open(o); err != nil {
		t.Fatal(err)
	}
	if m, _ := FindKeyMaterial(shared); m.Keyring == nil || !m.Keyring.Shared {
		t.Fatalf("FindKeyMaterial = %+v, want the shared item", m)
	}
	if err := RemoveKeyMaterial(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	if len(mustKeys(t, ss)) != 1 {
		t.Fatal("the shared legacy item was deleted")
	}
}
