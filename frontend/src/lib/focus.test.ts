// @vitest-environment node
import { describe, expect, it, vi } from 'vitest'
import { focusInto } from './focus'

function el(matches: boolean, child?: { focus: () => void }) {
  return { matches: () => matches, querySelector: vi.fn(() => child ?? null), focus: vi.fn() } as unknown as HTMLElement & { focus: ReturnType<typeof vi.fn> }
}

describe('focusInto', () => {
  it('focuses the first field inside the node', async () => {
    const first = { focus: vi.fn() }
    const node = el(false, first)
    focusInto(node)
    await Promise.resolve()
    expect(first.focus).toHaveBeenCalled()
    expect(node.focus).not.toHaveBeenCalled()
  })
  it('focuses the node itself when it is what the selector names', async () => {
    const node = el(true)
    focusInto(node, '[tabindex="-1"]')
    await Promise.resolve()
    expect(node.focus).toHaveBeenCalled()
  })
})
