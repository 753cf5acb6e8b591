import { describe, expect, it } from 'vitest'
import { applyTheme, asTheme, storageKey } from './theme'

describe('applyTheme', () => {
  it('sets data-theme for an override, clears it to follow the system, and caches the choice', () => {
    const root = { dataset: {} as Record<string, string> } as unknown as HTMLElement
    const saved: Record<string, string> = {}
    const storage = { setItem: (k: string, v: string) => void (saved[k] = v) }
    applyTheme('dark', root, storage)
    expect(root.dataset.theme).toBe('dark')
    expect(saved[storageKey]).toBe('dark')
    applyTheme('system', root, storage)
    expect(root.dataset.theme).toBeUndefined()
    expect(saved[storageKey]).toBe('system')
  })
  it('reads anything unknown as the system theme', () => {
    expect(asTheme('dark')).toBe('dark')
    expect(asTheme('light')).toBe('light')
    expect(asTheme('blue')).toBe('system')
    expect(asTheme(undefined)).toBe('system')
  })
})
