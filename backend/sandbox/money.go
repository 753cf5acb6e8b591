package sandbox

import (
	"strconv"
	"time"

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

// Days are int32 counts since 1970-01-01 (UTC); they make date maths and hashing cheap.
type day int32

func dayOf(t time.Time) day {
	u := t.UTC().Unix()
	d := u / 86400
	if u < 0 && u%86400 != 0 {
		d--
	}
	return day(d)
}

func (d day) time() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

func dayFromDate(y int, m time.Month, dd int) day {
	return dayOf(time.Date(y, m, dd, 0, 0, 0, 0, time.UTC))
}

// appendDate appends YYYY-MM-DD.
func appendDate(b []byte, d day) []byte {
	y, m, dd := d.time().Date()
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
