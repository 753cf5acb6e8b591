import { describe, expect, it } from 'vitest'
import { passphraseHint, passphraseProblem, passphraseStrength, strengthHint } from './passphrase'
import { FALLBACK_RULES } from './rules'
import shared from './passphrase-cases.json'

const min = FALLBACK_RULES.minPassphraseLength

describe('passphraseProblem', () => {
  it('asks for a passphrase when empty', () => {
    expect(passphraseProblem('', null, min)).toMatch(/Enter/)
  })
  it('only checks length and confirmation when creating the vault', () => {
    expect(passphraseProblem('short', null, min)).toBe('')
    expect(passphraseProblem('short', 'short', min)).toMatch(/at least 8/)
    expect(passphraseProblem('long enough', 'long enougH', min)).toMatch(/differ/)
    expect(passphraseProblem('long enough', 'long enough', min)).toBe('')
  })
  it('refuses a passphrase of only spaces', () => {
    expect(passphraseProblem('        ', '        ', min)).toMatch(/only spaces/)
  })
  it('takes the minimum it is given', () => {
    expect(passphraseProblem('twelve chars', 'twelve chars', 13)).toMatch(/at least 13/)
    expect(passphraseProblem('twelve chars', 'twelve chars', 12)).toBe('')
  })
  it('counts characters, not UTF-16 units', () => {
    expect(passphraseProblem('🔑🔑🔑🔑🔑🔑🔑', '🔑🔑🔑🔑🔑🔑🔑', min)).toMatch(/at least 8/)
  })
})

// The same cases backend/vault's TestPassphraseCasesSharedWithTheFrontend
// reads: the form and the vault agree on every one.
describe('shared passphrase cases', () => {
  for (const c of shared.cases) {
    it(JSON.stringify(c.passphrase), () => {
      expect(passphraseProblem(c.passphrase, c.passphrase, min) === '').toBe(c.accepted)
      expect(passphraseStrength(c.passphrase)).toBe(c.strength)
    })
  }
  it('has a hint for each strength', () => {
    expect(strengthHint.weak).toMatch(/^Weak/)
    expect(strengthHint.strong).toBe('Strong.')
  })
})

describe('passphraseHint', () => {
  it('states the minimum until something is typed, then the strength', () => {
    expect(passphraseHint('', 10)).toMatch(/^At least 10 characters;/)
    expect(passphraseHint('abc', 10)).toBe(strengthHint.weak)
  })
})
