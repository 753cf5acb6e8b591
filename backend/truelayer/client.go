package truelayer

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"bankdesk/backend/internal/wait"
)

// DefaultExtendPath is where connections/extend lives per TrueLayer's API
// reference; the OpenAPI file puts it at /connections/extend instead, so the
// path is configurable (docs/truelayer.md §8).
const DefaultExtendPath = "/data/v1/connections/extend"

const (
	dataPrefix          = "/data/v1"
	defaultTimeout      = 30 * time.Second
	defaultPollInterval = 500 * time.Millisecond
	maxPollInterval     = 5 * time.Second
	defaultPollTimeout  = 2 * time.Minute
	defaultUserAgent    = "bankdesk-truelayer/1"
)

// Config configures a Client. Only the two URLs are required; calls that need
// client credentials fail when they are missing.
type Config struct {
	// AuthURL and APIURL are host roots such as https://auth.truelayer.com
	// and https://api.truelayer.com, without /data/v1. A trailing slash is
	// tolerated. Plain http is only accepted for loopback hosts.
	AuthURL, APIURL string

	ClientID, ClientSecret string

	// RedirectURI is the default redirect for auth links, code exchange and
	// extend; each call can override it.
	RedirectURI string

	// ExtendPath is the connections/extend path on the API host; default
	// DefaultExtendPath ("/connections/extend" is also in use).
	ExtendPath string

	// HTTPClient is used for every call; nil means a client with a 30s
	// timeout.
	HTTPClient *http.Client

	// PollInterval is the first wait between async polls (default 500ms); it
	// doubles up to 5s, with jitter, and no wait is longer than 5s.
	// PollTimeout bounds the whole wait (default 2m).
	PollInterval, PollTimeout time.Duration

	// Now and Sleep are the clock async polls are timed by: nil means the
	// wall clock (time.Now, and a sleep that ends with its context). Tests
	// pass a clock that moves when slept on.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error

	// UserAgent is sent on every request; default "bankdesk-truelayer/1".
	UserAgent string
}

// Client talks to one TrueLayer environment. It is safe for concurrent use
// and holds no per-user state: every data call takes the access token.
type Client struct {
	authURL, apiURL string
	clientID        string
	clientSecret    string
	redirectURI     string
	extendPath      string
	http            *http.Client
	tokenHTTP       *http.Client // http with tokenTransport, for x/oauth2
	pollInterval    time.Duration
	pollTimeout     time.Duration
	now             func() time.Time
	sleep           func(context.Context, time.Duration) error
	userAgent       string
}

// New validates cfg and returns a Client.
func New(cfg Config) (*Client, error) {
	authURL, err := hostRoot(cfg.AuthURL)
	if err != nil {
		return nil, fmt.Errorf("truelayer: auth url: %w", err)
	}
	apiURL, err := hostRoot(cfg.APIURL)
	if err != nil {
		return nil, fmt.Errorf("truelayer: api url: %w", err)
	}
	c := &Client{
		authURL:      authURL,
		apiURL:       apiURL,
		clientID:     cfg.ClientID,
		clientSecret: cfg.ClientSecret,
		redirectURI:  cfg.RedirectURI,
		extendPath:   cfg.ExtendPath,
		pollInterval: cfg.PollInterval,
		pollTimeout:  cfg.PollTimeout,
		now:          cfg.Now,
		sleep:        cfg.Sleep,
		userAgent:    cfg.UserAgent,
	}
	if c.extendPath == "" {
		c.extendPath = DefaultExtendPath
	}
	if !strings.HasPrefix(c.extendPath, "/") {
		c.extendPath = "/" + c.extendPath
	}
	if c.pollInterval <= 0 {
		c.pollInterval = defaultPollInterval
	}
	if c.pollTimeout <= 0 {
		c.pollTimeout = defaultPollTimeout
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.sleep == nil {
		c.sleep = wait.Sleep
	}
	if c.userAgent == "" {
		c.userAgent = defaultUserAgent
	}
	c.http = cfg.HTTPClient
	if c.http == nil {
		c.http = &http.Client{Timeout: defaultTimeout}
	}
	c.tokenHTTP = newTokenHTTPClient(c.http, c.userAgent)
	return c, nil
}

// AuthURL returns the normalised auth host root.
func (c *Client) AuthURL() string { return c.authURL }

// APIURL returns the normalised API host root.
func (c *Client) APIURL() string { return c.apiURL }

// ClientID returns the configured client id.
func (c *Client) ClientID() string { return c.clientID }

// hostRoot checks that raw is an absolute http(s) URL without query or
// fragment and returns it without a trailing slash.
func hostRoot(raw string) (string, error) {
	if strings.TrimSpace(raw) == "" {
		return "", errors.New("empty")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	if u.Host == "" {
		return "", fmt.Errorf("%q has no host", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", fmt.Errorf("%q must not carry a query, fragment or user info", raw)
	}
	switch u.Scheme {
	case "https":
	case "http":
		// Tokens travel in these requests: plain http only to this machine
		// (the built-in sandbox, tests).
		if !isLoopback(u.Hostname()) {
			return "", fmt.Errorf("%q: http is only allowed for loopback hosts", raw)
		}
	default:
		return "", fmt.Errorf("%q: scheme must be https", raw)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
