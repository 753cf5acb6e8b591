package desk

import (
	"maps"
	"strings"
	"testing"

	"bankdesk/backend/config"
	"bankdesk/backend/sandbox"
	"bankdesk/backend/truelayer"
	"bankdesk/backend/view"
)

// fileVaultConfig is a configuration with a file vault in a fresh data
// directory; extra adds to (or overrides) its variables.
func fileVaultConfig(t *testing.T, extra map[string]string) config.Config {
	t.Helper()
	dir := t.TempDir()
	vars := map[string]string{"BANKDESK_DATA_DIR": dir, "BANKDESK_KEYRING": "file", "BANKDESK_PASSPHRASE": "environment test pass"}
	for k, v := range extra {
		vars[k] = v
	}
	cfg, err := config.FromEnv(func(k string) string { return vars[k] })
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// sandboxConfig is fileVaultConfig pointed at sb with its built-in client
// credentials.
func sandboxConfig(t *testing.T, sb *sandbox.Server, extra map[string]string) config.Config {
	t.Helper()
	vars := map[string]string{
		"BANKDESK_AUTH_URL": sb.AuthURL(), "BANKDESK_API_URL": sb.APIURL(),
		"BANKDESK_CLIENT_ID": sandbox.ClientID, "BANKDESK_CLIENT_SECRET": sandbox.ClientSecret,
	}
	maps.Copy(vars, extra)
	return fileVaultConfig(t, vars)
}

// openDesk opens a desk with o, closed at cleanup.
func openDesk(t *testing.T, o Options) *Desk {
	t.Helper()
	d, err := Open(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// The environment chosen in Settings applies at the next start, with its
// credentials from the vault; BANKDESK_ENV still wins when set.
func TestSavedEnvironmentAppliesOnNextStart(t *testing.T) {
	cfg := fileVaultConfig(t, nil)
	d := openDesk(t, Options{Config: cfg})
	for _, bad := range []view.EnvironmentChoice{
		{Env: "prod"},
		{Env: "sandbox"},
		{Env: "sandbox", ClientSecret: "s"},
		{Env: "live", ClientID: "sandbox-abc", ClientSecret: "s"},
		{Env: "sandbox", ClientID: "sandbox-abc", ClientSecret: "s", RedirectURI: "https://evil.example/cb"},
	} {
		if err := d.SaveEnvironment(bad); err == nil {
			t.Errorf("accepted %+v", bad)
		}
	}
	if err := d.SaveEnvironment(view.EnvironmentChoice{Env: "builtin", SyncIntervalMinutes: 5}); err == nil {
		t.Error("a 5-minute sync interval was accepted")
	}
	if err := d.SaveEnvironment(view.EnvironmentChoice{Env: "sandbox", ClientID: "sandbox-abc-123", ClientSecret: "s3cret", RedirectURI: "http://127.0.0.1:8765/callback", SyncIntervalMinutes: 120}); err != nil {
		t.Fatal(err)
	}
	if d.Config().Env != truelayer.EnvBuiltin || d.Sandbox() == nil {
		t.Fatal("saving must not switch the running backend")
	}
	d.Close()

	d = openDesk(t, Options{Config: cfg})
	got := d.Config()
	if got.Env != truelayer.EnvSandbox || got.AuthURL != "https://auth.truelayer-sandbox.com" || got.ClientID != "sandbox-abc-123" ||
		got.ClientSecret != "s3cret" || got.RedirectURI != "http://127.0.0.1:8765/callback" || d.Sandbox() != nil {
		t.Fatalf("after restart: %v", got)
	}
	if got.SyncInterval.Minutes() != 120 {
		t.Fatalf("saved sync interval not applied: %s", got.SyncInterval)
	}
	if d.SavedClientID(truelayer.EnvSandbox) != "sandbox-abc-123" {
		t.Fatal("saved client id not shown")
	}
	// Keeping the saved secret: only the environment and id are sent.
	if err := d.SaveEnvironment(view.EnvironmentChoice{Env: "sandbox", ClientID: "sandbox-abc-123"}); err != nil {
		t.Fatal(err)
	}
	d.Close()

	explicit := cfg
	explicit.Env, explicit.EnvExplicit = truelayer.EnvBuiltin, true
	d = openDesk(t, Options{Config: explicit})
	if d.Config().Env != truelayer.EnvBuiltin || !strings.HasPrefix(d.Config().AuthURL, "http://127.0.0.1:") {
		t.Fatalf("BANKDESK_ENV must win: %v", d.Config())
	}
}
