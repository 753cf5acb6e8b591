// Geometry for the spending charts. Amounts stay decimal strings; numbers
// are derived only to size bars.
import type { view } from '../../wailsjs/go/models'
import type { Plain } from './api'
import { formatMonth } from './dates'

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

// monthBars lays out an "in" and an "out" bar per month, oldest left.
export function monthBars(months: MonthTotals[], width: number, height: number, gap = 4): Bar[] {
  if (months.length === 0 || width <= 0 || height <= 0) return []
  const max = Math.max(...months.flatMap((m) => [Math.abs(Number(m.in)), Math.abs(Number(m.out))]), 0)
  const slot = width / months.length
  const bw = Math.max(1, (slot - gap) / 2)
  const bars: Bar[] = []
  months.forEach((m, i) => {
    for (const [j, kind] of (['in', 'out'] as const).entries()) {
      const v = Math.abs(Number(m[kind]))
      const h = max === 0 ? 0 : (v / max) * height
      bars.push({ x: i * slot + j * bw + gap / 2, y: height - h, width: bw, height: h, label: m.month, value: m[kind], kind })
    }
  })
  return bars
}

// shortMonth turns "2026-03" into "Mar 26".
export function shortMonth(ym: string): string {
  const [y, m] = ym.split('-').map(Number)
  const names = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
  return `${names[(m ?? 1) - 1] ?? '?'} ${String(y).slice(2)}`
}

// sinceLabel says how far history reaches: "since March 2020".
export function sinceLabel(date: string | undefined): string {
  if (!date) return ''
  const month = formatMonth(date)
  return month ? 'since ' + month : ''
}

