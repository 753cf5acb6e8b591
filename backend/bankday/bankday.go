// Package bankday owns the rule for which calendar day a booking belongs
// to. A booking's day is the bank's day, not the UTC day: UK banks stamp
// many bookings at local midnight ("2026-07-01T00:00:00+01:00" in summer),
// and converting that to UTC would put it on 30 June, and into June's
// totals.
//
// The rule, in one place:
//   - a stamp with an offset keeps it, and its day is the date in that
//     offset (the bank's own clock);
//   - a stamp without an offset is the provider's local time: Europe/London
//     for UK providers, the provider country's zone for EU ones (Zone);
//   - a bare date is midnight of that date in the provider's zone.
//
// Everything that shows, filters, totals, charts or exports by day asks Of.
package bankday

import (
	"fmt"
	"strconv"
	"time"
)

// Day is a calendar date with no zone, as YYYYMMDD (20260701): ordered,
// comparable and readable in a debugger. The zero Day means "not set",
// which ranges read as an open end.
type Day int32

// Date makes a Day; out-of-range months and days normalise as time.Date's do.
func Date(y int, m time.Month, d int) Day {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return Day(t.Year()*10000 + int(t.Month())*100 + t.Day())
}

// Of is the day of t in t's own location: the bank's day for a stamp that
// kept the bank's offset. The zero time has the zero Day.
func Of(t time.Time) Day {
	if t.IsZero() {
		return 0
	}
	y, m, d := t.Date()
	return Day(y*10000 + int(m)*100 + d) // a real date: no normalising needed
}

// In is the day of t in loc (Today's rule for a bank in loc).
func In(t time.Time, loc *time.Location) Day { return Of(t.In(loc)) }

// Parse reads YYYY-MM-DD.
func Parse(s string) (Day, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a date (YYYY-MM-DD)", s)
	}
	return Of(t), nil
}

// IsZero reports whether d is unset.
func (d Day) IsZero() bool { return d == 0 }

// Year, Month and DayOfMonth are d's parts.
func (d Day) Year() int                     { return int(d) / 10000 }
func (d Day) Month() time.Month             { return time.Month(int(d) / 100 % 100) }
func (d Day) DayOfMonth() int               { return int(d) % 100 }
func (d Day) parts() (int, time.Month, int) { return d.Year(), d.Month(), d.DayOfMonth() }

// Midnight is the start of d in loc.
func (d Day) Midnight(loc *time.Location) time.Time {
	y, m, dd := d.parts()
	return time.Date(y, m, dd, 0, 0, 0, 0, loc)
}

// UTC is d's midnight in UTC: the form windows and dates without a zone
// are carried in (the date's fields are what count, not the instant).
func (d Day) UTC() time.Time { return d.Midnight(time.UTC) }

// AddDays is d moved n days (negative: back).
func (d Day) AddDays(n int) Day {
	y, m, dd := d.parts()
	return Date(y, m, dd+n)
}

// AddMonths is d moved n calendar months, normalised as time.AddDate does.
func (d Day) AddMonths(n int) Day {
	y, m, dd := d.parts()
	return Date(y, m+time.Month(n), dd)
}

// Sub is the number of days from e to d (d − e).
func (d Day) Sub(e Day) int {
	return int(d.UTC().Sub(e.UTC()) / (24 * time.Hour))
}

// MonthStart is the first of d's month.
func (d Day) MonthStart() Day { return Date(d.Year(), d.Month(), 1) }

// String is YYYY-MM-DD, or "" for the zero Day.
func (d Day) String() string {
	if d == 0 {
		return ""
	}
	b := make([]byte, 0, 10)
	return string(d.AppendFormat(b))
}

// AppendFormat appends YYYY-MM-DD to b.
func (d Day) AppendFormat(b []byte) []byte {
	y, m, dd := d.parts()
	b = appendPadded(b, y, 4)
	b = append(b, '-')
	b = appendPadded(b, int(m), 2)
	b = append(b, '-')
	return appendPadded(b, dd, 2)
}

// YearMonth is YYYY-MM, the key of monthly charts.
func (d Day) YearMonth() string { return d.String()[:7] }

func appendPadded(b []byte, v, width int) []byte {
	s := strconv.Itoa(v)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// MarshalText writes YYYY-MM-DD (JSON: a string; "" for the zero Day).
func (d Day) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads YYYY-MM-DD; "" is the zero Day.
func (d *Day) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = 0
		return nil
	}
	v, err := Parse(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Within reports whether d lies in [from, to], where a zero end is open.
func (d Day) Within(from, to Day) bool {
	return (from == 0 || d >= from) && (to == 0 || d <= to)
}
