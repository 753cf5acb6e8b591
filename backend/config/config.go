// Package config reads Bankdesk's settings from the environment.
//
// The same names drive the desktop app, the command line and the tests, so a
// script can point any of them at TrueLayer or at a standalone sandbox.
package config

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"bankdesk/backend/truelayer"
)

// DefaultRedirectURI is the custom-scheme deep link the bank redirects to.
const DefaultRedirectURI = "bankdesk://callback"

// Config is everything needed to reach TrueLayer (or the built-in sandbox).
type Config struct {
	Env          truelayer.Environment
	AuthURL      string // host root; empty for builtin until the sandbox starts
	APIURL       string // host root, without /data/v1
	ClientID     string
	ClientSecret string // never logged, never sent to the frontend
	RedirectURI  string
	ExtendPath   string
	DataDir      string // encrypted store; default: the OS user data dir
	VaultDir     string // file vault (passphrase-protected key); default DataDir
	Keyring      string // "auto" (OS keyring, else file vault) or "file"
	Passphrase   string // file vault passphrase for non-interactive use; never logged
	// SyncInterval is how often the open app syncs in the background
	// (BANKDESK_SYNC_INTERVAL, a Go duration such as 6h; at least 15m).
	SyncInterval time.Duration

	// Which settings came from the environment: those win over the ones
	// saved from the app's Settings screen.
	EnvExplicit, URLsExplicit, RedirectExplicit, SyncIntervalExplicit bool
}

// DefaultSyncInterval is the background sync period when none is set.
const DefaultSyncInterval = 6 * time.Hour

// MinSyncInterval is the shortest background sync period accepted: more
// often gains nothing and spends the PSD2 budget of unattended calls.
const MinSyncInterval = 15 * time.Minute

// StorePath is the bbolt file.
func (c Config) StorePath() string { return filepath.Join(c.DataDir, "bankdesk.db") }

// Builtin reports whether the app runs its own in-process sandbox.
func (c Config) Builtin() bool { return c.Env == truelayer.EnvBuiltin && c.AuthURL == "" }

// FromEnv reads BANKDESK_* variables; getenv is os.Getenv outside tests.
func FromEnv(getenv func(string) string) (Config, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	name := strings.TrimSpace(getenv("BANKDESK_ENV"))
	envExplicit := name != ""
	if name == "" {
		name = string(truelayer.EnvBuiltin)
	}
	env, err := truelayer.ParseEnvironment(name)
	if err != nil {
		return Config{}, fmt.Errorf("BANKDESK_ENV: %w", err)
	}
	authURL, apiURL, err := truelayer.Preset(env)
	if err != nil {
		return Config{}, err
	}
	c := Config{
		Env:          env,
		AuthURL:      authURL,
		APIURL:       apiURL,
		ClientID:     strings.TrimSpace(getenv("BANKDESK_CLIENT_ID")),
		ClientSecret: strings.TrimSpace(getenv("BANKDESK_CLIENT_SECRET")),
		RedirectURI:  strings.TrimSpace(getenv("BANKDESK_REDIRECT_URI")),
		ExtendPath:   strings.TrimSpace(getenv("BANKDESK_EXTEND_PATH")),
		DataDir:      strings.TrimSpace(getenv("BANKDESK_DATA_DIR")),
		VaultDir:     strings.TrimSpace(getenv("BANKDESK_VAULT_DIR")),
		Keyring:      strings.ToLower(strings.TrimSpace(getenv("BANKDESK_KEYRING"))),
		Passphrase:   getenv("BANKDESK_PASSPHRASE"),
	}
	if c.DataDir == "" {
		c.DataDir = defaultDataDir(getenv)
	}
	if c.VaultDir == "" {
		c.VaultDir = c.DataDir
	}
	if c.Keyring == "" {
		c.Keyring = "auto"
	}
	c.SyncInterval = DefaultSyncInterval
	if v := strings.TrimSpace(getenv("BANKDESK_SYNC_INTERVAL")); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < MinSyncInterval {
			return Config{}, fmt.Errorf("BANKDESK_SYNC_INTERVAL: want a duration of at least 15m (e.g. 6h), got %q", v)
		}
		c.SyncInterval = d
		c.SyncIntervalExplicit = true
	}
	// Explicit base URLs override the preset: this is how the command line is
	// pointed at a standalone `bankdesk sandbox`.
	if v := strings.TrimSpace(getenv("BANKDESK_AUTH_URL")); v != "" {
		c.AuthURL = v
	}
	if v := strings.TrimSpace(getenv("BANKDESK_API_URL")); v != "" {
		c.APIURL = v
	}
	c.EnvExplicit = envExplicit
	c.URLsExplicit = strings.TrimSpace(getenv("BANKDESK_AUTH_URL")) != ""
	c.RedirectExplicit = c.RedirectURI != ""
	if c.RedirectURI == "" {
		c.RedirectURI = DefaultRedirectURI
	}
	return c, c.validate()
}

func (c Config) validate() error {
	if (c.AuthURL == "") != (c.APIURL == "") {
		return fmt.Errorf("set both BANKDESK_AUTH_URL and BANKDESK_API_URL, or neither")
	}
	for name, v := range map[string]string{"BANKDESK_AUTH_URL": c.AuthURL, "BANKDESK_API_URL": c.APIURL} {
		if v == "" {
			continue
		}
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("%s: want an http(s) host root, got %q", name, v)
		}
	}
	if (c.ClientID == "") != (c.ClientSecret == "") {
		return fmt.Errorf("set both BANKDESK_CLIENT_ID and BANKDESK_CLIENT_SECRET, or neither (then the ones saved in the vault are used)")
	}
	if c.Keyring != "auto" && c.Keyring != "file" {
		return fmt.Errorf("BANKDESK_KEYRING: want auto or file, got %q", c.Keyring)
	}
	if c.DataDir == "" {
		return fmt.Errorf("no data directory: set BANKDESK_DATA_DIR")
	}
	if c.Env == truelayer.EnvLive && strings.HasPrefix(c.ClientID, "sandbox-") {
		return fmt.Errorf("client id %q is a sandbox id: use BANKDESK_ENV=sandbox", c.ClientID)
	}
	return nil
}

// defaultDataDir is the per-user data directory of each OS: XDG on Linux,
// Application Support on macOS, %AppData% on Windows.
func defaultDataDir(getenv func(string) string) string {
	home := getenv("HOME")
	switch runtime.GOOS {
	case "windows":
		if d := getenv("AppData"); d != "" {
			return filepath.Join(d, "Bankdesk")
		}
	case "darwin":
		if home != "" {
			return filepath.Join(home, "Library", "Application Support", "Bankdesk")
		}
	default:
		if d := getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
			return filepath.Join(d, "bankdesk")
		}
		if home != "" {
			return filepath.Join(home, ".local", "share", "bankdesk")
		}
	}
	if d, err := os.UserConfigDir(); err == nil {
		return filepath.Join(d, "bankdesk")
	}
	return ""
}

// String keeps the client secret and passphrase out of %v and logs.
func (c Config) String() string {
	return fmt.Sprintf("config{env=%s auth=%s api=%s client_id=%s client_secret=%s redirect=%s data=%s vault=%s keyring=%s passphrase=%s}",
		c.Env, c.AuthURL, c.APIURL, c.ClientID, redacted(c.ClientSecret), c.RedirectURI, c.DataDir, c.VaultDir, c.Keyring, redacted(c.Passphrase))
}

// GoString covers %#v.
func (c Config) GoString() string { return c.String() }

func redacted(s string) string {
	if s == "" {
		return "(none)"
	}
	return "[redacted]"
}
