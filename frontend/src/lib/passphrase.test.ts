import { describe, expect, it } from 'vitest'
import { connectFailureText, passphraseProblem } from './passphrase'

describe('passphraseProblem', () => {
  it('asks for a passphrase when empty', () => {
    expect(passphraseProblem('', null)).toMatch(/Enter/)
  })
  it('only checks length and confirmation when creating the vault', () => {
    expect(passphraseProblem('short', null)).toBe('')
    expect(passphraseProblem('short', 'short')).toMatch(/at least 8/)
    expect(passphraseProblem('long enough', 'long enougH')).toMatch(/differ/)
    expect(passphraseProblem('long enough', 'long enough')).toBe('')
  })
})

describe('connectFailureText', () => {
  it('explains each failure kind in plain words', () => {
    expect(connectFailureText('cancelled', 'x')).toMatch(/cancelled/)
    expect(connectFailureText('code_expired', 'x')).toMatch(/expired/)
    expect(connectFailureText('unknown_state', 'x')).toMatch(/does not match/)
    expect(connectFailureText('bank', 'the bank said no')).toBe('the bank said no')
  })
})
