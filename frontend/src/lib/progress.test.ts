import { describe, expect, it } from 'vitest'
import { applyDone, applyProgress, idle, timeLeft } from './progress'

const base = { connectionId: 'c', accountId: 'a', accountName: 'Club Lloyds', window: 0, windows: 0, added: 0, total: 0 }

describe('sync progress', () => {
  it('turns backfill windows into a fraction and a readable label', () => {
    const s = applyProgress(idle, { ...base, phase: 'backfill', window: 6, windows: 24, windowFrom: '2025-01-01', windowTo: '2025-03-31', total: 812 })
    expect(s.running).toBe(true)
    expect(s.fraction).toBe(0.25)
    expect(s.label).toBe('Club Lloyds: history 2025-01-01 – 2025-03-31 (812 so far)')
  })
  it('says how long the bank still shares older history', () => {
    const now = new Date('2026-12-01T10:00:00Z')
    const s = applyProgress(idle, { ...base, phase: 'backfill', window: 3, windows: 24, total: 40, deepHistoryUntil: '2026-12-01T10:03:05Z' }, now)
    expect(s.label).toBe('Club Lloyds: history (40 so far) · the bank shares older history for 3:05 more')
    expect(timeLeft('2026-12-01T09:59:59Z', now)).toBe('')
    expect(timeLeft(undefined, now)).toBe('')
    expect(timeLeft('nonsense', now)).toBe('')
  })
  it('never moves the bar backwards on later phases', () => {
    const s = applyProgress({ ...idle, fraction: 0.97 }, { ...base, phase: 'standing_orders' })
    expect(s.fraction).toBe(0.97)
    expect(s.label).toBe('Club Lloyds: standing orders')
  })
  it('shows what finishing a connection did, in the backend\'s words', () => {
    const s = applyProgress(idle, { ...base, accountName: 'Mock', phase: 'connect', message: 'Finished connecting Mock: 2 accounts and 1 card.' })
    expect(s.running).toBe(true)
    expect(s.label).toBe('Finished connecting Mock: 2 accounts and 1 card.')
  })
  it('summarises the result and surfaces account errors', () => {
    expect(applyDone({ connectionId: 'c', ok: true, accounts: [{ accountId: 'a', name: 'x', added: 1234, updated: 0, removed: 0, historyLimited: false }] }).label).toBe(
      '1,234 new transactions.',
    )
    expect(applyDone({ connectionId: 'c', ok: true, accounts: [{ accountId: 'a', name: 'x', added: 0, updated: 0, removed: 1, historyLimited: false }] }).label).toBe(
      'Up to date. 1 booking removed by the bank.',
    )
    const failed = applyDone({ connectionId: 'c', ok: false, accounts: [{ accountId: 'a', name: 'Card', added: 0, updated: 0, removed: 0, historyLimited: false, error: { message: 'Northbank is not answering right now.', details: 'truelayer: GET /data/v1/cards: 503', retry: true } }] })
    expect(failed.error).toEqual({ message: 'Card: Northbank is not answering right now.', details: 'Card: truelayer: GET /data/v1/cards: 503', retry: true, retryAt: undefined })
    expect(failed.running).toBe(false)
  })
})
