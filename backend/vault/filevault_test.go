package vault

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

const goodPass = "correct horse battery"

func openFile(t *testing.T, dir, pass string) (*Vault, error) {
	t.Helper()
	return Open(Options{Mode: ModeFile, Dir: dir, Passphrase: fixedPassphrase(pass)})
}

func mustOpenFile(t *testing.T, dir, pass string) *Vault {
	t.Helper()
	v, err := openFile(t, dir, pass)
	if err != nil {
		t.Fatalf("Open file vault: %v", err)
	}
	t.Cleanup(func() { v.Close() })
	return v
}

func TestFileVaultReopensWithSamePassphrase(t *testing.T) {
	dir := t.TempDir()
	v1 := mustOpenFile(t, dir, goodPass)
	if v1.Backend() != BackendFile {
		t.Fatalf("Backend() = %q, want %q", v1.Backend(), BackendFile)
	}
	sealed := mustSeal(t, v1, "tokens", "acc-1", "refresh-token")
	v1.Close()

	v2 := mustOpenFile(t, dir, goodPass)
	if got := mustUnseal(t, v2, "tokens", "acc-1", sealed); got != "refresh-token" {
		t.Fatalf("Unseal after reopen = %q", got)
	}
}

func TestFileVaultWrongPassphrase(t *testing.T) {
	dir := t.TempDir()
	mustOpenFile(t, dir, goodPass)
	for _, pass := range []string{"wrong horse battery", goodPass + " "} {
		if _, err := openFile(t, dir, pass); !errors.Is(err, ErrWrongPassphrase) {
			t.Errorf("Open(%q): err = %v, want ErrWrongPassphrase", pass, err)
		}
	}
}

func TestFileVaultNeedsPassphraseSource(t *testing.T) {
	dir := t.TempDir()
	if _, err := Open(Options{Mode: ModeFile, Dir: dir}); !errors.Is(err, ErrNeedPassphrase) {
		t.Fatalf("no source: err = %v, want ErrNeedPassphrase", err)
	}
	if _, err := Open(Options{Mode: ModeFile, Dir: dir, Passphrase: fixedPassphrase("")}); !errors.Is(err, ErrNeedPassphrase) {
		t.Fatalf("empty passphrase: err = %v, want ErrNeedPassphrase", err)
	}
	assertNoKeyFile(t, dir)

	mustOpenFile(t, dir, goodPass)
	if _, err := Open(Options{Mode: ModeFile, Dir: dir}); !errors.Is(err, ErrNeedPassphrase) {
		t.Fatalf("existing key file, no source: err = %v, want ErrNeedPassphrase", err)
	}
}

func TestPassphraseSourceErrorIsReturned(t *testing.T) {
	cancelled := errors.New("user cancelled")
	_, err := Open(Options{Mode: ModeFile, Dir: t.TempDir(), Passphrase: func() (string, error) { return "", cancelled }})
	if !errors.Is(err, cancelled) {
		t.Fatalf("err = %v, want it to wrap the source's error", err)
	}
}

func TestShortPassphraseRejected(t *testing.T) {
	dir := t.TempDir()
	for _, pass := range []string{"1234567", "äöüßäöü"} { // 7 characters, 14 bytes
		if _, err := openFile(t, dir, pass); !errors.Is(err, ErrPassphraseTooShort) {
			t.Errorf("Open(%q): err = %v, want ErrPassphraseTooShort", pass, err)
		}
	}
	assertNoKeyFile(t, dir)
	mustOpenFile(t, dir, "12345678")
}

func TestKeyFilePermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("POSIX modes")
	}
	dir := filepath.Join(t.TempDir(), "new", "data")
	mustOpenFile(t, dir, goodPass)
	assertMode(t, filepath.Join(dir, KeyFileName), 0o600)
	assertMode(t, dir, 0o700)
}

func TestKeyFileDoesNotHoldKeyInClear(t *testing.T) {
	dir := t.TempDir()
	v := mustOpenFile(t, dir, goodPass)
	raw, err := os.ReadFile(filepath.Join(dir, KeyFileName))
	if err != nil {
		t.Fatal(err)
	}
	key := v.key
	for name, enc := range map[string][]byte{
		"raw":          key,
		"base64":       []byte(base64.StdEncoding.EncodeToString(key)),
		"base64 raw":   []byte(base64.RawStdEncoding.EncodeToString(key)),
		"base64 url":   []byte(base64.RawURLEncoding.EncodeToString(key)),
		"hex":          []byte(hex.EncodeToString(key)),
		"raw, 8 bytes": key[:8],
	} {
		if bytes.Contains(raw, enc) {
			t.Errorf("key file contains the data key (%s)", name)
		}
	}
	if bytes.Contains(raw, []byte(goodPass)) {
		t.Error("key file contains the passphrase")
	}
}

func TestKeyFileRecordsKDFParameters(t *testing.T) {
	dir := t.TempDir()
	mustOpenFile(t, dir, goodPass)
	kf := readTestKeyFile(t, dir)
	if kf.KDF != "argon2id" || kf.Params != testKDF || len(kf.Salt) != 16 || kf.Version != 1 {
		t.Fatalf("key file header = %+v", kf)
	}
}

func TestDefaultKDFCost(t *testing.T) {
	if defaultKDF != (kdfParams{Time: 3, MemoryKiB: 64 * 1024, Threads: 4}) {
		t.Fatalf("defaultKDF = %+v, want RFC 9106 t=3 m=64MiB p=4", defaultKDF)
	}
}

func TestCorruptKeyFile(t *testing.T) {
	edit := func(t *testing.T, dir string, change func(kf *keyFile), resum bool) {
		t.Helper()
		kf := readTestKeyFile(t, dir)
		change(kf)
		if resum {
			kf.Checksum = kf.checksum()
		}
		if err := writeKeyFile(keyFilePath(dir), kf); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name string
		mess func(t *testing.T, dir string)
		want error
	}{
		{"garbage", func(t *testing.T, dir string) {
			if err := os.WriteFile(filepath.Join(dir, KeyFileName), []byte("not json at all"), 0o600); err != nil {
				t.Fatal(err)
			}
		}, ErrKeyFileCorrupt},
		{"truncated", func(t *testing.T, dir string) {
			raw, _ := os.ReadFile(filepath.Join(dir, KeyFileName))
			if err := os.WriteFile(filepath.Join(dir, KeyFileName), raw[:len(raw)/2], 0o600); err != nil {
				t.Fatal(err)
			}
		}, ErrKeyFileCorrupt},
		{"empty", func(t *testing.T, dir string) {
			if err := os.WriteFile(filepath.Join(dir, KeyFileName), nil, 0o600); err != nil {
				t.Fatal(err)
			}
		}, ErrKeyFileCorrupt},
		{"flipped wrapped key", func(t *testing.T, dir string) {
			edit(t, dir, func(kf *keyFile) { kf.WrappedKey[3] ^= 1 }, false)
		}, ErrKeyFileCorrupt},
		{"flipped salt", func(t *testing.T, dir string) {
			edit(t, dir, func(kf *keyFile) { kf.Salt[0] ^= 1 }, false)
		}, ErrKeyFileCorrupt},
		{"flipped wrapped key, checksum redone", func(t *testing.T, dir string) {
			edit(t, dir, func(kf *keyFile) { kf.WrappedKey[3] ^= 1 }, true)
		}, ErrKeyFileCorrupt},
		{"absurd memory, checksum redone", func(t *testing.T, dir string) {
			edit(t, dir, func(kf *keyFile) { kf.Params.MemoryKiB = 1 << 31 }, true)
		}, ErrKeyFileCorrupt},
		{"newer version", func(t *testing.T, dir string) {
			edit(t, dir, func(kf *keyFile) { kf.Version = 2 }, true)
		}, ErrKeyFileCorrupt},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			mustOpenFile(t, dir, goodPass).Close()
			tc.mess(t, dir)
			_, err := openFile(t, dir, goodPass)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if errors.Is(err, ErrWrongPassphrase) {
				t.Fatalf("corruption reported as a wrong passphrase: %v", err)
			}
		})
	}
}

func TestOpenRequiresDirAndKnownMode(t *testing.T) {
	if _, err := Open(Options{Mode: ModeFile, Passphrase: fixedPassphrase(goodPass)}); err == nil {
		t.Error("Open without Dir succeeded")
	}
	if _, err := Open(Options{Mode: "cloud", Dir: t.TempDir()}); err == nil {
		t.Error("Open with an unknown mode succeeded")
	}
}

func readTestKeyFile(t *testing.T, dir string) *keyFile {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, KeyFileName))
	if err != nil {
		t.Fatal(err)
	}
	var kf keyFile
	if err := json.Unmarshal(raw, &kf); err != nil {
		t.Fatal(err)
	}
	return &kf
}

func assertMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	if runtime.GOOS == "windows" {
		return
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != want {
		t.Errorf("%s mode = %#o, want %#o", path, got, want)
	}
}

func assertNoKeyFile(t *testing.T, dir string) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(dir, KeyFileName)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("key file exists or unreadable: %v", err)
	}
}

// assertOnlyKeyFile checks no temp files were left behind by atomic writes.
func assertOnlyKeyFile(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != KeyFileName {
		names := []string{}
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Fatalf("dir holds %v, want only %s", names, KeyFileName)
	}
}

// A key file whose mode was widened (a copy, a restore) is made private
// again, as the store does for its data file. Before, 0644 was accepted.
func TestKeyFileModeIsTightened(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("POSIX modes")
	}
	dir := t.TempDir()
	mustOpenFile(t, dir, goodPass).Close()
	if err := os.Chmod(keyFilePath(dir), 0o644); err != nil {
		t.Fatal(err)
	}
	mustOpenFile(t, dir, goodPass)
	assertMode(t, keyFilePath(dir), 0o600)
}
