package app

import (
	"bankdesk/backend/desk"
	"bankdesk/backend/truelayer"
)

// SettingsView is what the Settings form starts from. It names the saved
// client ids (not secret) and never returns a secret.
type SettingsView struct {
	Env             string `json:"env"`
	RedirectURI     string `json:"redirectUri"`
	SandboxClientID string `json:"sandboxClientId"`
	LiveClientID    string `json:"liveClientId"`
	FromEnvironment bool   `json:"fromEnvironment"` // BANKDESK_ENV is set: saved choices do not apply
	RestartToApply  bool   `json:"restartToApply"`
	// SyncIntervalMinutes is the background sync period now in force.
	SyncIntervalMinutes int `json:"syncIntervalMinutes"`
}

// Settings reads the environment settings for the form.
func (a *App) Settings() (SettingsView, error) {
	d, err := a.backend()
	if err != nil {
		return SettingsView{}, err
	}
	cfg := d.Config()
	return SettingsView{
		Env:             string(cfg.Env),
		RedirectURI:     cfg.RedirectURI,
		SandboxClientID: d.SavedClientID(truelayer.EnvSandbox),
		LiveClientID:    d.SavedClientID(truelayer.EnvLive),
		FromEnvironment: cfg.EnvExplicit || cfg.URLsExplicit,

		SyncIntervalMinutes: int(cfg.SyncInterval.Minutes()),
	}, nil
}

// SaveSettings keeps the chosen environment and TrueLayer client (the
// secret sealed in the vault); they apply when Bankdesk next starts.
func (a *App) SaveSettings(c desk.EnvironmentChoice) (SettingsView, error) {
	d, err := a.backend()
	if err != nil {
		return SettingsView{}, err
	}
	if err := d.SaveEnvironment(c); err != nil {
		return SettingsView{}, err
	}
	v, err := a.Settings()
	v.RestartToApply = true
	return v, err
}
