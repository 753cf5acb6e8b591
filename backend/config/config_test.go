package config

import (
	"fmt"
	"strings"
	"testing"

	"bankdesk/backend/truelayer"
)

func env(kv map[string]string) func(string) string {
	return func(k string) string {
		if k == "HOME" && kv[k] == "" {
			return "/home/test"
		}
		return kv[k]
	}
}

func TestDataDirDefaultsAndOverrides(t *testing.T) {
	c, err := FromEnv(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.DataDir == "" || c.VaultDir != c.DataDir || c.Keyring != "auto" || c.SyncInterval != DefaultSyncInterval {
		t.Fatalf("defaults: %+v", c)
	}
	c, err = FromEnv(env(map[string]string{"BANKDESK_DATA_DIR": "/d", "BANKDESK_VAULT_DIR": "/v", "BANKDESK_KEYRING": "FILE", "BANKDESK_SYNC_INTERVAL": "90m"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.DataDir != "/d" || c.VaultDir != "/v" || c.Keyring != "file" || c.StorePath() != "/d/bankdesk.db" || c.SyncInterval.String() != "1h30m0s" {
		t.Fatalf("overrides: %+v", c)
	}
}

func TestDefaultsToBuiltinSandbox(t *testing.T) {
	c, err := FromEnv(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Env != truelayer.EnvBuiltin || !c.Builtin() {
		t.Fatalf("env = %q builtin=%v, want builtin", c.Env, c.Builtin())
	}
	if c.RedirectURI != DefaultRedirectURI {
		t.Fatalf("redirect = %q", c.RedirectURI)
	}
}

func TestPresetsAndOverrides(t *testing.T) {
	c, err := FromEnv(env(map[string]string{"BANKDESK_ENV": "sandbox", "BANKDESK_CLIENT_ID": "sandbox-x-1", "BANKDESK_CLIENT_SECRET": "s"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.AuthURL != "https://auth.truelayer-sandbox.com" || c.APIURL != "https://api.truelayer-sandbox.com" {
		t.Fatalf("sandbox preset = %q %q", c.AuthURL, c.APIURL)
	}
	c, err = FromEnv(env(map[string]string{"BANKDESK_AUTH_URL": "http://127.0.0.1:1", "BANKDESK_API_URL": "http://127.0.0.1:2"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Builtin() {
		t.Fatal("explicit URLs must not start the in-process sandbox")
	}
	if c.AuthURL != "http://127.0.0.1:1" || c.APIURL != "http://127.0.0.1:2" {
		t.Fatalf("override = %q %q", c.AuthURL, c.APIURL)
	}
}

func TestRejectsBadSettings(t *testing.T) {
	for name, tc := range map[string]struct {
		vars map[string]string
		want string
	}{
		"unknown env":           {map[string]string{"BANKDESK_ENV": "prod"}, "BANKDESK_ENV"},
		"id without secret":     {map[string]string{"BANKDESK_ENV": "live", "BANKDESK_CLIENT_ID": "abc"}, "BANKDESK_CLIENT_SECRET"},
		"unknown keyring":       {map[string]string{"BANKDESK_KEYRING": "kernel"}, "BANKDESK_KEYRING"},
		"sync too often":        {map[string]string{"BANKDESK_SYNC_INTERVAL": "1m"}, "BANKDESK_SYNC_INTERVAL"},
		"sync interval garbage": {map[string]string{"BANKDESK_SYNC_INTERVAL": "daily"}, "BANKDESK_SYNC_INTERVAL"},
		"sandbox id on live":    {map[string]string{"BANKDESK_ENV": "live", "BANKDESK_CLIENT_ID": "sandbox-a", "BANKDESK_CLIENT_SECRET": "s"}, "sandbox id"},
		"only one URL":          {map[string]string{"BANKDESK_AUTH_URL": "http://127.0.0.1:1"}, "both"},
		"URL without host root": {map[string]string{"BANKDESK_AUTH_URL": "ftp://x", "BANKDESK_API_URL": "http://127.0.0.1:2"}, "BANKDESK_AUTH_URL"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := FromEnv(env(tc.vars))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want mention of %q", err, tc.want)
			}
		})
	}
}

func TestFormattingRedactsSecrets(t *testing.T) {
	c, err := FromEnv(env(map[string]string{"BANKDESK_CLIENT_ID": "id", "BANKDESK_CLIENT_SECRET": "s3cret-value", "BANKDESK_PASSPHRASE": "pass-phrase"}))
	if err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{fmt.Sprint(c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c)} {
		if strings.Contains(out, "s3cret-value") || strings.Contains(out, "pass-phrase") {
			t.Fatalf("secret in %q", out)
		}
	}
}
