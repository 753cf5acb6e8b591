import type { ConsentView } from './api'

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

// newExpiryLabel is the consent end the reconfirmation screen promises: 90 days from today.
export function newExpiryLabel(now = new Date()): string {
  const d = new Date(now.getTime() + 90 * 86400000)
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' })
}

// contactProblem checks the reconfirmation form like the backend does.
export function contactProblem(name: string, email: string, phone: string, confirmed: boolean): string {
  if (name.trim().split(/\s+/).filter(Boolean).length < 2) return 'Enter your full name.'
  if (!email.trim() && !phone.trim()) return 'Enter an email address or a phone number.'
  if (email.trim() && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email.trim())) return 'That email address does not look right.'
  if (phone.trim() && !/^\+?[0-9 ()-]{7,}$/.test(phone.trim())) return 'That phone number does not look right.'
  if (!confirmed) return 'Tick the box to confirm.'
  return ''
}
