// The Transactions list's layout and keys: month separators between the
// rows (laid out from the backend's per-month counts, so rows not fetched
// yet have their place), the date range check, the keyboard's moves, and a
// transaction's details as the panel and "Copy" give them.
import { ownCategory, type OwnSource } from './ownfields'
import type { Range } from './virtual'

export interface MonthCount {
  month: string // YYYY-MM
  count: number
}

// A month separator as the list places it.
export interface Separator {
  month: string
  count: number
  top: number
}

// MonthLayout places rows (rowHeight each) under a separator
// (headerHeight) at the start of each month, in the list's order.
export class MonthLayout {
  private starts: number[] = [] // the first row index of each month
  readonly total: number
  constructor(
    readonly months: MonthCount[],
    readonly rowHeight: number,
    readonly headerHeight: number,
  ) {
    let n = 0
    for (const m of months) {
      this.starts.push(n)
      n += m.count
    }
    this.total = n
  }

  get height(): number {
    return this.total * this.rowHeight + this.months.length * this.headerHeight
  }

  // monthOf is the index of the month row i is in.
  monthOf(i: number): number {
    let lo = 0
    let hi = this.starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (this.starts[mid] <= i) lo = mid
      else hi = mid - 1
    }
    return lo
  }

  rowTop(i: number): number {
    return i * this.rowHeight + (this.monthOf(i) + 1) * this.headerHeight
  }

  separatorTop(m: number): number {
    return this.starts[m] * this.rowHeight + m * this.headerHeight
  }

  // rowAt is the row at height y (the one below a separator there).
  rowAt(y: number): number {
    if (this.total === 0) return 0
    let lo = 0
    let hi = this.months.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (this.separatorTop(mid) <= y) lo = mid
      else hi = mid - 1
    }
    const within = Math.max(0, Math.floor((y - this.separatorTop(lo) - this.headerHeight) / this.rowHeight))
    return Math.min(this.starts[lo] + Math.min(within, this.months[lo].count - 1), this.total - 1)
  }

  // visible is the rows in view of a viewport scrolled to scrollTop, with
  // overscan rows either side.
  visible(scrollTop: number, viewport: number, overscan = 10): Range {
    if (this.total === 0) return { start: 0, end: 0 }
    const first = this.rowAt(Math.max(0, scrollTop))
    const last = this.rowAt(Math.max(0, scrollTop) + Math.max(0, viewport))
    return { start: Math.max(0, first - overscan), end: Math.min(this.total, last + 1 + overscan) }
  }

  // separators are the month separators of the months r touches.
  separators(r: Range): Separator[] {
    if (r.end <= r.start) return []
    const out: Separator[] = []
    for (let m = this.monthOf(r.start); m <= this.monthOf(r.end - 1); m++) {
      out.push({ month: this.months[m].month, count: this.months[m].count, top: this.separatorTop(m) })
    }
    return out
  }
}

// dateRangeError is what is wrong with a From–To range of YYYY-MM-DD days
// ("" open), or "" when nothing is.
export function dateRangeError(from: string, to: string): string {
  if (from && to && to < from) return 'The end date is before the start date.'
  return ''
}

// moveIndex is where a key moves the active row of a list of total rows,
// page rows to a screenful; null for a key that does not move it.
export function moveIndex(key: string, index: number, total: number, page: number): number | null {
  if (total <= 0) return null
  const clamp = (i: number) => Math.min(total - 1, Math.max(0, i))
  const from = index < 0 ? -1 : index
  switch (key) {
    case 'ArrowDown':
      return clamp(from + 1)
    case 'ArrowUp':
      return clamp(from < 0 ? 0 : from - 1)
    case 'PageDown':
      return clamp(from + Math.max(1, page))
    case 'PageUp':
      return clamp(from - Math.max(1, page))
    case 'Home':
      return 0
    case 'End':
      return total - 1
  }
  return null
}

// The detail panel's view of a transaction (view.TxDetail, with the money
// already formatted by the caller): the bank's fields, and the person's
// (OwnSource) that the panel edits.
export interface DetailSource extends OwnSource {
  description: string
  merchant: string
  accountId: string
  accountName: string
  providerId: string
  amount: string // formatted
  runningBalance: string // formatted, or ""
  type: string
  category: string // the one shown: the person's own, else the bank's in words
  bankCategory: string // the bank's in words (TrueLayer's classification, else its transaction_category)
  transactionCategory: string // TrueLayer's transaction_category
  classification: string[]
  bookingDate: string // formatted
  bookedAt: string // the bank's timestamp
  status: string
  normalisedProviderTransactionId?: string
  providerTransactionId?: string
  transactionId?: string
  id: string
  meta: Record<string, string>
}

const statusWords: Record<string, string> = {
  booked: 'Booked',
  pending: 'Pending (may still change)',
  removed: 'Removed by the bank (not counted)',
}

// detailFields lists the bank's fields of a transaction as label and
// value ("From your bank"), the panel's rows and the copied text alike;
// empty fields are left out.
export function detailFields(d: DetailSource): [string, string][] {
  const rows: [string, string | undefined][] = [
    ['Description', d.description],
    ['Merchant', d.merchant],
    ['Amount', d.amount],
    ['Balance after', d.runningBalance],
    ['Account', d.accountName],
    ['Bank', d.providerId],
    ['Day', d.bookingDate],
    ['Bank timestamp', d.bookedAt],
    ['Status', statusWords[d.status] ?? d.status],
    ['Direction', d.type === 'CREDIT' ? 'Money in (CREDIT)' : d.type === 'DEBIT' ? 'Money out (DEBIT)' : d.type],
    ['Category', d.bankCategory],
    ['Classification', d.classification.filter(Boolean).join(' › ')],
    ['Bank category', d.transactionCategory],
    ['Normalised provider transaction id', d.normalisedProviderTransactionId],
    ['Provider transaction id', d.providerTransactionId],
    ['Transaction id', d.transactionId],
    ['Bankdesk key', d.id],
  ]
  for (const k of Object.keys(d.meta ?? {}).sort()) rows.push([`Meta: ${k}`, d.meta[k]])
  return rows.filter((r): r is [string, string] => !!r[1])
}

// ownFields lists what the person added, as label and value, for the
// copied text; empty ones are left out.
export function ownFields(d: DetailSource): [string, string][] {
  const rows: [string, string][] = [
    ['Your category', ownCategory(d)],
    ['Payee name', d.payee ?? ''],
    ['Tags', (d.tags ?? []).join(', ')],
    ['Note', d.note ?? ''],
    ['Hidden from the list', d.hidden ? 'Yes' : ''],
  ]
  return rows.filter((r) => !!r[1])
}

// detailText is the details as plain text, one "label: value" a line: the
// bank's, then the person's.
export function detailText(d: DetailSource): string {
  return [...detailFields(d), ...ownFields(d)]
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n')
}
