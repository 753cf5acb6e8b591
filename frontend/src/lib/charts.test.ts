import { describe, expect, it } from 'vitest'
import { flowText, flowWords, labelEvery, monthChart, monthLabels, monthText, niceTicks, sinceLabel, tickLabel } from './charts'

const months = [
  { month: '2026-01', currency: 'GBP', in: '2500.00', out: '1250.00', partial: false },
  { month: '2026-02', currency: 'GBP', in: '0', out: '625.50', partial: true },
]

// span is n consecutive months ending with December 2026.
function span(n: number) {
  return Array.from({ length: n }, (_, i) => {
    const k = 2026 * 12 + 11 - (n - 1) + i
    return { month: `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`, currency: 'GBP', in: '10', out: '5', partial: i === n - 1 }
  })
}

describe('niceTicks', () => {
  const labels = (max: number) => {
    const s = niceTicks(max)
    return s.ticks.map((t) => tickLabel(t, s.step, 'GBP'))
  }
  it('gives a small account a readable scale', () => {
    expect(labels(37.5)).toEqual(['£0', '£10', '£20', '£30', '£40'])
    expect(labels(2.4)).toEqual(['£0', '£1', '£2', '£3'])
    expect(labels(0.8)).toEqual(['£0', '£0.20', '£0.40', '£0.60', '£0.80'])
  })
  it('never steps below a penny', () => {
    expect(niceTicks(0.01).ticks).toEqual([0, 0.01])
    expect(labels(0.03)).toEqual(['£0', '£0.01', '£0.02', '£0.03'])
  })
  it('counts thousands and millions short', () => {
    expect(labels(37_500)).toEqual(['£0', '£10k', '£20k', '£30k', '£40k'])
    expect(labels(45_000)).toEqual(['£0', '£20k', '£40k', '£60k'])
    expect(labels(9_000)).toEqual(['£0', '£2.5k', '£5k', '£7.5k', '£10k'])
    expect(labels(1_800)).toEqual(['£0', '£500', '£1,000', '£1,500', '£2,000'])
    expect(labels(3_200_000)).toEqual(['£0', '£1m', '£2m', '£3m', '£4m'])
  })
  it('reaches the largest value, and a value on a tick is the top', () => {
    for (const max of [0.07, 1, 3.3, 37.5, 99.99, 100, 101, 1234.56, 50_000, 987_654.32]) {
      const s = niceTicks(max)
      expect(s.top).toBeGreaterThanOrEqual(max)
      expect(s.ticks.length).toBeGreaterThanOrEqual(2)
      expect(s.ticks.length).toBeLessThanOrEqual(6)
      s.ticks.forEach((t, i) => expect(t).toBeCloseTo(i * s.step, 9))
    }
    expect(niceTicks(40).top).toBe(40)
    expect(niceTicks(100).ticks).toEqual([0, 25, 50, 75, 100])
  })
  it('draws one line at zero when nothing moved', () => {
    expect(niceTicks(0)).toEqual({ ticks: [0], step: 0, top: 0 })
    expect(niceTicks(Number.NaN).ticks).toEqual([0])
    expect(tickLabel(0, 0, 'GBP')).toBe('£0')
  })
  it('writes the currency as formatMoney does', () => {
    expect(tickLabel(20_000, 10_000, 'EUR')).toBe('€20k')
    expect(tickLabel(20, 10, 'CHF')).toBe('20 CHF')
  })
})

describe('month labels', () => {
  it('reads as months, with the year where it changes', () => {
    const ls = monthLabels(span(6), 80)
    expect(ls.map((l) => l.text)).toEqual(['Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec*'])
    expect(ls.map((l) => l.year)).toEqual(['2026', '', '', '', '', ''])
    const two = monthLabels(span(14), 80)
    expect(two[0]).toEqual({ index: 0, text: 'Nov', year: '2025' })
    expect(two[2]).toEqual({ index: 2, text: 'Jan', year: '2026' })
    expect(two.filter((l) => l.year).map((l) => l.year)).toEqual(['2025', '2026'])
  })
  it('thins to fewer labels when slots are narrow, January first', () => {
    expect(labelEvery(40, 36)).toBe(1)
    expect(labelEvery(20, 36)).toBe(2)
    expect(labelEvery(7, 36)).toBe(6)
    expect(labelEvery(2, 36)).toBe(24)
    const ls = monthLabels(span(72), 7)
    expect(ls.map((l) => l.text).slice(0, 4)).toEqual(['Jan', 'Jul', 'Jan', 'Jul'])
    expect(ls.filter((l) => l.year).map((l) => l.year)).toEqual(['2021', '2022', '2023', '2024', '2025', '2026'])
  })
  it('keeps labels apart and inside the box at the narrowest width, 24 and 72 months', () => {
    for (const n of [6, 12, 24, 72]) {
      for (const width of [480, 560, 800, 1000]) {
        const c = monthChart(span(n), width, 240, 'GBP')
        c.labels.forEach((l, i) => {
          const half = (Math.max(l.text.length, l.year.length) * 7) / 2
          expect(l.x - half).toBeGreaterThanOrEqual(0)
          expect(l.x + half).toBeLessThanOrEqual(width)
          if (i > 0) expect(l.x - c.labels[i - 1].x).toBeGreaterThanOrEqual(36)
        })
      }
    }
  })
})

describe('monthChart', () => {
  it('scales bars to the axis top and keeps exact values', () => {
    const c = monthChart(months, 400, 240, 'GBP')
    expect(c.scale.ticks).toEqual([0, 1000, 2000, 3000])
    expect(c.grid.map((g) => g.label)).toEqual(['£0', '£1k', '£2k', '£3k'])
    const [jan, feb] = c.columns
    const plotH = c.plot.bottom - c.plot.top
    expect(jan.in.height).toBeCloseTo((plotH * 2500) / 3000, 6)
    expect(jan.out.height).toBeCloseTo(plotH * (1250 / 3000), 6)
    expect(feb.in.height).toBe(0)
    expect(feb.out.value).toBe('625.50')
    expect(jan.out.x).toBeGreaterThan(jan.in.x)
    expect(feb.in.x).toBeGreaterThan(jan.out.x)
    expect(jan.in.y + jan.in.height).toBe(c.plot.bottom)
  })
  it('leaves room at the left for the widest axis label', () => {
    const c = monthChart([{ ...months[0], in: '987654.32' }], 400, 240, 'GBP')
    const widest = Math.max(...c.grid.map((g) => g.label.length))
    expect(c.plot.left).toBeGreaterThanOrEqual(widest * 7 + 6)
  })
  it('draws flat bars on the zero line when nothing moved', () => {
    const c = monthChart([{ ...months[0], in: '0', out: '0' }], 400, 240, 'GBP')
    expect(c.grid).toEqual([{ y: c.plot.bottom, label: '£0' }])
    expect(c.columns[0].in.height).toBe(0)
    expect(c.columns[0].out.height).toBe(0)
  })
  it('draws nothing without months', () => {
    expect(monthChart([], 400, 240, 'GBP').columns).toEqual([])
  })
})

describe('monthText', () => {
  it('says the month and its figures in the totals line\'s words', () => {
    expect(monthText(months[0])).toEqual({
      title: 'January 2026',
      in: '£2,500.00',
      out: '£1,250.00',
      inTone: 'pos',
      outTone: 'neg',
      label: 'January 2026: received £2,500.00, spent £1,250.00',
    })
    expect(monthText(months[1], '2026-02-03').title).toBe('February 2026 (so far)')
    expect(monthText(months[1], '2026-05-03').title).toBe('February 2026 (part of the month)')
    expect(monthText({ ...months[0], in: '0', out: '0' })).toMatchObject({ label: 'January 2026: received £0.00, spent £0.00', inTone: '', outTone: '' })
  })
  it('writes a month as flowText writes a period, under flowWords', () => {
    const total = { currency: 'GBP', in: '2500', out: '1875.5' }
    expect(flowText(total)).toEqual({ in: '£2,500.00', out: '£1,875.50', inTone: 'pos', outTone: 'neg' })
    expect(monthText(months[0])).toMatchObject(flowText(months[0]))
    expect(flowWords).toEqual({ in: 'Received', out: 'Spent' })
    // More refunded than spent: the figure keeps its sign, not the spending colour.
    expect(flowText({ ...total, out: '-5' })).toMatchObject({ out: '−£5.00', outTone: '' })
  })
})

describe('labels', () => {
  it('names history depth', () => {
    expect(sinceLabel('2020-03-14')).toBe('since March 2020')
    expect(sinceLabel(undefined)).toBe('')
  })
})
