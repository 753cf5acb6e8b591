package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Setting names: every saved setting is named here, in one style
// ("settings/…"). The names are record keys (hashed in the file, see
// keys.go); the values are sealed JSON.
const (
	// SettingEnvironment is the environment chosen in Settings, with its
	// redirect URI and sync interval.
	SettingEnvironment = "settings/environment"
	// SettingReminders is which reminder steps fired and which
	// connections are snoozed.
	SettingReminders = "settings/reminders"
	// SettingBuiltinSandbox is the built-in sandbox's state (sandbox.State:
	// its connections and consents; tokens only as hashes), so a restart
	// does not forget the bank a new user connected.
	SettingBuiltinSandbox = "settings/builtin-sandbox"
	// SettingLockedReminders is what reminders may say while a passphrase
	// vault is locked: whether the schedule file names each bank.
	SettingLockedReminders = "settings/locked-reminders"
	// SettingAgentOffer records that the window offered the background
	// job (package agent) and the user answered, so it asks once.
	SettingAgentOffer = "settings/agent-offer"
	// SettingWindow is where the window was and how big (desk.WindowPlace),
	// so the next start opens it there.
	SettingWindow = "settings/window"
	// SettingTheme is the colour scheme chosen in Settings (desk.Theme):
	// follow the system, or always light or dark.
	SettingTheme = "settings/theme"
	// SettingAutoLock is how long the window may sit unused before it
	// locks a passphrase vault (desk.AutoLock).
	SettingAutoLock = "settings/auto-lock"
	// SettingRules is the person's rules (rules.go: SetRules writes it).
	SettingRules = "settings/rules"
	// SettingCategories is the person's category list (package
	// categories; SetCategories writes it).
	SettingCategories = "settings/categories"
	// SettingImportMappings are the CSV column mappings saved for
	// imports, by name (importer.Mapping).
	SettingImportMappings = "settings/import-mappings"
)

// SettingCredentials names the TrueLayer client id and secret saved for
// one environment.
func SettingCredentials(env string) string { return "settings/credentials/" + env }

// legacySettingName is where a setting was saved before the names had one
// style; GetSetting reads it there once and moves it.
func legacySettingName(name string) string {
	switch name {
	case SettingEnvironment:
		return "environment"
	case SettingReminders:
		return "consent.reminders"
	}
	if env, ok := strings.CutPrefix(name, "settings/credentials/"); ok {
		return "credentials/" + env
	}
	return ""
}

// GetSetting reads a setting saved with PutSettingJSON into a T, or
// returns ErrNotFound. A setting still under its old name is moved to
// its new one.
func GetSetting[T any](s *Store, name string) (T, error) {
	var v T
	raw, err := s.Setting(name)
	if errors.Is(err, ErrNotFound) {
		if old := legacySettingName(name); old != "" {
			if raw, err = s.Setting(old); err == nil {
				if err := s.PutSetting(name, raw); err != nil {
					return v, fmt.Errorf("move setting %s: %w", old, err)
				}
				if err := s.DeleteSetting(old); err != nil {
					return v, fmt.Errorf("move setting %s: %w", old, err)
				}
			}
		}
	}
	if err != nil {
		return v, err
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return v, fmt.Errorf("read setting %s: %w", name, err)
	}
	return v, nil
}

// PutSettingJSON saves v as the setting name (sealed JSON).
func PutSettingJSON[T any](s *Store, name string, v T) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("save setting %s: %w", name, err)
	}
	if err := s.PutSetting(name, raw); err != nil {
		return fmt.Errorf("save setting %s: %w", name, err)
	}
	return nil
}
