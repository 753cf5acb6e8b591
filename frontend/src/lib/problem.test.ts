import { describe, expect, it } from 'vitest'
import { problemOf, said } from './problem'

describe('problemOf', () => {
  it('keeps the backend’s sentence and details as they came', () => {
    const p = problemOf({ message: 'Northbank is not answering right now.', details: 'GET /data/v1/me: 503 (correlation id x)', retry: true })
    expect(p).toEqual({ message: 'Northbank is not answering right now.', details: 'GET /data/v1/me: 503 (correlation id x)', retry: true, retryAt: '' })
  })
  it('reads the Problem a binding rejected with, as Wails’ runtime wraps it', () => {
    const sent = { message: 'That passphrase is not right.', details: 'open vault: vault: wrong passphrase', retry: false }
    expect(problemOf(new Error(JSON.stringify(sent)))).toEqual({ ...sent, retryAt: '' })
    expect(problemOf(new Error('{not json'))).toEqual({ message: '{not json', details: '', retry: false })
  })
  it('reads errors and strings from elsewhere as a sentence without details', () => {
    expect(problemOf(new Error('boom'))).toEqual({ message: 'boom', details: '', retry: false })
    expect(problemOf('Enter your full name.')).toEqual(said('Enter your full name.'))
  })
  it('never shows an empty message', () => {
    expect(problemOf(undefined).message).toMatch(/went wrong/)
    expect(problemOf({ message: '' }).message).toMatch(/went wrong/)
  })
})
