package desk

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"bankdesk/backend/config"
	"bankdesk/backend/loopback"
	"bankdesk/backend/store"
	"bankdesk/backend/truelayer"
	"bankdesk/backend/view"
)

type savedEnvironment struct {
	Env                 string `json:"env"`
	RedirectURI         string `json:"redirect_uri,omitempty"`
	SyncIntervalMinutes int    `json:"sync_interval_minutes,omitempty"`
}

// applySavedEnvironment switches to the environment saved from Settings,
// unless the process environment chose one: BANKDESK_* variables win.
func (d *Desk) applySavedEnvironment() error {
	s, err := store.GetSetting[savedEnvironment](d.store, store.SettingEnvironment)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read saved environment: %w", err)
	}
	if s.SyncIntervalMinutes >= minSyncMinutes && !d.cfg.SyncIntervalExplicit {
		d.cfg.SyncInterval = time.Duration(s.SyncIntervalMinutes) * time.Minute
	}
	if d.cfg.EnvExplicit || d.cfg.URLsExplicit {
		return nil
	}
	env, err := truelayer.ParseEnvironment(s.Env)
	if err != nil {
		return fmt.Errorf("saved environment: %w", err)
	}
	if d.cfg.AuthURL, d.cfg.APIURL, err = truelayer.Preset(env); err != nil {
		return err
	}
	d.cfg.Env = env
	if s.RedirectURI != "" && !d.cfg.RedirectExplicit {
		d.cfg.RedirectURI = s.RedirectURI
	}
	return nil
}

// minSyncMinutes is config.MinSyncInterval in the minutes Settings uses.
var minSyncMinutes = int(config.MinSyncInterval.Minutes())

// SaveEnvironment keeps the chosen environment and its client credentials
// (sealed) for the next start; the running backend is not switched.
func (d *Desk) SaveEnvironment(c view.EnvironmentChoice) error {
	env, err := truelayer.ParseEnvironment(c.Env)
	if err != nil {
		return err
	}
	if c.RedirectURI != "" && c.RedirectURI != config.DefaultRedirectURI && !loopback.IsLoopback(c.RedirectURI) {
		return fmt.Errorf("redirect URI: use %s or http://127.0.0.1:PORT/callback, not %q", config.DefaultRedirectURI, c.RedirectURI)
	}
	if env != truelayer.EnvBuiltin {
		name := credentialsSetting(env)
		switch {
		case c.ClientID != "" && c.ClientSecret != "":
			if env == truelayer.EnvLive && strings.HasPrefix(c.ClientID, "sandbox-") {
				return fmt.Errorf("client id %q is a sandbox id: choose the sandbox environment", c.ClientID)
			}
			if err := store.PutSettingJSON(d.store, name, credentials{ClientID: c.ClientID, ClientSecret: c.ClientSecret}); err != nil {
				return fmt.Errorf("save TrueLayer credentials: %w", err)
			}
		case c.ClientSecret == "":
			saved, err := store.GetSetting[credentials](d.store, name)
			if err != nil {
				return fmt.Errorf("enter the client id and secret from TrueLayer Console for %s", env)
			}
			if c.ClientID != "" && c.ClientID != saved.ClientID {
				return errors.New("a new client id needs its client secret too")
			}
		default:
			return errors.New("enter the client id as well as the secret")
		}
	}
	if c.SyncIntervalMinutes != 0 && c.SyncIntervalMinutes < minSyncMinutes {
		return fmt.Errorf("sync at most every %d minutes", minSyncMinutes)
	}
	if err := store.PutSettingJSON(d.store, store.SettingEnvironment, savedEnvironment{Env: string(env), RedirectURI: c.RedirectURI, SyncIntervalMinutes: c.SyncIntervalMinutes}); err != nil {
		return fmt.Errorf("save environment: %w", err)
	}
	return nil
}

// SavedClientID is the client id saved for an environment ("" if none);
// the Settings form shows it. Never the secret.
func (d *Desk) SavedClientID(env truelayer.Environment) string {
	c, err := store.GetSetting[credentials](d.store, credentialsSetting(env))
	if err != nil {
		return ""
	}
	return c.ClientID
}

// Settings is what the Settings form starts from: the configuration in
// force and the saved client ids (never a secret).
func (d *Desk) Settings() view.SettingsView {
	return view.SettingsView{
		Env:             string(d.cfg.Env),
		RedirectURI:     d.cfg.RedirectURI,
		SandboxClientID: d.SavedClientID(truelayer.EnvSandbox),
		LiveClientID:    d.SavedClientID(truelayer.EnvLive),
		FromEnvironment: d.cfg.EnvExplicit || d.cfg.URLsExplicit,

		SyncIntervalMinutes: int(d.SyncInterval().Minutes()),
	}
}

// SaveSettings keeps the chosen environment and TrueLayer client (the
// secret sealed) for the next start, and says a restart applies them.
func (d *Desk) SaveSettings(c view.EnvironmentChoice) (view.SettingsView, error) {
	if err := d.SaveEnvironment(c); err != nil {
		return view.SettingsView{}, err
	}
	v := d.Settings()
	v.RestartToApply = true
	return v, nil
}
