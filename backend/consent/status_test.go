package consent_test

import (
	"testing"
	"time"

	"bankdesk/backend/consent"
	"bankdesk/backend/store"
)

func TestOf(t *testing.T) {
	base := store.Connection{
		ID: "c1", ProviderID: "ob-kestrel", ProviderName: "Kestrel Bank", Status: store.StatusActive,
		ConsentCreatedAt: day(0), ConsentExpiresAt: day(90), LastRefreshAt: day(0), CreatedAt: day(0),
	}
	with := func(edit func(*store.Connection)) store.Connection {
		c := base
		edit(&c)
		return c
	}
	// daysLeft counts to the consent's end (day 90) whatever the refresh
	// token does; idleLeft counts to the refresh deadline.
	for _, tc := range []struct {
		name               string
		c                  store.Connection
		now                float64
		status             consent.Status
		daysLeft, idleLeft int
		idle               float64 // the refresh idle deadline, in days
	}{
		{"fresh", base, 1, consent.Active, 89, 29, 30},
		{"idle deadline 14 days away", base, 16, consent.Expiring, 74, 14, 30},
		{"a minute further", base, 16 + 1.0/1440, consent.Expiring, 73, 13, 30},
		{"just before the idle deadline", base, 29.99, consent.Expiring, 60, 0, 30},
		{"idle deadline passed", base, 30, consent.ReconnectNeeded, 60, 0, 30},
		{"an hour past it", base, 30 + 1.0/24, consent.ReconnectNeeded, 59, -1, 30},
		{"refreshed daily: the consent decides", with(func(c *store.Connection) { c.LastRefreshAt = day(70) }), 70, consent.Active, 20, 20, 90},
		{"consent 14 days away", with(func(c *store.Connection) { c.LastRefreshAt = day(76) }), 76, consent.Expiring, 14, 14, 90},
		{"consent ended", with(func(c *store.Connection) { c.LastRefreshAt = day(89) }), 91, consent.Expired, -1, -1, 90},
		{"ended wins over a failed refresh", with(func(c *store.Connection) { c.Status = store.StatusReconnectNeeded }), 95, consent.Expired, -5, -65, 30},
		{"refused by TrueLayer", with(func(c *store.Connection) { c.Status = store.StatusReconnectNeeded }), 2, consent.ReconnectNeeded, 88, 28, 30},
		{"revoked", with(func(c *store.Connection) { c.Status = store.StatusRevoked }), 2, consent.ReconnectNeeded, 88, 28, 30},
		{"no dates from the bank: created + 90 days", with(func(c *store.Connection) {
			c.ConsentCreatedAt, c.ConsentExpiresAt, c.LastRefreshAt = time.Time{}, time.Time{}, day(80)
		}), 80, consent.Expiring, 10, 10, 90},
	} {
		i := consent.Of(tc.c, day(tc.now))
		if i.Status != tc.status || i.DaysLeft != tc.daysLeft || i.RefreshIdleDaysLeft != tc.idleLeft || !i.RefreshIdleDeadline.Equal(day(tc.idle)) ||
			!i.ConsentExpiresAt.Equal(day(90)) || !i.ConsentCreatedAt.Equal(day(0)) ||
			i.ConnectionID != "c1" || i.ProviderID != "ob-kestrel" || i.ProviderName != "Kestrel Bank" {
			t.Errorf("%s: %+v, want %s with %d days left (%d to the idle deadline, day %v)", tc.name, i, tc.status, tc.daysLeft, tc.idleLeft, tc.idle)
		}
	}
}

// A consent given a minute ago has 89 days left, not 29: the refresh
// deadline is a separate date, put first only when nothing will refresh
// the token before it.
func TestHeadline(t *testing.T) {
	c := store.Connection{ID: "c1", Status: store.StatusActive, ConsentCreatedAt: day(0), ConsentExpiresAt: day(90), LastRefreshAt: day(0), CreatedAt: day(0)}
	i := consent.Of(c, day(1.0/1440))
	if i.DaysLeft != 89 || i.RefreshIdleDaysLeft != 29 {
		t.Fatalf("a fresh consent: %d days left, %d to the idle deadline", i.DaysLeft, i.RefreshIdleDaysLeft)
	}
	if h := i.Headline(true); h.Kind != consent.KindConsent || !h.At.Equal(day(90)) || h.DaysLeft != 89 {
		t.Errorf("kept alive: %+v", h)
	}
	if h := i.Headline(false); h.Kind != consent.KindRefresh || !h.At.Equal(day(30)) || h.DaysLeft != 29 {
		t.Errorf("nothing refreshes: %+v", h)
	}
	// Refreshed on day 70: the idle deadline is capped at the consent's end,
	// which then comes first either way.
	c.LastRefreshAt = day(70)
	i = consent.Of(c, day(70))
	for _, kept := range []bool{true, false} {
		if h := i.Headline(kept); h.Kind != consent.KindConsent || h.DaysLeft != 20 {
			t.Errorf("idle deadline at the consent's end, kept alive %v: %+v", kept, h)
		}
	}
}

func TestIsEU(t *testing.T) {
	for _, tc := range []struct {
		id, country string
		eu          bool
	}{
		{"mock", "", false},
		{"ob-monzo", "", false},
		{"oauth-starling", "", false},
		{"uk-ob-lloyds", "", false},
		{"xs2a-sparkasse", "", true},
		{"de-xs2a-deutschebank", "", true},
		{"stet-credit-agricole", "", true},
		{"fr-bnp", "", true},
		{"ie-aib", "", true},
		{"someone-new", "", false}, // unknown: try extend; a refusal falls back
		{"ob-revolut-eu", "lt", true},
		{"something", "uk", false},
		{"xs2a-odd", "UK", false}, // the bank list wins over the id
	} {
		if got := consent.IsEU(tc.id, tc.country); got != tc.eu {
			t.Errorf("IsEU(%q, %q) = %v", tc.id, tc.country, got)
		}
	}
}
