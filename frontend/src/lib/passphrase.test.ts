import { describe, expect, it } from 'vitest'
import { connectFailureText, passphraseProblem, passphraseStrength, strengthHint } from './passphrase'
import shared from './passphrase-cases.json'

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
  it('refuses a passphrase of only spaces', () => {
    expect(passphraseProblem('        ', '        ')).toMatch(/only spaces/)
  })
  it('counts characters, not UTF-16 units', () => {
    expect(passphraseProblem('🔑🔑🔑🔑🔑🔑🔑', '🔑🔑🔑🔑🔑🔑🔑')).toMatch(/at least 8/)
  })
})

// The same cases backend/vault's TestPassphraseCasesSharedWithTheFrontend
// reads: the form and the vault agree on every one.
describe('shared passphrase cases', () => {
  for (const c of shared.cases) {
    it(JSON.stringify(c.passphrase), () => {
      expect(passphraseProblem(c.passphrase, c.passphrase) === '').toBe(c.accepted)
      expect(passphraseStrength(c.passphrase)).toBe(c.strength)
    })
  }
  it('has a hint for each strength', () => {
    expect(strengthHint.weak).toMatch(/^Weak/)
    expect(strengthHint.strong).toBe('Strong.')
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
