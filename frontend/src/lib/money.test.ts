import { describe, expect, it } from 'vitest'
import { compareDecimal, formatMoney, isNegative, negate, parseDecimal, ratio } from './money'

describe('formatMoney', () => {
  it('groups, pads and signs exactly', () => {
    expect(formatMoney('-1234.5', 'GBP')).toBe('−£1,234.50')
    expect(formatMoney('1234567.891', 'EUR')).toBe('€1,234,567.891')
    expect(formatMoney('0.77', 'GBP')).toBe('£0.77')
    expect(formatMoney('2500', 'GBP')).toBe('£2,500.00')
    expect(formatMoney('-0.00', 'GBP')).toBe('£0.00')
    expect(formatMoney('12', 'CHF')).toBe('12.00 CHF')
    expect(formatMoney(undefined, 'GBP')).toBe('—')
  })
  it('keeps precision a float would lose', () => {
    expect(formatMoney('90071992547409.93', 'GBP')).toBe('£90,071,992,547,409.93')
  })
  it('rejects garbage', () => {
    expect(() => parseDecimal('12a')).toThrow()
    expect(() => parseDecimal('')).toThrow()
  })
})

describe('comparisons', () => {
  it('orders decimals exactly', () => {
    expect(compareDecimal('10.5', '9.99')).toBe(1)
    expect(compareDecimal('-10.5', '-9.99')).toBe(-1)
    expect(compareDecimal('1.10', '1.1')).toBe(0)
    expect(compareDecimal('-1', '0.5')).toBe(-1)
  })
  it('knows the sign and gives drawing ratios', () => {
    expect(isNegative('-0.01')).toBe(true)
    expect(isNegative('0')).toBe(false)
    expect(ratio('-50', '200')).toBe(0.25)
    expect(ratio('1', '0')).toBe(0)
  })
})

describe('negate', () => {
  it('flips the sign of the exact text', () => {
    expect(negate('1250.00')).toBe('-1250.00')
    expect(negate('-0.01')).toBe('0.01')
    expect(negate('+5')).toBe('-5')
    expect(formatMoney(negate('0'), 'GBP')).toBe('£0.00')
  })
})
