package bankday

import (
	"encoding/json"
	"testing"
	"time"
)

// The day of a stamp is the date in the stamp's own offset: a UK booking at
// local midnight in summer is on that day, not the UTC day before.
func TestOfIsTheDayInTheStampsOffset(t *testing.T) {
	cases := []struct {
		stamp string
		want  Day
	}{
		{"2026-07-01T00:00:00+01:00", Date(2026, 7, 1)}, // 30 June 23:00 UTC
		{"2026-07-01T23:30:00+01:00", Date(2026, 7, 1)},
		{"2026-01-15T00:00:00Z", Date(2026, 1, 15)},
		{"2026-03-29T00:30:00+00:00", Date(2026, 3, 29)},
		{"2026-12-31T23:59:59-05:00", Date(2026, 12, 31)},
	}
	for _, c := range cases {
		ts, err := time.Parse(time.RFC3339, c.stamp)
		if err != nil {
			t.Fatal(err)
		}
		if got := Of(ts); got != c.want {
			t.Errorf("Of(%s) = %s, want %s", c.stamp, got, c.want)
		}
	}
	if Of(time.Time{}) != 0 {
		t.Error("the zero time must have the zero Day")
	}
}

// A stamp without an offset is the provider's local time.
func TestResolveReadsZonelessStampsInTheProvidersZone(t *testing.T) {
	wall := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC) // "2026-07-01T00:00:00" as parsed
	got := Resolve(wall, false, London)
	if _, off := got.Zone(); off != 3600 || Of(got) != Date(2026, 7, 1) || got.UTC().Hour() != 23 {
		t.Errorf("zone-less summer midnight: %v", got)
	}
	winter := Resolve(time.Date(2026, 1, 10, 8, 15, 0, 0, time.UTC), false, Zone("de"))
	if winter.UTC().Hour() != 7 || Of(winter) != Date(2026, 1, 10) {
		t.Errorf("zone-less Berlin morning: %v", winter)
	}
	zoned := time.Date(2026, 7, 1, 0, 0, 0, 0, time.FixedZone("", 7200))
	if got := Resolve(zoned, true, London); !got.Equal(zoned) || Of(got) != Date(2026, 7, 1) {
		t.Errorf("a stamp with an offset keeps it: %v", got)
	}
}

func TestCountryAndZone(t *testing.T) {
	cases := []struct {
		id, listed, country, zone string
	}{
		{"mock", "", "uk", "Europe/London"},
		{"ob-barclays", "", "uk", "Europe/London"},
		{"oauth-monzo", "", "uk", "Europe/London"},
		{"ob-lloyds", "uk", "uk", "Europe/London"},
		{"ie-ob-aib", "", "ie", "Europe/Dublin"},
		{"stet-credit-agricole", "", "fr", "Europe/Paris"},
		{"de-xs2a-sparkasse", "", "de", "Europe/Berlin"},
		{"bank-odd-id", "de", "de", "Europe/Berlin"},
		{"xs2a-somebank", "", "eu", "Europe/Berlin"},
		{"anything", "GB", "uk", "Europe/London"},
		{"unknown", "", "uk", "Europe/London"},
	}
	for _, c := range cases {
		got := Country(c.id, c.listed)
		if got != c.country {
			t.Errorf("Country(%q, %q) = %q, want %q", c.id, c.listed, got, c.country)
		}
		if z := Zone(got).String(); z != c.zone {
			t.Errorf("Zone(%q) = %s, want %s", got, z, c.zone)
		}
	}
}

func TestDayArithmeticAndText(t *testing.T) {
	d := Date(2026, 2, 28)
	if d.AddDays(1) != Date(2026, 3, 1) || d.AddDays(-59) != Date(2025, 12, 31) || Date(2026, 3, 1).Sub(d) != 1 {
		t.Errorf("arithmetic: %s %s", d.AddDays(1), d.AddDays(-59))
	}
	if Date(2026, 1, 31).AddMonths(1) != Date(2026, 3, 3) || d.MonthStart() != Date(2026, 2, 1) {
		t.Errorf("months: %s", Date(2026, 1, 31).AddMonths(1))
	}
	if d.String() != "2026-02-28" || d.YearMonth() != "2026-02" || Day(0).String() != "" {
		t.Errorf("text: %q %q", d, d.YearMonth())
	}
	if p, err := Parse("2026-02-28"); err != nil || p != d {
		t.Errorf("Parse: %v %v", p, err)
	}
	for _, bad := range []string{"", "2026-2-28", "28/02/2026", "2026-02-30"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
	b, _ := json.Marshal(struct{ D Day }{d})
	var back struct{ D Day }
	if string(b) != `{"D":"2026-02-28"}` || json.Unmarshal(b, &back) != nil || back.D != d {
		t.Errorf("JSON: %s -> %v", b, back.D)
	}
	if !d.Within(0, 0) || !d.Within(d, d) || d.Within(d.AddDays(1), 0) || d.Within(0, d.AddDays(-1)) {
		t.Error("Within")
	}
	if !Date(2026, 3, 29).Midnight(London).Equal(time.Date(2026, 3, 29, 0, 0, 0, 0, time.UTC)) ||
		!Date(2026, 3, 30).Midnight(London).Equal(time.Date(2026, 3, 29, 23, 0, 0, 0, time.UTC)) {
		t.Error("Midnight across the clock change")
	}
}
