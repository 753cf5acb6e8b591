// Geometry for the spending charts. Amounts stay decimal strings; numbers
// are derived only to size bars and to choose the axis' round values.
import type { view } from '../../wailsjs/go/models'
import type { Plain } from './api'
import { formatMonth } from './dates'
import { monthName } from './figures'
import { formatMoney, isPositive, tone } from './money'

// MonthTotals is a month of money in and out (out positive: spent).
export type MonthTotals = Plain<view.Month>

export interface Bar {
  x: number
  y: number
  width: number
  height: number
  label: string
  value: string
  kind: 'in' | 'out'
}

// Scale is the y-axis: round values from 0 to top, step apart.
export interface Scale {
  ticks: number[]
  step: number
  top: number
}

// niceTicks chooses about `count` round steps (1, 2, 2.5 or 5 times a power
// of ten, never under a penny) from 0 to at least max, so £37.50 gets
// £0–£40 in tens and £45,000 gets £0–£60k in £20k steps. Nothing to show
// (max 0) is the single line at 0.
export function niceTicks(max: number, count = 4): Scale {
  if (!Number.isFinite(max) || max <= 0) return { ticks: [0], step: 0, top: 0 }
  const raw = max / count
  const mag = 10 ** Math.floor(Math.log10(raw))
  const n = raw / mag
  const step = Math.max(0.01, (n <= 1 ? 1 : n <= 2 ? 2 : n <= 2.5 ? 2.5 : n <= 5 ? 5 : 10) * mag)
  const intervals = Math.max(1, Math.ceil(max / step - 1e-9))
  // Multiples, rounded back to the step's precision (0.1 * 3 is not 0.3).
  const ticks = Array.from({ length: intervals + 1 }, (_, i) => Number((i * step).toFixed(6)))
  return { ticks, step, top: ticks[ticks.length - 1] }
}

// tickLabel writes an axis value in the chart's currency, as short as the
// step allows: "£0", "£40", "£1,500", "£2.5k", "£20k", "£1.2m", "£0.25".
export function tickLabel(value: number, step: number, currency: string): string {
  // The currency's symbol and its place come from formatMoney, the one
  // owner of how money is written.
  const [prefix, suffix] = formatMoney('0', currency).split('0.00')
  let unit = ''
  let n = value
  if (value === 0) n = 0
  else if (step >= 1e6) [n, unit] = [value / 1e6, 'm']
  else if (step >= 1000) [n, unit] = [value / 1000, 'k']
  const pence = step < 1 && value !== 0
  const digits = n.toLocaleString('en-GB', { minimumFractionDigits: pence ? 2 : 0, maximumFractionDigits: 2 })
  return `${prefix}${digits}${unit}${suffix}`
}

const shortNames = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

// MonthLabel is one label under the month axis: the month ("Jan"), and the
// year under it where the year changes (and under the first).
export interface MonthLabel {
  index: number
  text: string
  year: string
}

// labelEvery is how many months one label stands for, so that labels at
// least minGap apart fit in slots of slotWidth: 1, 2, 3, 4, 6 or 12 (so
// January always has one), then whole years.
export function labelEvery(slotWidth: number, minGap: number): number {
  for (const k of [1, 2, 3, 4, 6, 12]) if (k * slotWidth >= minGap) return k
  return 12 * Math.ceil(minGap / (12 * slotWidth))
}

// monthLabels labels every k-th month (labelEvery), starting each year at
// January; months with part of their figures only are starred ("Dec*").
export function monthLabels(months: Pick<MonthTotals, 'month' | 'partial'>[], slotWidth: number, minGap = 36): MonthLabel[] {
  const k = labelEvery(slotWidth, minGap)
  const out: MonthLabel[] = []
  let lastYear = ''
  months.forEach((m, index) => {
    const [y, mo] = m.month.split('-').map(Number)
    if ((y * 12 + mo - 1) % k !== 0) return
    const year = String(y)
    out.push({ index, text: (shortNames[mo - 1] ?? '?') + (m.partial ? '*' : ''), year: year === lastYear ? '' : year })
    lastYear = year
  })
  return out
}

// Column is one month of the chart: its slot and its two bars.
export interface Column {
  month: string
  x: number
  width: number
  in: Bar
  out: Bar
}

export interface MonthChart {
  width: number
  height: number
  plot: { left: number; top: number; right: number; bottom: number }
  scale: Scale
  grid: { y: number; label: string }[]
  columns: Column[]
  labels: (MonthLabel & { x: number })[]
}

// Text metrics for the axis font (11px): a generous average glyph width,
// so labels placed by estimate never touch.
const glyph = 7
const monthGap = 36

// monthChart lays out the monthly chart in a width × height box (pixels):
// the y-axis labels at the left, inside the box; the month labels in two
// rows below (month, year); an "in" and an "out" bar per month, oldest left.
export function monthChart(months: MonthTotals[], width: number, height: number, currency: string): MonthChart {
  const max = Math.max(0, ...months.flatMap((m) => [Math.abs(Number(m.in)), Math.abs(Number(m.out))]))
  const scale = niceTicks(max)
  const tickTexts = scale.ticks.map((t) => tickLabel(t, scale.step, currency))
  const left = Math.ceil(Math.max(...tickTexts.map((t) => t.length)) * glyph + 10)
  const plot = { left, top: 8, right: Math.max(left + 1, width - 18), bottom: Math.max(9, height - 36) }
  const plotH = plot.bottom - plot.top
  const y = (v: number) => (scale.top === 0 ? plot.bottom : plot.bottom - (v / scale.top) * plotH)
  const grid = scale.ticks.map((t, i) => ({ y: y(t), label: tickTexts[i] }))
  const n = months.length
  const slot = n ? (plot.right - plot.left) / n : 0
  const gap = Math.min(4, slot * 0.2)
  const bw = Math.max(1, (slot - gap) / 2)
  const bar = (m: MonthTotals, i: number, kind: 'in' | 'out'): Bar => {
    const top = y(Math.abs(Number(m[kind])))
    const x = plot.left + i * slot + gap / 2 + (kind === 'out' ? bw : 0)
    return { x, y: top, width: bw, height: plot.bottom - top, label: m.month, value: m[kind], kind }
  }
  const columns = months.map((m, i) => ({ month: m.month, x: plot.left + i * slot, width: slot, in: bar(m, i, 'in'), out: bar(m, i, 'out') }))
  const labels = monthLabels(months, slot, monthGap).map((l) => ({ ...l, x: plot.left + (l.index + 0.5) * slot }))
  return { width, height, plot, scale, grid, columns, labels }
}

// sinceLabel says how far history reaches: "since March 2020".
export function sinceLabel(date: string | undefined): string {
  if (!date) return ''
  const month = formatMonth(date)
  return month ? 'since ' + month : ''
}

// flowWords are Spending's two words for money in and money out: the
// totals line, the chart's tooltip, legend and screen-reader names, and
// its table all say them, so one figure never has two names on one screen.
export const flowWords = { in: 'Received', out: 'Spent' } as const

// FlowText is money in and out of a month or a period as Spending writes
// it: the amounts as formatMoney writes them (the word says the direction,
// so no sign is added), in the income and spending colours.
export interface FlowText {
  in: string // "£2,500.00"
  out: string // "£1,250.00"
  inTone: 'pos' | 'neg' | ''
  outTone: 'neg' | ''
}

export function flowText(t: Pick<MonthTotals, 'in' | 'out' | 'currency'>): FlowText {
  return {
    in: formatMoney(t.in, t.currency),
    out: formatMoney(t.out, t.currency),
    inTone: tone(t.in),
    outTone: isPositive(t.out) ? 'neg' : '',
  }
}

// MonthText is what Spending says about one month, on hover, on focus, to
// a screen reader and in the table: its title and its flowText.
export interface MonthText extends FlowText {
  title: string // "March 2026", "December 2026 (so far)"
  label: string // "March 2026: received £2,500.00, spent £1,250.00"
}

export function monthText(m: MonthTotals, today = ''): MonthText {
  const [y] = m.month.split('-')
  const note = m.partial ? (today.startsWith(m.month) ? ' (so far)' : ' (part of the month)') : ''
  const title = `${monthName(m.month)} ${y}${note}`
  const f = flowText(m)
  return { title, ...f, label: `${title}: ${flowWords.in.toLowerCase()} ${f.in}, ${flowWords.out.toLowerCase()} ${f.out}` }
}
