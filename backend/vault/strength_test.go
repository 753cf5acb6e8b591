package vault

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// The passphrase rule and the strength estimate are the same in Go and in
// the app's form: both read frontend/src/lib/passphrase-cases.json.
func TestPassphraseCasesSharedWithTheFrontend(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "frontend", "src", "lib", "passphrase-cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Cases []struct {
			Passphrase string `json:"passphrase"`
			Accepted   bool   `json:"accepted"`
			Strength   string `json:"strength"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(raw, &file); err != nil || len(file.Cases) == 0 {
		t.Fatalf("cases: %v", err)
	}
	for _, c := range file.Cases {
		if err := CheckNewPassphrase(c.Passphrase); (err == nil) != c.Accepted {
			t.Errorf("CheckNewPassphrase(%q) = %v, want accepted=%v", c.Passphrase, err, c.Accepted)
		}
		if got := PassphraseStrength(c.Passphrase).String(); got != c.Strength {
			t.Errorf("PassphraseStrength(%q) = %s, want %s", c.Passphrase, got, c.Strength)
		}
	}
}

// A passphrase of only spaces (8 of them passed the old length rule) is
// refused, both for a new vault and for a rekey.
func TestBlankPassphraseRejected(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"        ", "\t\t\t\t\n\n\n\n", "\u00a0\u3000        "} {
		if _, err := openFile(t, dir, p); !errors.Is(err, ErrPassphraseBlank) {
			t.Errorf("Open(%q): err = %v, want ErrPassphraseBlank", p, err)
		}
	}
	assertNoKeyFile(t, dir)
	mustOpenFile(t, dir, " a b c d ")
}

func TestStrengthHints(t *testing.T) {
	for s, want := range map[Strength]string{Weak: "Weak", Fair: "Fair", Strong: "Strong"} {
		if h := s.Hint(); len(h) < len(want) || h[:len(want)] != want {
			t.Errorf("%s hint = %q", s, h)
		}
	}
}
