import { describe, expect, it } from 'vitest'
import { setDateLocale } from './dates'
import { banners, consentBadge, contactProblem, dateLabel, daysText, listText } from './consent'
import { connection, consent } from './fixtures.test-util'
import { FALLBACK_RULES } from './rules'

const contact = FALLBACK_RULES.contact

const c = consent

describe('banners', () => {
  it('shows only connections needing the user, most urgent first', () => {
    const b = banners(
      [
        c({ connectionId: 'ok' }),
        c({ connectionId: 'soon', status: 'expiring', daysLeft: 7 }),
        c({ connectionId: 'sooner', status: 'expiring', daysLeft: 1 }),
        c({ connectionId: 'dead', status: 'reconnect_needed' }),
      ],
      new Set(),
    )
    expect(b.map((x) => x.connectionId)).toEqual(['dead', 'sooner', 'soon'])
    expect(b[0].action).toBe('reconnect')
    expect(b[1].text).toContain('1 day.')
    expect(b[2].tone).toBe('warn')
  })
  it('leaves out dismissed connections', () => {
    expect(banners([c({ status: 'expired' })], new Set(['c']))).toEqual([])
  })
})

describe('reconfirmation form', () => {
  it('needs a name (one word is one), a contact and the confirmation', () => {
    expect(contactProblem(' ', 'j@d.com', '', true, contact)).toBe('Enter your name.')
    expect(contactProblem('John', 'j@d.com', '', true, contact)).toBe('')
    expect(contactProblem('John Doe', '', '', true, contact)).toMatch(/email address or a phone/)
    expect(contactProblem('John Doe', 'nope', '', true, contact)).toMatch(/email/)
    expect(contactProblem('John Doe', '', '+44 7700 900123', false, contact)).toMatch(/Tick/)
    expect(contactProblem('John Doe', 'john@doe.com', '', true, contact)).toBe('')
  })
  it('checks with the rules it is given', () => {
    expect(contactProblem('Cher', 'cher@example.com', '', true, { ...contact, minNameWords: 1 })).toBe('')
    expect(contactProblem('John Doe', 'john@doe', '', true, { ...contact, emailPattern: '^[^@]+@[^@]+$' })).toBe('')
    expect(contactProblem('John Doe', '', '12345', true, { ...contact, phonePattern: '^[0-9]{5}$' })).toBe('')
    expect(contactProblem('John Doe', '', '12345', true, contact)).toMatch(/phone number/)
  })
  it('words days and the new expiry', () => {
    expect(daysText(0)).toBe('less than a day')
    expect(daysText(3)).toBe('3 days')
    setDateLocale('en-GB')
    expect(dateLabel('2027-02-19T10:00:00Z')).toBe('19 Feb 2027')
    expect(dateLabel('')).toBe('')
    setDateLocale(undefined)
    expect(listText([14, 7, 3, 1])).toBe('14, 7, 3 and 1')
    expect(listText([7])).toBe('7')
  })
})

const conn = connection

describe('consentBadge', () => {
  it('warns within the expiring window it is given', () => {
    expect(consentBadge(conn({ daysLeft: 14 }), 14)).toEqual({ text: '14 days of consent left', tone: 'warn' })
    expect(consentBadge(conn({ daysLeft: 15 }), 14).tone).toBe('ok')
    expect(consentBadge(conn({ daysLeft: 15 }), 21).tone).toBe('warn')
    expect(consentBadge(conn({ daysLeft: 1 }), 14).text).toBe('1 day of consent left')
  })
  it('names the states that need the user', () => {
    expect(consentBadge(conn({ status: 'reconnect_needed' }), 14).text).toBe('Reconnect needed')
    expect(consentBadge(conn({ consentExpiresAt: '' }), 14).tone).toBe('muted')
    expect(consentBadge(conn({ daysLeft: -1 }), 14)).toEqual({ text: 'Consent expired', tone: 'bad' })
  })
})
