import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { watchIdle } from './idle'

describe('watchIdle', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('fires after the minutes without input, and input starts them again', () => {
    const target = new EventTarget()
    const onIdle = vi.fn()
    const stop = watchIdle(5, onIdle, target)
    vi.advanceTimersByTime(4 * 60_000)
    target.dispatchEvent(new Event('keydown'))
    vi.advanceTimersByTime(4 * 60_000)
    expect(onIdle).not.toHaveBeenCalled()
    vi.advanceTimersByTime(60_000)
    expect(onIdle).toHaveBeenCalledTimes(1)
    stop()
  })

  it('never fires for 0, nor once stopped', () => {
    const target = new EventTarget()
    const onIdle = vi.fn()
    watchIdle(0, onIdle, target)
    const stop = watchIdle(1, onIdle, target)
    stop()
    vi.advanceTimersByTime(60 * 60_000)
    expect(onIdle).not.toHaveBeenCalled()
  })
})
