package desk

import (
	"errors"
	"fmt"

	"bankdesk/backend/store"
)

// Theme is the colour scheme chosen in Settings. ThemeSystem follows the
// OS (the window's prefers-color-scheme); the others override it.
type Theme string

// The themes Settings offers; the frontend sets the same words as the
// data-theme attribute its style sheet reads.
const (
	ThemeSystem Theme = "system"
	ThemeLight  Theme = "light"
	ThemeDark   Theme = "dark"
)

// ErrUnknownTheme refuses a theme Settings does not offer.
var ErrUnknownTheme = errors.New("unknown theme")

type savedTheme struct {
	Theme Theme `json:"theme"`
}

// Theme is the saved colour scheme, ThemeSystem until one is chosen.
func (d *Desk) Theme() (Theme, error) {
	s, err := store.GetSetting[savedTheme](d.store, store.SettingTheme)
	if errors.Is(err, store.ErrNotFound) {
		return ThemeSystem, nil
	}
	if err != nil {
		return ThemeSystem, fmt.Errorf("read the theme: %w", err)
	}
	if !s.Theme.valid() { // written by a newer Bankdesk, say
		return ThemeSystem, nil
	}
	return s.Theme, nil
}

// SaveTheme keeps the colour scheme; one Settings does not offer is
// refused and the saved one stays.
func (d *Desk) SaveTheme(t Theme) (Theme, error) {
	if !t.valid() {
		return "", fmt.Errorf("save theme %q: %w", t, ErrUnknownTheme)
	}
	if err := store.PutSettingJSON(d.store, store.SettingTheme, savedTheme{Theme: t}); err != nil {
		return "", err
	}
	return t, nil
}

func (t Theme) valid() bool {
	return t == ThemeSystem || t == ThemeLight || t == ThemeDark
}
