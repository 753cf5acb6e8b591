import { describe, expect, it } from 'vitest'
import type { ConsentView } from './api'
import { banners, contactProblem, daysText, newExpiryLabel } from './consent'

const c = (over: Partial<ConsentView>): ConsentView => ({
  connectionId: 'c',
  providerId: 'mock',
  providerName: 'Mock',
  consentCreatedAt: '',
  consentExpiresAt: '',
  refreshIdleDeadline: '',
  daysLeft: 60,
  status: 'active',
  headline: 'consent',
  headlineDeadline: '',
  headlineDaysLeft: 60,
  ...over,
})

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
  it('needs a full name, a contact and the confirmation', () => {
    expect(contactProblem('John', 'j@d.com', '', true)).toMatch(/full name/)
    expect(contactProblem('John Doe', '', '', true)).toMatch(/email address or a phone/)
    expect(contactProblem('John Doe', 'nope', '', true)).toMatch(/email/)
    expect(contactProblem('John Doe', '', '+44 7700 900123', false)).toMatch(/Tick/)
    expect(contactProblem('John Doe', 'john@doe.com', '', true)).toBe('')
  })
  it('words days and the new expiry', () => {
    expect(daysText(0)).toBe('less than a day')
    expect(daysText(3)).toBe('3 days')
    expect(newExpiryLabel(new Date('2026-11-21T10:00:00Z'))).toBe('19 February 2027')
  })
})
