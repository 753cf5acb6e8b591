package sandbox

import (
	"math"
	"strconv"
	"time"
	_ "time/tzdata" // Europe/London on every OS

	"github.com/shopspring/decimal"
)

// Money is kept as int64 minor units (pence) end to end and written straight into
// JSON, so no value ever passes through float64 formatting.

// appendMinor appends m pence as a JSON number with trailing zeros trimmed:
// -299 -> -2.99, 125000 -> 1250, 77 -> 0.77, 1050 -> 10.5.
func appendMinor(b []byte, m int64) []byte {
	if m < 0 {
		b = append(b, '-')
		m = -m
	}
	b = strconv.AppendInt(b, m/100, 10)
	frac := m % 100
	switch {
	case frac == 0:
	case frac%10 == 0:
		b = append(b, '.', byte('0'+frac/10))
	default:
		b = append(b, '.', byte('0'+frac/10), byte('0'+frac%10))
	}
	return b
}

// minorDecimal converts pence to an exact decimal for the ground truth.
func minorDecimal(m int64) decimal.Decimal { return decimal.New(m, -2) }

// minorNumber is a json.Marshaler for pence, for the small hand-built objects.
type minorNumber int64

func (m minorNumber) MarshalJSON() ([]byte, error) { return appendMinor(nil, int64(m)), nil }

// Days are int32 counts of calendar days since 1970-01-01; they make date maths and
// hashing cheap. A day is a date on the Mock bank's calendar, which is London's: it
// books at local midnight, so in summer a day starts at 23:00 UTC the evening before.
type day int32

// london is the Mock bank's zone. time/tzdata embeds it, so it exists on every OS.
var london = func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		panic("sandbox: Europe/London: " + err.Error()) // cannot fail with time/tzdata
	}
	return loc
}()

// dayOf is the London calendar day of the instant t.
func dayOf(t time.Time) day {
	y, m, d := t.In(london).Date()
	return dayFromDate(y, m, d)
}

// civil carries the calendar date d as UTC midnight, for Date(), Weekday() and
// formatting. It is not an instant; midnight() is.
func (d day) civil() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// midnight is the instant London's day d begins.
func (d day) midnight() time.Time {
	y, m, dd := d.civil().Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, london)
}

// at is the instant of London wall time secs seconds into day d.
func (d day) at(secs int32) time.Time {
	y, m, dd := d.civil().Date()
	return time.Date(y, m, dd, int(secs/3600), int(secs/60%60), int(secs%60), 0, london)
}

// secsInDay is the London wall-clock time of t, in seconds since local midnight.
func secsInDay(t time.Time) int32 {
	h, m, s := t.In(london).Clock()
	return int32(h*3600 + m*60 + s)
}

func dayFromDate(y int, m time.Month, dd int) day {
	u := time.Date(y, m, dd, 0, 0, 0, 0, time.UTC).Unix()
	d := u / 86400
	if u < 0 && u%86400 != 0 {
		d--
	}
	return day(d)
}

// midnightZone caches the UTC offset of London midnight over a run of days, so the
// encoder stamps thousands of bookings without a zone lookup each.
type midnightZone struct {
	lo, hi day // offset holds for lo <= d < hi; empty until first use
	off    int // seconds east of UTC
}

// offset returns the UTC offset (seconds) of London midnight on d.
func (z *midnightZone) offset(d day) int {
	if d >= z.lo && d < z.hi {
		return z.off
	}
	t := d.midnight()
	_, z.off = t.Zone()
	start, end := t.ZoneBounds()
	z.lo, z.hi = math.MinInt32, math.MaxInt32
	if !start.IsZero() {
		// The first day whose midnight lies at or after the zone's start.
		if z.lo = dayOf(start); z.lo.midnight().Before(start) {
			z.lo++
		}
	}
	if !end.IsZero() {
		if z.hi = dayOf(end); z.hi.midnight().Before(end) {
			z.hi++
		}
	}
	if d < z.lo || d >= z.hi { // never expected; fall back to this day alone
		z.lo, z.hi = d, d+1
	}
	return z.off
}

// appendOffset appends a zone offset: +01:00, +00:00 (or Z when utcZ).
func appendOffset(b []byte, off int, utcZ bool) []byte {
	if off == 0 && utcZ {
		return append(b, 'Z')
	}
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	b = append(b, sign)
	b = appendPad(b, off/3600, 2)
	b = append(b, ':')
	return appendPad(b, off/60%60, 2)
}

// appendDate appends YYYY-MM-DD.
func appendDate(b []byte, d day) []byte {
	y, m, dd := d.civil().Date()
	b = appendPad(b, y, 4)
	b = append(b, '-')
	b = appendPad(b, int(m), 2)
	b = append(b, '-')
	return appendPad(b, dd, 2)
}

func appendPad(b []byte, v, width int) []byte {
	var tmp [8]byte
	s := strconv.AppendInt(tmp[:0], int64(v), 10)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// appendClock appends HH:MM:SS for a count of seconds into the day.
func appendClock(b []byte, secs int32) []byte {
	b = appendPad(b, int(secs/3600), 2)
	b = append(b, ':')
	b = appendPad(b, int(secs/60%60), 2)
	b = append(b, ':')
	return appendPad(b, int(secs%60), 2)
}

// isoMillis formats like TrueLayer's consent timestamps: 2020-05-24T14:44:40.077Z.
func isoMillis(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// isoMicros formats like TrueLayer's update_timestamp: 2017-02-07T17:29:24.740802Z.
func isoMicros(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }
