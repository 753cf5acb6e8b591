import { afterEach, describe, expect, it } from 'vitest'
import { formatDate, formatDateTime, formatMonth, setDateLocale } from './dates'

afterEach(() => setDateLocale(undefined))

describe('dates', () => {
  it('follows the locale: day first in the UK, month first in the US', () => {
    setDateLocale('en-GB')
    expect(formatDate('2026-12-01')).toBe('1 Dec 2026')
    setDateLocale('en-US')
    expect(formatDate('2026-12-01')).toBe('Dec 1, 2026')
    setDateLocale('de-DE')
    expect(formatDate('2026-12-01')).toBe('1. Dez. 2026')
  })

  it('keeps a bank day on its day in every time zone', () => {
    setDateLocale('en-GB')
    // A calendar day is not an instant: no zone may move it.
    expect(formatDate('2026-07-01')).toBe('1 Jul 2026')
    expect(formatMonth('2020-03-01')).toBe('March 2020')
  })

  it('shows an instant with its time, and a weekday when asked', () => {
    setDateLocale('en-GB')
    const t = new Date(2026, 4, 15, 0, 7) // local time
    expect(formatDateTime(t.toISOString())).toBe('15 May 2026, 00:07')
    expect(formatDateTime(t.toISOString(), { weekday: true })).toBe('Friday, 15 May 2026, 00:07')
    expect(formatDate(t.toISOString())).toBe('15 May 2026')
  })

  it('says — for no date and leaves other text alone', () => {
    expect(formatDate('')).toBe('—')
    expect(formatDate(undefined)).toBe('—')
    expect(formatDateTime(null)).toBe('—')
    expect(formatDate('soon')).toBe('soon')
    expect(formatMonth('')).toBe('')
  })
})
