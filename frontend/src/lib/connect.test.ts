import { describe, expect, it } from 'vitest'
import type { Connected, Connection } from './api'
import { afterFetch, bankOf, connectedNotice, fetchingHistory } from './connect'

const connected = (over: Partial<Connected>): Connected => ({
  connectionId: 'c1',
  providerId: 'mock',
  accounts: 2,
  cards: 1,
  warnings: [],
  unmatched: [],
  missing: [],
  unfinished: false,
  existing: false,
  renewed: false,
  notes: [],
  ...over,
})

describe('connectedNotice', () => {
  it('counts accounts and cards, in the singular where one', () => {
    expect(connectedNotice(connected({}))).toBe(`Connected: 2 accounts and 1 card. ${fetchingHistory}`)
    expect(connectedNotice(connected({ accounts: 1, cards: 0 }))).toBe(`Connected: 1 account and 0 cards. ${fetchingHistory}`)
  })
  it('counts nothing for an unfinished connection and adds the backend notes and warnings', () => {
    expect(connectedNotice(connected({ unfinished: true }))).toBe(`Connected. ${fetchingHistory}`)
    expect(connectedNotice(connected({ notes: ['Renewed.'], warnings: ['One card is missing.'] }))).toBe(
      `Connected: 2 accounts and 1 card. ${fetchingHistory} Renewed. One card is missing.`,
    )
  })
})

describe('bankOf', () => {
  it('names the bank of a connection, or "your bank"', () => {
    expect(bankOf({ providerId: 'mock', providerName: 'Mock' } as Connection)).toEqual({ id: 'mock', name: 'Mock', logoUrl: '', country: '', scopes: [] })
    expect(bankOf(undefined).name).toBe('your bank')
    expect(bankOf(null).id).toBe('')
  })
})

describe('afterFetch', () => {
  it('keeps only what the backend noted once the history is fetched', () => {
    expect(afterFetch(connected({}))).toBe('')
    expect(afterFetch(connected({ notes: ['Mock was already connected.'], warnings: ['No cards.'] }))).toBe('Mock was already connected. No cards.')
  })
})
