// The one way the window shows a date: in the user's locale (the system's
// language, as the browser reports it), with the month as a word so day
// and month cannot be mistaken for each other: "1 Dec 2026" in the UK,
// "Dec 1, 2026" in the US. Every screen formats dates here.

let locale: string | undefined // undefined: the user's locale

// setDateLocale fixes the locale (tests); undefined goes back to the user's.
export function setDateLocale(l: string | undefined): void {
  locale = l
  cache.clear()
}

const cache = new Map<string, Intl.DateTimeFormat>()
function formatter(opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = JSON.stringify(opts)
  let f = cache.get(key)
  if (!f) {
    f = new Intl.DateTimeFormat(locale, opts)
    cache.set(key, f)
  }
  return f
}

const dayParts: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', year: 'numeric' }
const timeParts: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' }

// parse reads a calendar day (YYYY-MM-DD: the bank's day, the same
// wherever the user is) or an instant (RFC 3339: shown in the user's time
// zone). utc says it was a calendar day.
function parse(value: string): { d: Date; utc: boolean } | null {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value)
  const d = new Date(day ? value + 'T00:00:00Z' : value)
  return Number.isNaN(d.getTime()) ? null : { d, utc: day }
}

// formatDate is a day: "1 Dec 2026"; "—" for none, the text itself when it
// is not a date.
export function formatDate(value: string | Date | undefined | null): string {
  if (value instanceof Date) return formatter(dayParts).format(value)
  if (!value) return '—'
  const p = parse(value)
  if (!p) return value
  return formatter(p.utc ? { ...dayParts, timeZone: 'UTC' } : dayParts).format(p.d)
}

// formatDateTime is an instant: "1 Dec 2026, 07:56"; weekday adds the
// day's name ("Friday, 15 May 2026, 00:07") for times soon to come.
export function formatDateTime(value: string | undefined | null, opts: { weekday?: boolean } = {}): string {
  if (!value) return '—'
  const p = parse(value)
  if (!p) return value
  return formatter({ ...dayParts, ...timeParts, ...(opts.weekday ? { weekday: 'long' } : {}), ...(p.utc ? { timeZone: 'UTC' } : {}) }).format(p.d)
}

// formatMonth is a month of a day: "March 2020".
export function formatMonth(value: string | undefined | null): string {
  if (!value) return ''
  const p = parse(value)
  if (!p) return ''
  return formatter({ month: 'long', year: 'numeric', ...(p.utc ? { timeZone: 'UTC' } : {}) }).format(p.d)
}
