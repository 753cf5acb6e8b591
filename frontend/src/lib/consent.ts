import type { Connection, ConsentView } from './api'
import { formatDate } from './dates'
import type { ContactRules } from './rules'

// snoozeDays is how long "Remind me later" hides a connection's reminders
// (the window's choice; the backend takes 1 to 30 days).
export const snoozeDays = 3

// Banner is what the top of the window says about one connection's consent.
export interface Banner {
  connectionId: string
  tone: 'warn' | 'bad'
  text: string
  action: 'renew' | 'reconnect'
}

// banners lists the connections that need the user, most urgent first.
export function banners(consents: ConsentView[], dismissed: Set<string>): Banner[] {
  const out: (Banner & { days: number })[] = []
  for (const c of consents) {
    if (dismissed.has(c.connectionId)) continue
    const name = c.providerName || c.providerId
    switch (c.status) {
      case 'reconnect_needed':
        out.push({ connectionId: c.connectionId, tone: 'bad', action: 'reconnect', days: -1000, text: `${name} needs you to reconnect. All your data is kept.` })
        break
      case 'expired':
        // UK banks can still be extended after the end; Renew falls back to a new login where not.
        out.push({ connectionId: c.connectionId, tone: 'bad', action: 'renew', days: -999, text: `${name}'s consent has ended. Renew it to keep syncing; your data is kept.` })
        break
      case 'expiring':
        out.push({ connectionId: c.connectionId, tone: 'warn', action: 'renew', days: c.daysLeft, text: `${name}: access ends in ${daysText(c.daysLeft)}. Renew it now to keep syncing.` })
        break
    }
  }
  return out.sort((a, b) => a.days - b.days).map(({ days: _, ...b }) => b)
}

export function daysText(n: number): string {
  if (n <= 0) return 'less than a day'
  return n === 1 ? '1 day' : `${n} days`
}

// dateLabel is an RFC 3339 instant as the reconfirmation screen writes a
// date, in the app's one date format (lib/dates.ts); the backend computes
// the date (ConnectionView.renewUntil).
export function dateLabel(rfc3339: string): string {
  const d = new Date(rfc3339)
  return isNaN(d.getTime()) ? '' : formatDate(d)
}

// contactProblem checks the reconfirmation form with the rules given
// (Rules.contact) before the backend is asked.
export function contactProblem(name: string, email: string, phone: string, confirmed: boolean, rules: ContactRules): string {
  if (name.trim().split(/\s+/).filter(Boolean).length < rules.minNameWords) return 'Enter your name.'
  if (!email.trim() && !phone.trim()) return 'Enter an email address or a phone number.'
  if (email.trim() && !new RegExp(rules.emailPattern).test(email.trim())) return 'That email address does not look right.'
  if (phone.trim() && !new RegExp(rules.phonePattern).test(phone.trim())) return 'That phone number does not look right.'
  if (!confirmed) return 'Tick the box to confirm.'
  return ''
}

// consentBadge is the pill on a connection's Overview card; a consent ending
// within expiringWithinDays (Rules.expiringWithinDays) is a warning.
export function consentBadge(c: Connection, expiringWithinDays: number): { text: string; tone: string } {
  if (c.status === 'reconnect_needed') return { text: 'Reconnect needed', tone: 'bad' }
  if (!c.consentExpiresAt) return { text: 'Consent date unknown', tone: 'muted' }
  const d = c.daysLeft
  if (d < 0) return { text: 'Consent expired', tone: 'bad' }
  return { text: `${d} day${d === 1 ? '' : 's'} of consent left`, tone: d <= expiringWithinDays ? 'warn' : 'ok' }
}

// listText joins numbers as a sentence does: "14, 7, 3 and 1".
export function listText(ns: number[]): string {
  return ns.length < 2 ? ns.join('') : `${ns.slice(0, -1).join(', ')} and ${ns[ns.length - 1]}`
}
