package desk

import (
	"errors"
	"fmt"

	"bankdesk/backend/sandbox"
	"bankdesk/backend/store"
	"bankdesk/backend/truelayer"
)

// credentials are a TrueLayer client id and secret, kept sealed in the store
// (never in a config file in clear) under one setting per environment.
type credentials struct {
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
}

func credentialsSetting(env truelayer.Environment) string {
	return store.SettingCredentials(string(env))
}

// resolveCredentials picks the client credentials: the environment's if
// given (and then saved for next time), else the saved ones, else — for the
// built-in sandbox only — its public test client.
func (d *Desk) resolveCredentials() error {
	name := credentialsSetting(d.cfg.Env)
	if d.cfg.ClientID != "" {
		if d.cfg.Env == truelayer.EnvBuiltin {
			return nil // a standalone sandbox's printed test client: nothing to keep
		}
		return d.SaveCredentials(d.cfg.ClientID, d.cfg.ClientSecret)
	}
	c, err := store.GetSetting[credentials](d.store, name)
	switch {
	case err == nil:
		d.cfg.ClientID, d.cfg.ClientSecret = c.ClientID, c.ClientSecret
		return nil
	case !errors.Is(err, store.ErrNotFound):
		return fmt.Errorf("read saved TrueLayer credentials: %w", err)
	}
	if d.cfg.Env == truelayer.EnvBuiltin {
		d.cfg.ClientID, d.cfg.ClientSecret = sandbox.ClientID, sandbox.ClientSecret
		return nil
	}
	return fmt.Errorf("BANKDESK_ENV=%s needs a TrueLayer client: set BANKDESK_CLIENT_ID and BANKDESK_CLIENT_SECRET once (they are then kept in the vault)", d.cfg.Env)
}

// SaveCredentials keeps the client id and secret for the current
// environment in the encrypted store.
func (d *Desk) SaveCredentials(clientID, clientSecret string) error {
	if clientID == "" || clientSecret == "" {
		return errors.New("save TrueLayer credentials: client id and secret are both required")
	}
	if err := store.PutSettingJSON(d.store, credentialsSetting(d.cfg.Env), credentials{ClientID: clientID, ClientSecret: clientSecret}); err != nil {
		return fmt.Errorf("save TrueLayer credentials: %w", err)
	}
	return nil
}
