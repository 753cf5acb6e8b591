import { describe, expect, it } from 'vitest'
import { clock, linkValidity } from './waiting'

describe('linkValidity', () => {
  // Times on the computer's clock, whatever its zone.
  const at = (h: number, m: number) => new Date(2026, 6, 1, h, m)
  it('says until when the link works, on the computer’s clock', () => {
    expect(linkValidity(at(14, 5).toISOString(), at(13, 58))).toBe('This link works until 14:05.')
    expect(linkValidity(at(9, 0).toISOString(), at(8, 51))).toBe('This link works until 09:00.')
  })
  it('says when it no longer works', () => {
    expect(linkValidity(at(14, 5).toISOString(), at(14, 5))).toMatch(/^This link has expired\./)
  })
  it('says nothing of a time it cannot read', () => {
    expect(linkValidity('', at(1, 0))).toBe('')
    expect(linkValidity('soon', at(1, 0))).toBe('')
  })
  it('clock pads hours and minutes', () => {
    expect(clock(at(0, 7))).toBe('00:07')
    expect(clock(at(23, 59))).toBe('23:59')
  })
})
