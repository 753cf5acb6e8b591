package truelayer

import (
	"testing"
	"time"
)

func TestNewValidatesURLs(t *testing.T) {
	good := []struct{ in, want string }{
		{"https://auth.truelayer.com", "https://auth.truelayer.com"},
		{"https://auth.truelayer.com/", "https://auth.truelayer.com"},
		{"http://127.0.0.1:4321/", "http://127.0.0.1:4321"},
		{"http://localhost:4321", "http://localhost:4321"},
		{"http://[::1]:4321", "http://[::1]:4321"},
	}
	for _, g := range good {
		c, err := New(Config{AuthURL: g.in, APIURL: g.in})
		if err != nil {
			t.Errorf("New(%q): %v", g.in, err)
			continue
		}
		if c.AuthURL() != g.want || c.APIURL() != g.want {
			t.Errorf("New(%q): urls %q %q, want %q", g.in, c.AuthURL(), c.APIURL(), g.want)
		}
	}
	bad := []string{"", "auth.truelayer.com", "ftp://auth.truelayer.com", "http://auth.truelayer.com",
		"https://auth.truelayer.com/?x=1", "https://auth.truelayer.com/#f", "https://user:pw@auth.truelayer.com", "https://"}
	for _, in := range bad {
		if _, err := New(Config{AuthURL: in, APIURL: "https://api.truelayer.com"}); err == nil {
			t.Errorf("New(AuthURL %q): want error", in)
		}
		if _, err := New(Config{AuthURL: "https://auth.truelayer.com", APIURL: in}); err == nil {
			t.Errorf("New(APIURL %q): want error", in)
		}
	}
}

func TestNewDefaults(t *testing.T) {
	c, err := New(Config{AuthURL: "https://auth.truelayer.com", APIURL: "https://api.truelayer.com"})
	if err != nil {
		t.Fatal(err)
	}
	if c.http == nil || c.http.Timeout != 30*time.Second {
		t.Errorf("default http client timeout: %+v", c.http)
	}
	if c.extendPath != "/data/v1/connections/extend" || c.pollInterval != 500*time.Millisecond ||
		c.pollTimeout != 2*time.Minute || c.userAgent == "" {
		t.Errorf("defaults: %+v", c)
	}
	c, _ = New(Config{AuthURL: "https://a.example", APIURL: "https://b.example", ExtendPath: "connections/extend"})
	if c.extendPath != "/connections/extend" {
		t.Errorf("extend path %q", c.extendPath)
	}
}
