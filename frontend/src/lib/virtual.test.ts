import { describe, expect, it } from 'vitest'
import { PageCache, pagesFor, visibleRange } from './virtual'

describe('visibleRange', () => {
  it('covers the viewport plus overscan, clamped to the list', () => {
    expect(visibleRange(0, 400, 40, 100000, 5)).toEqual({ start: 0, end: 16 })
    expect(visibleRange(40 * 5000, 400, 40, 100000, 5)).toEqual({ start: 4995, end: 5016 })
    expect(visibleRange(40 * 99999, 400, 40, 100000, 5)).toEqual({ start: 99994, end: 100000 })
    expect(visibleRange(0, 400, 40, 0)).toEqual({ start: 0, end: 0 })
  })
})

describe('pagesFor', () => {
  it('lists the pages a range touches', () => {
    expect(pagesFor({ start: 0, end: 16 }, 200)).toEqual([0])
    expect(pagesFor({ start: 195, end: 210 }, 200)).toEqual([0, 1])
    expect(pagesFor({ start: 5, end: 5 }, 200)).toEqual([])
  })
})

describe('PageCache', () => {
  it('fetches each page once, serves rows, and evicts far pages', async () => {
    const calls: number[] = []
    const cache = new PageCache<number>(
      10,
      async (offset, limit) => {
        calls.push(offset)
        return Array.from({ length: limit }, (_, i) => offset + i)
      },
      2,
    )
    await Promise.all([cache.ensure({ start: 0, end: 15 }), cache.ensure({ start: 5, end: 12 })])
    expect(calls).toEqual([0, 10])
    expect(cache.row(13)).toBe(13)
    expect(cache.row(25)).toBeUndefined()
    await cache.ensure({ start: 40, end: 45 })
    expect(cache.size).toBeLessThanOrEqual(2)
    expect(cache.row(41)).toBe(41)
  })
})
