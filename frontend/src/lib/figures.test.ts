import { describe, expect, it } from 'vitest'
import { availableText, balanceText, longDay, netText, periodText, totalsParts, transactionCount } from './figures'
import { formatSigned, isPositive, tone } from './money'

describe('signed amounts', () => {
  it('marks money in with a plus and the income colour, money out with a minus', () => {
    expect(formatSigned('37.74', 'GBP')).toBe('+£37.74')
    expect(formatSigned('-1247.25', 'GBP')).toBe('−£1,247.25')
    expect(formatSigned('0.00', 'GBP')).toBe('£0.00')
    expect(formatSigned('-0', 'GBP')).toBe('£0.00')
    expect([tone('0.01'), tone('-0.01'), tone('0')]).toEqual(['pos', 'neg', ''])
    expect([isPositive('0.001'), isPositive('-3'), isPositive('000.000'), isPositive(undefined)]).toEqual([true, false, false, false])
  })
})

describe('balances', () => {
  it('says a card balance is owed, with a minus, and its available amount is credit', () => {
    const card = { current: '-1247.25', available: '6225.57', currency: 'GBP', owes: true }
    expect(balanceText(card)).toEqual({ amount: '−£1,247.25', note: 'owed', tone: 'neg', label: '−£1,247.25 owed' })
    expect(availableText(card)).toBe('available credit £6,225.57')
    expect(balanceText({ ...card, current: '20.00' }).note).toBe('in credit')
    expect(balanceText({ ...card, current: '0' }).note).toBe('nothing owed')
  })
  it('shows an account as held, or overdrawn below zero', () => {
    const saver = { current: '12976.45', available: '12976.45', currency: 'GBP', owes: false }
    expect(balanceText(saver)).toEqual({ amount: '£12,976.45', note: '', tone: '', label: '£12,976.45' })
    expect(availableText(saver)).toBe('available £12,976.45')
    expect(balanceText({ ...saver, current: '-50.1' })).toMatchObject({ amount: '−£50.10', note: 'overdrawn', tone: 'neg' })
    expect(availableText({ ...saver, available: undefined })).toBe('')
  })
  it('words the net position of each currency', () => {
    expect(netText({ currency: 'GBP', net: '13729.20', assets: '14976.45', debts: '-1247.25', accounts: 3 })).toEqual({
      net: '£13,729.20',
      tone: '',
      detail: '£14,976.45 held · £1,247.25 owed',
    })
    expect(netText({ currency: 'EUR', net: '-5.00', assets: '0.00', debts: '-5.00', accounts: 1 })).toMatchObject({ net: '−€5.00', tone: 'neg' })
    expect(netText({ currency: 'EUR', net: '5.00', assets: '5.00', debts: '0.00', accounts: 1 }).detail).toBe('€5.00 held · nothing owed')
  })
})

describe('Transactions totals', () => {
  const t = { currency: 'GBP', in: '5786.54', out: '-4406.54', transfers: '-1380.63', transfersIn: '0.00', transfersOut: '-1380.63', count: 116, pending: '0.00', pendingCount: 0 }
  it('shows In, Out and Transfers apart, signed', () => {
    expect(totalsParts(t).map((p) => `${p.label} ${p.value} ${p.tone}`)).toEqual(['In +£5,786.54 pos', 'Out −£4,406.54 neg', 'Transfers −£1,380.63 '])
    expect(totalsParts(t)[2].title).toContain('£0.00 in, −£1,380.63 out')
  })
  it('shows transfers both ways when money moved both ways', () => {
    const all = { ...t, transfers: '0.00', transfersIn: '27674.18', transfersOut: '-27674.18' }
    expect(totalsParts(all)[2].value).toBe('+£27,674.18 / −£27,674.18')
  })
  it('adds the pending rows apart, as not counted yet', () => {
    const parts = totalsParts({ ...t, pending: '-45.14', pendingCount: 3 })
    expect(parts.map((p) => `${p.label} ${p.value}`).at(-1)).toBe('3 pending −£45.14')
  })
})

describe('Spending period', () => {
  const months = [
    { month: '2025-12', currency: 'GBP', in: '1', out: '2', partial: false },
    { month: '2026-11', currency: 'GBP', in: '1', out: '2', partial: true },
    { month: '2026-11', currency: 'EUR', in: '1', out: '2', partial: true },
  ]
  it('names the days covered and the month not over yet', () => {
    expect(longDay('2026-11-21')).toBe('21 November 2026')
    expect(periodText({ from: '2025-12-01', to: '2026-11-21', today: '2026-11-21', months }, 'GBP')).toBe('1 December 2025 to 21 November 2026 (November so far)')
  })
  it('says when a period starts inside a month, and when nothing matched', () => {
    const cut = [{ month: '2025-06', currency: 'GBP', in: '1', out: '2', partial: true }]
    expect(periodText({ from: '2025-06-10', to: '2025-06-30', today: '2026-11-21', months: cut }, 'GBP')).toBe('10 June 2025 to 30 June 2025 (part of June)')
    expect(periodText({ from: '', to: '', today: '2026-11-21', months: [] }, 'GBP')).toBe('No booked transactions in this period.')
  })
})

describe('transactionCount', () => {
  it('counts in words, one in the singular', () => {
    expect([0, 1, 2, 8954, 1234567].map(transactionCount)).toEqual(['0 transactions', '1 transaction', '2 transactions', '8,954 transactions', '1,234,567 transactions'])
  })
})
