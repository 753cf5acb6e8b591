import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Account, Connection } from './api'
import { connectionTitle, keptAccounts, lastBalanceText } from './connections'
import { setDateLocale } from './dates'

beforeEach(() => setDateLocale('en-GB'))
afterEach(() => setDateLocale(undefined))

const conn = (over: Partial<Connection>): Connection =>
  ({ id: 'c1', providerId: 'mock', providerName: 'Mock', consentCreatedAt: '2026-12-01T07:56:19Z', accountNames: ['Club Current'], ...over }) as Connection

describe('connectionTitle', () => {
  it('is the bank name when the bank is connected once', () => {
    const c = conn({})
    expect(connectionTitle(c, [c, conn({ id: 'c2', providerId: 'ob-lloyds', providerName: 'Lloyds' })])).toEqual({ title: 'Mock', detail: '' })
  })

  it('tells one bank connected twice apart by its accounts and consent date', () => {
    const a = conn({ accountNames: ['Club Current', 'Instant Saver', 'Platinum Card'] })
    const b = conn({ id: 'c2', accountNames: [], consentCreatedAt: '2026-11-03T10:00:00Z' })
    expect(connectionTitle(a, [a, b])).toEqual({ title: 'Mock: Club Current, Instant Saver and 1 more', detail: 'consent given 1 Dec 2026' })
    expect(connectionTitle(b, [a, b])).toEqual({ title: 'Mock: no accounts', detail: 'consent given 3 Nov 2026' })
  })
})

describe('kept accounts', () => {
  it('are the disconnected ones, with the day of their last balance', () => {
    const kept = { id: 'a1', disconnected: true, balanceUpdatedAt: '2026-12-01T07:56:19Z' } as Account
    const live = { id: 'a2' } as Account
    expect(keptAccounts([kept, live])).toEqual([kept])
    expect(lastBalanceText(kept)).toBe('Disconnected: last balance on 1 Dec 2026')
    expect(lastBalanceText({ id: 'a3', disconnected: true } as Account)).toBe('Disconnected: no balance was saved')
  })
})
