// The palette in style.css passes WCAG AA in both themes: each text colour
// against every background it is drawn on (4.5:1), and the focus ring and
// field borders against the surfaces around them (3:1, non-text contrast).
// https://www.w3.org/TR/WCAG21/#contrast-minimum
import css from '../style.css?raw'
import html from '../../index.html?raw'
import { describe, expect, it } from 'vitest'

// palette reads every `--name: light-dark(#light, #dark)` in :root.
function palette(): Record<string, [string, string]> {
  const out: Record<string, [string, string]> = {}
  for (const m of css.matchAll(/--([a-z0-9-]+):\s*light-dark\(\s*(#[0-9a-f]{6})\s*,\s*(#[0-9a-f]{6})\s*\)/gi)) out[m[1]] = [m[2], m[3]]
  return out
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  })
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (hi + 0.05) / (lo + 0.05)
}

// [foreground, backgrounds it sits on, minimum ratio]
const pairs: [string, string[], number][] = [
  ['text', ['bg', 'surface', 'surface-2', 'hover', 'code-bg', 'bad-surface', 'intro-bg'], 4.5],
  ['muted', ['bg', 'surface', 'surface-2', 'hover', 'intro-bg', 'bad-surface'], 4.5],
  ['accent-text', ['bg', 'surface', 'surface-2', 'intro-bg'], 4.5],
  ['on-accent', ['accent'], 4.5],
  ['on-accent-soft', ['accent-soft'], 4.5],
  ['on-warn', ['warn-bg'], 4.5],
  ['on-bad', ['bad-bg'], 4.5],
  ['on-live', ['live-bg'], 4.5],
  ['on-danger', ['danger'], 4.5],
  ['pos', ['bg', 'surface', 'surface-2'], 4.5],
  ['neg', ['bg', 'surface', 'surface-2', 'bad-surface'], 4.5],
  ['focus', ['bg', 'surface', 'surface-2', 'accent-soft'], 3],
  ['input-border', ['surface'], 3],
]

describe('palette', () => {
  const p = palette()
  it('reads both themes of every colour it checks', () => {
    for (const [fg, bgs] of pairs) for (const name of [fg, ...bgs]) expect(p[name], `--${name}`).toBeDefined()
  })
  for (const [theme, i] of [['light', 0], ['dark', 1]] as const) {
    it(`passes WCAG AA in the ${theme} theme`, () => {
      const fails: string[] = []
      for (const [fg, bgs, min] of pairs) {
        for (const bg of bgs) {
          const r = contrast(p[fg][i], p[bg][i])
          if (r < min) fails.push(`--${fg} on --${bg}: ${r.toFixed(2)} < ${min}`)
        }
      }
      expect(fails).toEqual([])
    })
  }
  it('computes known ratios', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5)
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2)
  })
})

describe('theme before first paint', () => {
  it('index.html reads the key lib/theme.ts saves under', async () => {
    const { storageKey } = await import('./theme')
    expect(html).toContain(`localStorage.getItem('${storageKey}')`)
  })
})
