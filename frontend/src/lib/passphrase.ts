// Checks and a strength hint for the vault passphrase form. The rule is the
// vault's (backend/vault/passphrase.go: CheckNewPassphrase), the estimate
// its PassphraseStrength (backend/vault/strength.go); there is no binding
// that asks the backend, so both are mirrored here and kept equal by the
// cases both test suites read (passphrase-cases.json). The minimum length
// is a value the caller passes (Rules.minPassphraseLength, lib/rules.ts).

// Go's unicode.IsSpace, which is not JavaScript's \s (that one takes U+FEFF
// and not U+0085).
const onlySpaces = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/u

// characters counts code points, as Go counts runes (an emoji is one).
const characters = (s: string): number => Array.from(s).length

// passphraseProblem checks the form: any passphrase to unlock (confirm is
// null), the vault's rule for a new one.
export function passphraseProblem(passphrase: string, confirm: string | null, minLength: number): string {
  if (passphrase.length === 0) return 'Enter a passphrase.'
  if (confirm !== null) {
    if (onlySpaces.test(passphrase)) return 'A passphrase of only spaces is not allowed.'
    if (characters(passphrase) < minLength) return `Use at least ${minLength} characters.`
    if (passphrase !== confirm) return 'The two passphrases differ.'
  }
  return ''
}

export type Strength = 'weak' | 'fair' | 'strong'

export const strengthHint: Record<Strength, string> = {
  weak: 'Weak: this would be quick to guess. Use four or more unrelated words, or make it longer.',
  fair: 'Fair: a couple more words would make it much harder to guess.',
  strong: 'Strong.',
}

// passphraseHint is the line under a new passphrase: the rule until the
// user types, then how strong it is.
export function passphraseHint(passphrase: string, minLength: number): string {
  if (!passphrase) return `At least ${minLength} characters; a few unrelated words are easy to remember and hard to guess.`
  return strengthHint[passphraseStrength(passphrase)]
}

// passphraseStrength is below 40 bits weak, below 60 fair (see bits).
export function passphraseStrength(passphrase: string): Strength {
  const b = bits(Array.from(passphrase, (c) => c.codePointAt(0) as number))
  return b < 40 ? 'weak' : b < 60 ? 'fair' : 'strong'
}

const commonPasswords = new Set([
  'abc', 'admin', 'asdfghjkl', 'azerty', 'bankdesk', 'baseball', 'batman',
  'changeme', 'dragon', 'football', 'iloveyou', 'letmein', 'master', 'monkey',
  'passphrase', 'password', 'passwort', 'princess', 'qwerty', 'qwertyuiop',
  'qwertz', 'qwertzuiop', 'secret', 'shadow', 'sunshine', 'superman',
  'trustno', 'welcome',
])

// bits is strength.go's passphraseBits, on code points: log2 of the pool
// per character, a quarter for a repeat or a neighbour in code order, a
// repeated piece counted once, and a common password at most 20.
function bits(p: number[]): number {
  const unit = period(p)
  if (unit < p.length) return bits(p.slice(0, unit)) + (p.length / unit - 1)
  let lower = false, upper = false, digit = false, symbol = false, other = false
  let chars = 0
  let prev = -2
  for (const r of p) {
    if (r >= 0x61 && r <= 0x7a) lower = true
    else if (r >= 0x41 && r <= 0x5a) upper = true
    else if (r >= 0x30 && r <= 0x39) digit = true
    else if (r < 128) symbol = true
    else other = true
    const d = r - prev
    chars += d >= -1 && d <= 1 ? 0.25 : 1
    prev = r
  }
  const pool = (lower ? 26 : 0) + (upper ? 26 : 0) + (digit ? 10 : 0) + (symbol ? 33 : 0) + (other ? 100 : 0)
  if (pool === 0) return 0
  let b = chars * Math.log2(pool)
  if (isCommon(p)) b = Math.min(b, 20)
  return b
}

function period(p: number[]): number {
  for (let n = 1; n <= p.length / 2; n++) {
    if (p.length % n !== 0) continue
    let repeats = true
    for (let i = n; i < p.length && repeats; i++) repeats = p[i] === p[i - n]
    if (repeats) return n
  }
  return p.length
}

function isCommon(p: number[]): boolean {
  // Go lower-cases rune by rune; for the letters that matter here (a-z
  // after trimming) String.toLowerCase agrees.
  const lower = String.fromCodePoint(...p).toLowerCase()
  return commonPasswords.has(lower.replace(/^[^a-z]+|[^a-z]+$/g, ''))
}
