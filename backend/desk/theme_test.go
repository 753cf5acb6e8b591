package desk

import (
	"errors"
	"testing"
)

// The theme starts as "follow the system", is kept across a restart once
// chosen, and an unknown one is refused without losing the saved one.
func TestThemeIsSavedAndUnknownOnesRefused(t *testing.T) {
	cfg := fileVaultConfig(t, nil)
	d := openDesk(t, Options{Config: cfg})
	if th, err := d.Theme(); err != nil || th != ThemeSystem {
		t.Fatalf("before choosing: %q %v", th, err)
	}
	if th, err := d.SaveTheme(ThemeDark); err != nil || th != ThemeDark {
		t.Fatalf("save dark: %q %v", th, err)
	}
	for _, bad := range []Theme{"", "blue", "Dark"} {
		if _, err := d.SaveTheme(bad); !errors.Is(err, ErrUnknownTheme) {
			t.Errorf("theme %q: %v", bad, err)
		}
	}
	d.Close()

	d = openDesk(t, Options{Config: cfg})
	if th, err := d.Theme(); err != nil || th != ThemeDark {
		t.Fatalf("after a restart: %q %v", th, err)
	}
}
