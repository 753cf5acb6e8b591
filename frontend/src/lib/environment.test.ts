import { describe, expect, it } from 'vitest'
import { describeEnvironment, errorMessage, everyLabel, hostOf } from './environment'
import { status } from './fixtures.test-util'

const base = status()

describe('describeEnvironment', () => {
  it('says the built-in sandbox needs no credentials and names the mock user', () => {
    const info = describeEnvironment(base)
    expect(info.label).toBe('Built-in sandbox')
    expect(info.headline).toContain('built-in TrueLayer sandbox')
    expect(info.detail).toContain('john / doe')
    expect(info.tone).toBe('sandbox')
  })

  it('distinguishes TrueLayer sandbox and live', () => {
    expect(describeEnvironment({ ...base, builtin: false, environment: 'sandbox' }).tone).toBe('test')
    const live = describeEnvironment({ ...base, builtin: false, environment: 'live' })
    expect(live.tone).toBe('live')
    expect(live.label).toBe('TrueLayer live')
  })

  it('names the host of a standalone sandbox', () => {
    const info = describeEnvironment({ ...base, builtin: false, authUrl: 'http://127.0.0.1:9999' })
    expect(info.detail).toContain('127.0.0.1:9999')
  })
})

describe('helpers', () => {
  it('hostOf falls back to the input for non-URLs', () => {
    expect(hostOf('http://localhost:1/x')).toBe('localhost:1')
    expect(hostOf('not a url')).toBe('not a url')
  })

  it('turns rejections into readable messages', () => {
    expect(errorMessage(new Error('list banks: boom'))).toBe('list banks: boom')
    expect(errorMessage('plain')).toBe('plain')
    expect(errorMessage(undefined)).toMatch(/went wrong/)
  })
})

describe('everyLabel', () => {
  it('names the background sync period', () => {
    expect(everyLabel(360, 360)).toBe('every 6 hours')
    expect(everyLabel(60, 360)).toBe('every hour')
    expect(everyLabel(90, 360)).toBe('every 90 minutes')
  })
  it('words the default it is given when no period is set', () => {
    expect(everyLabel(0, 360)).toBe('every 6 hours')
    expect(everyLabel(0, 120)).toBe('every 2 hours')
  })
})
