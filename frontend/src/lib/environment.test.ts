import { describe, expect, it } from 'vitest'
import { describeEnvironment, describeScope, errorMessage, everyLabel, hostOf, type Status } from './environment'

const base: Status = {
  environment: 'builtin',
  builtin: true,
  authUrl: 'http://127.0.0.1:41234',
  apiUrl: 'http://127.0.0.1:41235',
  clientId: 'sandbox-bankdesk',
  redirectUri: 'bankdesk://callback',
  keyring: 'file',
  dataDir: '/tmp/bankdesk',
  syncIntervalMinutes: 360,
  damaged: 0,
  damagedFile: false,
}

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

  it('describes known scopes in plain words and passes unknown ones through', () => {
    expect(describeScope('offline_access')).toContain('90 days')
    expect(describeScope('signupplus')).toBe('signupplus')
  })

  it('turns rejections into readable messages', () => {
    expect(errorMessage(new Error('list banks: boom'))).toBe('list banks: boom')
    expect(errorMessage('plain')).toBe('plain')
    expect(errorMessage(undefined)).toMatch(/went wrong/)
  })
})

describe('everyLabel', () => {
  it('names the background sync period', () => {
    expect(everyLabel(360)).toBe('every 6 hours')
    expect(everyLabel(60)).toBe('every hour')
    expect(everyLabel(90)).toBe('every 90 minutes')
  })
})
