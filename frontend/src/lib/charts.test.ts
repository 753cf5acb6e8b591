import { describe, expect, it } from 'vitest'
import { monthBars, shortMonth, sinceLabel } from './charts'

const months = [
  { month: '2026-01', currency: 'GBP', in: '2500.00', out: '1250.00', partial: false },
  { month: '2026-02', currency: 'GBP', in: '0', out: '625.50', partial: true },
  { month: '2026-02', currency: 'EUR', in: '10', out: '5', partial: true },
]

describe('monthBars', () => {
  it('scales bars to the largest value and keeps exact labels', () => {
    const bars = monthBars(months.filter((m) => m.currency === 'GBP'), 200, 100)
    expect(bars).toHaveLength(4)
    const [in1, out1, in2, out2] = bars
    expect(in1.height).toBe(100)
    expect(out1.height).toBe(50)
    expect(in2.height).toBe(0)
    expect(out2.value).toBe('625.50')
    expect(out2.kind).toBe('out')
    expect(in2.x).toBeGreaterThan(out1.x)
    expect(out1.y).toBe(50)
  })
  it('draws nothing without data or room', () => {
    expect(monthBars([], 100, 100)).toEqual([])
    expect(monthBars(months, 0, 100)).toEqual([])
  })
})

describe('labels', () => {
  it('names months and history depth', () => {
    expect(shortMonth('2026-03')).toBe('Mar 26')
    expect(sinceLabel('2020-03-14')).toBe('since March 2020')
    expect(sinceLabel(undefined)).toBe('')
  })
})
