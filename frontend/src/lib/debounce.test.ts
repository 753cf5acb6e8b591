import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { debounce } from './debounce'

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

describe('debounce', () => {
  it('runs once, after a burst of calls has stopped', () => {
    const fn = vi.fn()
    const d = debounce(fn, 500)
    d.call()
    vi.advanceTimersByTime(400)
    d.call()
    vi.advanceTimersByTime(400)
    expect(fn).not.toHaveBeenCalled()
    vi.advanceTimersByTime(100)
    expect(fn).toHaveBeenCalledTimes(1)
    d.call()
    vi.advanceTimersByTime(500)
    expect(fn).toHaveBeenCalledTimes(2)
  })
  it('runs nothing once cancelled', () => {
    const fn = vi.fn()
    const d = debounce(fn, 500)
    d.call()
    d.cancel()
    vi.advanceTimersByTime(1000)
    expect(fn).not.toHaveBeenCalled()
  })
})
