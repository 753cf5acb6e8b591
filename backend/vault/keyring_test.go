package vault

import (
	"bytes"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/99designs/keyring"
)

// fakeRing is an in-memory keyring that can be told to fail.
type fakeRing struct {
	*keyring.ArrayKeyring
	getErr   error // returned by Get instead of looking
	setErr   error // returned by Set
	dropSets bool  // Set "succeeds" but stores nothing
	sets     int
}

func newFakeRing() *fakeRing { return &fakeRing{ArrayKeyring: keyring.NewArrayKeyring(nil)} }

func (r *fakeRing) Get(key string) (keyring.Item, error) {
	if r.getErr != nil {
		return keyring.Item{}, r.getErr
	}
	return r.ArrayKeyring.Get(key)
}

func (r *fakeRing) Set(it keyring.Item) error {
	r.sets++
	if r.setErr != nil {
		return r.setErr
	}
	if r.dropSets {
		return nil
	}
	return r.ArrayKeyring.Set(it)
}

// fakeKeyrings stands in for keyring.Open: backends missing from rings
// fail to open, as a keyring without its daemon does.
type fakeKeyrings struct {
	rings   map[keyring.BackendType]*fakeRing
	configs []keyring.Config
}

var errNoDaemon = errors.New("org.freedesktop.secrets was not provided by any .service files")

func (f *fakeKeyrings) open(cfg keyring.Config) (keyring.Keyring, error) {
	f.configs = append(f.configs, cfg)
	if len(cfg.AllowedBackends) != 1 {
		return nil, errors.New("vault must open exactly one backend at a time")
	}
	if r, ok := f.rings[cfg.AllowedBackends[0]]; ok {
		return r, nil
	}
	return nil, errNoDaemon
}

func autoOptions(dir string, f *fakeKeyrings) Options {
	return Options{
		Dir:         dir,
		Backends:    []keyring.BackendType{keyring.SecretServiceBackend, keyring.KWalletBackend},
		openKeyring: f.open,
	}
}

// onlyRing is the keyrings of a machine where only ring, of backend,
// answers.
func onlyRing(backend keyring.BackendType, ring *fakeRing) *fakeKeyrings {
	return &fakeKeyrings{rings: map[keyring.BackendType]*fakeRing{backend: ring}}
}

// openAs opens the vault with o and checks that it chose backend.
func openAs(t *testing.T, o Options, backend string) *Vault {
	t.Helper()
	v, err := Open(o)
	if err != nil {
		t.Fatal(err)
	}
	if v.Backend() != backend {
		t.Fatalf("Backend() = %q, want %s", v.Backend(), backend)
	}
	return v
}

func TestAutoUsesFirstWorkingKeyring(t *testing.T) {
	dir := t.TempDir()
	kw := newFakeRing()
	f := onlyRing(keyring.KWalletBackend, kw)

	v1 := openAs(t, autoOptions(dir, f), "kwallet") // secret-service has no daemon
	id, err := readID(dir)
	if err != nil || id == "" {
		t.Fatalf("no directory id: %q %v", id, err)
	}
	it, err := kw.ArrayKeyring.Get("data-key-v2-" + id)
	if err != nil {
		t.Fatalf("key not stored in the keyring as this directory's item: %v", err)
	}
	if string(it.Data) != base64.StdEncoding.EncodeToString(v1.key) {
		t.Fatal("keyring item is not the base64 data key")
	}
	marker, err := os.ReadFile(filepath.Join(dir, MarkerFileName))
	if err != nil {
		t.Fatalf("marker not written: %v", err)
	}
	if bytes.Contains(marker, it.Data) || bytes.Contains(marker, v1.key) {
		t.Fatal("marker holds the data key")
	}
	sealed := mustSeal(t, v1, "b", "k", "v")
	v1.Close()

	v2, err := Open(autoOptions(dir, f))
	if err != nil {
		t.Fatal(err)
	}
	if got := mustUnseal(t, v2, "b", "k", sealed); got != "v" {
		t.Fatalf("Unseal with reopened keyring vault = %q", got)
	}
	if kw.sets != 1 {
		t.Fatalf("keyring Set called %d times, want 1 (second open must reuse the key)", kw.sets)
	}
	assertNoKeyFile(t, dir)
}

func TestAutoTreatsBrokenKeyringAsNone(t *testing.T) {
	cases := map[string]func(*fakeRing){
		"set fails":        func(r *fakeRing) { r.setErr = errors.New("Object does not exist at path “/”") },
		"set is dropped":   func(r *fakeRing) { r.dropSets = true },
		"get fails":        func(r *fakeRing) { r.getErr = errors.New("dbus: connection closed") },
		"opens, then dies": func(r *fakeRing) { r.getErr = errNoDaemon },
	}
	for name, breakIt := range cases {
		t.Run(name, func(t *testing.T) {
			ring := newFakeRing()
			breakIt(ring)
			f := onlyRing(keyring.SecretServiceBackend, ring)

			dir := t.TempDir()
			_, err := Open(autoOptions(dir, f))
			if !errors.Is(err, ErrNeedPassphrase) {
				t.Fatalf("no passphrase: err = %v, want ErrNeedPassphrase", err)
			}
			var kerr *KeyringError
			if !errors.As(err, &kerr) || len(kerr.Failures) != 2 || kerr.Failures[0].Backend != keyring.SecretServiceBackend {
				t.Fatalf("err = %v, want a KeyringError naming both backends", err)
			}

			o := autoOptions(dir, f)
			o.Passphrase = fixedPassphrase(goodPass)
			openAs(t, o, BackendFile)
			if _, err := os.Stat(filepath.Join(dir, MarkerFileName)); err == nil {
				t.Fatal("marker written for a keyring that was not used")
			}
		})
	}
}

func TestAutoNeverCreatesKeyWhenGetFails(t *testing.T) {
	ring := newFakeRing()
	ring.getErr = errors.New("prompt dismissed")
	f := onlyRing(keyring.SecretServiceBackend, ring)
	_, _ = Open(autoOptions(t.TempDir(), f)) // only the keyring's calls matter here
	if ring.sets != 0 {
		t.Fatal("a new key was stored although an existing one may just be locked")
	}
}

func TestAutoPrefersExistingKeyFile(t *testing.T) {
	dir := t.TempDir()
	sealed := mustSeal(t, mustOpenFile(t, dir, goodPass), "b", "k", "v")

	ring := newFakeRing()
	f := onlyRing(keyring.SecretServiceBackend, ring)
	o := autoOptions(dir, f)
	o.Passphrase = fixedPassphrase(goodPass)
	v := openAs(t, o, BackendFile) // a key file wins over a keyring
	mustUnseal(t, v, "b", "k", sealed)
	if len(f.configs) != 0 {
		t.Fatal("keyring consulted although a key file exists")
	}

	o.Passphrase = nil
	if _, err := Open(o); !errors.Is(err, ErrNeedPassphrase) {
		t.Fatalf("key file, no passphrase: err = %v, want ErrNeedPassphrase", err)
	}
}

func TestMarkerPinsTheKeyring(t *testing.T) {
	dir := t.TempDir()
	ss := newFakeRing()
	f := onlyRing(keyring.SecretServiceBackend, ss)
	openAs(t, autoOptions(dir, f), "secret-service")

	t.Run("keyring locked", func(t *testing.T) {
		ss.getErr = errors.New("collection is locked")
		defer func() { ss.getErr = nil }()
		o := autoOptions(dir, f)
		o.Passphrase = fixedPassphrase(goodPass)
		if _, err := Open(o); !errors.Is(err, ErrLocked) {
			t.Fatalf("err = %v, want ErrLocked", err)
		}
		assertNoKeyFile(t, dir)
	})
	t.Run("keyring gone, another appears", func(t *testing.T) {
		f2 := onlyRing(keyring.KWalletBackend, newFakeRing())
		o := autoOptions(dir, f2)
		o.Passphrase = fixedPassphrase(goodPass)
		if _, err := Open(o); !errors.Is(err, ErrLocked) {
			t.Fatalf("err = %v, want ErrLocked", err)
		}
		if f2.rings[keyring.KWalletBackend].sets != 0 {
			t.Fatal("a second data key was started in another keyring")
		}
	})
	t.Run("item deleted", func(t *testing.T) {
		m, err := readMarker(dir)
		if err != nil {
			t.Fatal(err)
		}
		saved, _ := ss.ArrayKeyring.Get(m.Item)
		if err := ss.ArrayKeyring.Remove(saved.Key); err != nil {
			t.Fatal(err)
		}
		defer func() { _ = ss.ArrayKeyring.Set(saved) }() // an in-memory ring: Set cannot fail
		if _, err := Open(autoOptions(dir, f)); !errors.Is(err, ErrKeyMissing) {
			t.Fatalf("err = %v, want ErrKeyMissing", err)
		}
		if ss.sets != 1 {
			t.Fatal("a missing pinned key was replaced")
		}
	})
	t.Run("other service", func(t *testing.T) {
		o := autoOptions(dir, f)
		o.Service = "other"
		if _, err := Open(o); !errors.Is(err, ErrKeyMissing) {
			t.Fatalf("err = %v, want ErrKeyMissing", err)
		}
	})
	t.Run("file mode", func(t *testing.T) {
		if _, err := openFile(t, dir, goodPass); !errors.Is(err, ErrKeyMissing) {
			t.Fatalf("err = %v, want ErrKeyMissing", err)
		}
		assertNoKeyFile(t, dir)
	})
	t.Run("still opens", func(t *testing.T) {
		if _, err := Open(autoOptions(dir, f)); err != nil {
			t.Fatal(err)
		}
	})
}

func TestBadKeyringItemIsNotOverwritten(t *testing.T) {
	ring := newFakeRing()
	dir := t.TempDir()
	id, err := ensureID(dir)
	if err != nil {
		t.Fatal(err)
	}
	item := itemKey(keyring.SecretServiceBackend, DefaultService, id)
	if err := ring.ArrayKeyring.Set(keyring.Item{Key: item, Data: []byte("c2hvcnQ=")}); err != nil {
		t.Fatal(err)
	}
	f := onlyRing(keyring.SecretServiceBackend, ring)
	o := autoOptions(dir, f)
	o.Passphrase = fixedPassphrase(goodPass)
	if _, err := Open(o); !errors.Is(err, errBadItem) {
		t.Fatalf("err = %v, want errBadItem", err)
	}
	if ring.sets != 0 {
		t.Fatal("bad item overwritten")
	}
}

func TestBackendsOverrideCannotAddWeakStores(t *testing.T) {
	for _, b := range []keyring.BackendType{keyring.KeyCtlBackend, keyring.PassBackend, keyring.FileBackend} {
		_, err := Open(Options{Dir: t.TempDir(), Backends: []keyring.BackendType{b}, Passphrase: fixedPassphrase(goodPass)})
		if err == nil {
			t.Errorf("Backends=[%s] accepted", b)
		}
	}
}

func TestDefaultBackendsExcludeWeakStores(t *testing.T) {
	want := []keyring.BackendType{keyring.WinCredBackend, keyring.KeychainBackend, keyring.SecretServiceBackend, keyring.KWalletBackend}
	if got := DefaultBackends(); !slices.Equal(got, want) {
		t.Fatalf("DefaultBackends() = %v, want %v", got, want)
	}
	DefaultBackends()[0] = keyring.KeyCtlBackend
	if slices.Contains(DefaultBackends(), keyring.KeyCtlBackend) {
		t.Fatal("DefaultBackends returns a shared slice")
	}
}

func TestKeyringConfig(t *testing.T) {
	f := &fakeKeyrings{}
	_, _ = Open(Options{Dir: t.TempDir(), Service: "bankdesk-test", openKeyring: f.open}) // only the keyring's configs matter here
	if len(f.configs) != len(defaultBackends) {
		t.Fatalf("opened %d configs, want one per default backend", len(f.configs))
	}
	for _, cfg := range f.configs {
		b := cfg.AllowedBackends[0]
		if len(cfg.AllowedBackends) != 1 {
			t.Errorf("%s: AllowedBackends = %v, want exactly one", b, cfg.AllowedBackends)
		}
		if cfg.LibSecretCollectionName != "login" {
			t.Errorf("%s: collection = %q, want login", b, cfg.LibSecretCollectionName)
		}
		want := "bankdesk-test"
		if b == keyring.KWalletBackend {
			want = "kdewallet"
		}
		if cfg.ServiceName != want {
			t.Errorf("%s: ServiceName = %q, want %q", b, cfg.ServiceName, want)
		}
	}
	if got := itemKey(keyring.SecretServiceBackend, "bankdesk-test", ""); got != "bankdesk-test/data-key-v1" {
		t.Errorf("legacy secret-service item = %q: the shared login collection needs the service in it", got)
	}
	const id = "0123456789abcdef0123456789abcdef"
	if got := itemKey(keyring.SecretServiceBackend, "bankdesk-test", id); got != "bankdesk-test/data-key-v2-"+id {
		t.Errorf("secret-service item = %q: the shared login collection needs the service in it", got)
	}
	if got := itemKey(keyring.KWalletBackend, "bankdesk-test", id); got != "data-key-v2-"+id {
		t.Errorf("kwallet item = %q", got)
	}
}
