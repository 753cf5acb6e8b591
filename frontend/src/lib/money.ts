// Money arrives from Go as exact decimal strings ("-1234.5"). It is shown by
// string manipulation only: converting to a JS number would lose exactness
// for large values and invite float arithmetic.

const symbols: Record<string, string> = { GBP: '£', EUR: '€', USD: '$', AUD: 'A$' }

export interface DecimalParts {
  negative: boolean
  whole: string
  fraction: string
}

export function parseDecimal(s: string): DecimalParts {
  const m = /^([+-])?(\d*)(?:\.(\d*))?$/.exec(s.trim())
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new Error(`not a decimal: ${JSON.stringify(s)}`)
  const whole = (m[2] || '0').replace(/^0+(?=\d)/, '')
  const fraction = m[3] ?? ''
  const zero = /^0*$/.test(whole + fraction)
  return { negative: m[1] === '-' && !zero, whole, fraction }
}

// formatMoney renders "-1234.5" GBP as "−£1,234.50": grouping, at least two
// decimals (more when the bank sent more), a real minus sign.
export function formatMoney(amount: string | undefined | null, currency = ''): string {
  if (amount === undefined || amount === null || amount === '') return '—'
  const p = parseDecimal(amount)
  const whole = p.whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  const fraction = (p.fraction + '00').slice(0, Math.max(2, p.fraction.replace(/0+$/, '').length))
  const symbol = symbols[currency] ?? ''
  const body = `${symbol}${whole}.${fraction}${symbol || !currency ? '' : ' ' + currency}`
  return p.negative ? `−${body}` : body
}

export function isNegative(amount: string | undefined | null): boolean {
  return !!amount && parseDecimal(amount).negative
}

// isPositive is true for money in: above zero.
export function isPositive(amount: string | undefined | null): boolean {
  if (!amount) return false
  const p = parseDecimal(amount)
  return !p.negative && !/^0*$/.test(p.whole + p.fraction)
}

// formatSigned marks the direction of an amount: "+£37.74" for money in,
// "−£12.00" for money out, "£0.00" for neither.
export function formatSigned(amount: string | undefined | null, currency = ''): string {
  const s = formatMoney(amount, currency)
  return isPositive(amount) ? `+${s}` : s
}

// negate flips a decimal string's sign exactly: "12.50" → "-12.50".
export function negate(amount: string): string {
  const t = amount.trim()
  return t.startsWith('-') ? t.slice(1) : '-' + t.replace(/^\+/, '')
}

// tone is the colour class of an amount: income green, spending red.
export function tone(amount: string | undefined | null): 'pos' | 'neg' | '' {
  return isPositive(amount) ? 'pos' : isNegative(amount) ? 'neg' : ''
}

// compareDecimal orders two decimal strings exactly.
export function compareDecimal(a: string, b: string): number {
  const x = parseDecimal(a)
  const y = parseDecimal(b)
  if (x.negative !== y.negative) return x.negative ? -1 : 1
  const sign = x.negative ? -1 : 1
  const len = Math.max(x.fraction.length, y.fraction.length)
  const xs = x.whole.padStart(40, '0') + x.fraction.padEnd(len, '0')
  const ys = y.whole.padStart(40, '0') + y.fraction.padEnd(len, '0')
  return xs === ys ? 0 : xs < ys ? -sign : sign
}

// ratio gives a/b as a number for drawing only (bar lengths), never for money.
export function ratio(a: string, b: string): number {
  const bn = Number(b)
  return bn === 0 ? 0 : Math.abs(Number(a)) / Math.abs(bn)
}
