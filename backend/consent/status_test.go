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
	for _, tc := range []struct {
		name     string
		c        store.Connection
		now      float64
		status   consent.Status
		daysLeft int
		idle     float64 // the refresh idle deadline, in days
	}{
		{"fresh", base, 1, consent.Active, 29, 30},
		{"idle deadline 14 days away", base, 16, consent.Expiring, 14, 30},
		{"a minute further", base, 16 + 1.0/1440, consent.Expiring, 13, 30},
		{"just before the idle deadline", base, 29.99, consent.Expiring, 0, 30},
		{"idle deadline passed", base, 30, consent.ReconnectNeeded, 0, 30},
		{"an hour past it", base, 30 + 1.0/24, consent.ReconnectNeeded, -1, 30},
		{"refreshed daily: the consent decides", with(func(c *store.Connection) { c.LastRefreshAt = day(70) }), 70, consent.Active, 20, 90},
		{"consent 14 days away", with(func(c *store.Connection) { c.LastRefreshAt = day(76) }), 76, consent.Expiring, 14, 90},
		{"consent ended", with(func(c *store.Connection) { c.LastRefreshAt = day(89) }), 91, consent.Expired, -1, 90},
		{"ended wins over a failed refresh", with(func(c *store.Connection) { c.Status = store.StatusReconnectNeeded }), 95, consent.Expired, -65, 30},
		{"refused by TrueLayer", with(func(c *store.Connection) { c.Status = store.StatusReconnectNeeded }), 2, consent.ReconnectNeeded, 28, 30},
		{"revoked", with(func(c *store.Connection) { c.Status = store.StatusRevoked }), 2, consent.ReconnectNeeded, 28, 30},
		{"no dates from the bank: created + 90 days", with(func(c *store.Connection) {
			c.ConsentCreatedAt, c.ConsentExpiresAt, c.LastRefreshAt = time.Time{}, time.Time{}, day(80)
		}), 80, consent.Expiring, 10, 90},
	} {
		i := consent.Of(tc.c, day(tc.now))
		if i.Status != tc.status || i.DaysLeft != tc.daysLeft || !i.RefreshIdleDeadline.Equal(day(tc.idle)) ||
			!i.ConsentExpiresAt.Equal(day(90)) || !i.ConsentCreatedAt.Equal(day(0)) ||
			i.ConnectionID != "c1" || i.ProviderID != "ob-kestrel" || i.ProviderName != "Kestrel Bank" {
			t.Errorf("%s: %+v, want %s with %d days left, idle deadline day %v", tc.name, i, tc.status, tc.daysLeft, tc.idle)
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
