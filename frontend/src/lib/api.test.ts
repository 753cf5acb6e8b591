import { afterEach, describe, expect, it, vi } from 'vitest'

const runtime = vi.hoisted(() => ({ ClipboardSetText: vi.fn(), EventsOn: vi.fn() }))
vi.mock('../../wailsjs/runtime/runtime', () => runtime)
vi.mock('../../wailsjs/go/app/App', () => ({}))

import { copyText } from './api'

const page = (writeText: (t: string) => Promise<void>) => vi.stubGlobal('navigator', { clipboard: { writeText } })

afterEach(() => {
  vi.unstubAllGlobals()
  vi.clearAllMocks()
})

describe('copyText', () => {
  it('uses the desktop clipboard in the window', async () => {
    runtime.ClipboardSetText.mockResolvedValue(true)
    const writeText = vi.fn()
    page(writeText)
    expect(await copyText('http://x/?state=s')).toBe(true)
    expect(runtime.ClipboardSetText).toHaveBeenCalledWith('http://x/?state=s')
    expect(writeText).not.toHaveBeenCalled()
  })
  it('falls back to the page’s clipboard where Wails refuses or is absent', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined)
    page(writeText)
    runtime.ClipboardSetText.mockResolvedValue(false)
    expect(await copyText('a')).toBe(true)
    runtime.ClipboardSetText.mockImplementation(() => {
      throw new TypeError('window.runtime is undefined')
    })
    expect(await copyText('b')).toBe(true)
    expect(writeText.mock.calls).toEqual([['a'], ['b']])
  })
  it('answers false when neither takes it', async () => {
    runtime.ClipboardSetText.mockRejectedValue(new Error('no'))
    page(() => Promise.reject(new Error('denied')))
    expect(await copyText('a')).toBe(false)
  })
})
