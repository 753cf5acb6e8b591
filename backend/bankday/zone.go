package bankday

import (
	"strings"
	"time"

	_ "time/tzdata" // the zones must exist on every OS (Windows has no zoneinfo)
)

// zones are the time zones of the countries TrueLayer's Data API covers
// (the providers endpoint's country codes: "uk", not "gb").
var zones = map[string]string{
	"uk": "Europe/London",
	"ie": "Europe/Dublin",
	"at": "Europe/Vienna",
	"be": "Europe/Brussels",
	"de": "Europe/Berlin",
	"es": "Europe/Madrid",
	"fi": "Europe/Helsinki",
	"fr": "Europe/Paris",
	"it": "Europe/Rome",
	"lt": "Europe/Vilnius",
	"nl": "Europe/Amsterdam",
	"pl": "Europe/Warsaw",
	"pt": "Europe/Lisbon",
	"se": "Europe/Stockholm",
}

// London is the UK providers' zone, and the zone of a provider whose
// country is unknown: most providers are UK ones.
var London = mustLoad("Europe/London")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic("bankday: " + err.Error()) // embedded tzdata: cannot happen
	}
	return loc
}

var loaded = func() map[string]*time.Location {
	m := make(map[string]*time.Location, len(zones))
	for c, name := range zones {
		m[c] = mustLoad(name)
	}
	return m
}()

// Country is a provider's country code ("uk", "de", ...). listed is the
// country TrueLayer's bank list gives for it ("" when unknown) and decides
// when known. Without it the provider id's conventions do:
//   - "mock", and ids starting "ob-", "oauth-" or "uk-": "uk";
//   - ids starting with another country code and a dash ("de-", "fr-",
//     "ie-", ...): that country;
//   - ids starting "stet-" (the French STET standard): "fr";
//   - ids containing "xs2a" with no country: "eu" (somewhere in the EU);
//   - anything else: "uk".
func Country(providerID, listed string) string {
	if c := strings.ToLower(strings.TrimSpace(listed)); c != "" {
		if c == "gb" {
			return "uk"
		}
		return c
	}
	id := strings.ToLower(providerID)
	switch {
	case id == "mock", strings.HasPrefix(id, "ob-"), strings.HasPrefix(id, "oauth-"), strings.HasPrefix(id, "uk-"):
		return "uk"
	case strings.HasPrefix(id, "stet-"):
		return "fr"
	}
	if len(id) > 3 && id[2] == '-' && isLetter(id[0]) && isLetter(id[1]) {
		return id[:2]
	}
	if strings.Contains(id, "xs2a") {
		return "eu"
	}
	return "uk"
}

// IsUK reports whether a country code from Country is the UK's.
func IsUK(country string) bool { return country == "uk" }

// Zone is the local time of a provider in country (from Country): the
// zone its zone-less stamps are in. Unknown countries, and "eu", get
// Central European time, the zone of most of the EU providers; the UK's
// is Europe/London.
func Zone(country string) *time.Location {
	if loc, ok := loaded[country]; ok {
		return loc
	}
	if country == "" {
		return London
	}
	return loaded["de"]
}

func isLetter(b byte) bool { return b >= 'a' && b <= 'z' }

// Today is the bank's current day for a bank in loc.
func Today(now time.Time, loc *time.Location) Day { return In(now, loc) }

// Resolve is the time of a bank stamp parsed as t: t itself when the stamp
// carried a zone (zoned), else t's wall clock read in loc, the provider's
// zone. Either way the result's location gives the bank's day (Of).
func Resolve(t time.Time, zoned bool, loc *time.Location) time.Time {
	if zoned || t.IsZero() {
		return t
	}
	y, m, d := t.Date()
	hh, mm, ss := t.Clock()
	return time.Date(y, m, d, hh, mm, ss, t.Nanosecond(), loc)
}
