import { describe, expect, it } from 'vitest'
import { MonthLayout, dateRangeError, detailFields, detailText, moveIndex, type DetailSource } from './txlist'

// Three months: 3 rows, 1 row, 2 rows; rows 10 high, separators 4.
const layout = () =>
  new MonthLayout(
    [
      { month: '2026-12', count: 3 },
      { month: '2026-11', count: 1 },
      { month: '2026-10', count: 2 },
    ],
    10,
    4,
  )

describe('MonthLayout', () => {
  it('puts a separator above each month and the rows under it', () => {
    const l = layout()
    expect(l.total).toBe(6)
    expect(l.height).toBe(6 * 10 + 3 * 4)
    expect([0, 1, 2, 3, 4, 5].map((i) => l.monthOf(i))).toEqual([0, 0, 0, 1, 2, 2])
    expect([0, 1, 2, 3, 4, 5].map((i) => l.rowTop(i))).toEqual([4, 14, 24, 38, 52, 62])
    expect([0, 1, 2].map((m) => l.separatorTop(m))).toEqual([0, 34, 48])
  })

  it('finds the row at a height, a separator counting as the row below it', () => {
    const l = layout()
    expect(l.rowAt(0)).toBe(0)
    expect(l.rowAt(13)).toBe(0)
    expect(l.rowAt(14)).toBe(1)
    expect(l.rowAt(34)).toBe(3) // November's separator
    expect(l.rowAt(47)).toBe(3)
    expect(l.rowAt(48)).toBe(4)
    expect(l.rowAt(1000)).toBe(5)
  })

  it('lists the rows in view and the separators of their months', () => {
    const l = layout()
    expect(l.visible(14, 25, 0)).toEqual({ start: 1, end: 4 })
    expect(l.visible(0, 1000, 2)).toEqual({ start: 0, end: 6 })
    expect(l.separators({ start: 2, end: 5 }).map((s) => [s.month, s.top])).toEqual([
      ['2026-12', 0],
      ['2026-11', 34],
      ['2026-10', 48],
    ])
    expect(l.separators({ start: 0, end: 0 })).toEqual([])
    const empty = new MonthLayout([], 10, 4)
    expect(empty.visible(0, 100)).toEqual({ start: 0, end: 0 })
    expect(empty.height).toBe(0)
  })
})

describe('dateRangeError', () => {
  it('refuses an end before the start, and nothing else', () => {
    expect(dateRangeError('2026-11-02', '2026-11-01')).toMatch(/before the start/)
    expect(dateRangeError('2026-11-01', '2026-11-01')).toBe('')
    expect(dateRangeError('2026-11-01', '')).toBe('')
    expect(dateRangeError('', '2026-11-01')).toBe('')
    expect(dateRangeError('2025-12-31', '2026-01-01')).toBe('')
  })
})

describe('moveIndex', () => {
  it('moves by one, a page, or to an end, within the list', () => {
    expect(moveIndex('ArrowDown', -1, 5, 3)).toBe(0)
    expect(moveIndex('ArrowUp', -1, 5, 3)).toBe(0)
    expect(moveIndex('ArrowDown', 4, 5, 3)).toBe(4)
    expect(moveIndex('ArrowUp', 0, 5, 3)).toBe(0)
    expect(moveIndex('ArrowUp', 3, 5, 3)).toBe(2)
    expect(moveIndex('PageDown', 1, 5, 3)).toBe(4)
    expect(moveIndex('PageUp', 4, 5, 3)).toBe(1)
    expect(moveIndex('PageUp', 1, 5, 3)).toBe(0)
    expect(moveIndex('Home', 3, 5, 3)).toBe(0)
    expect(moveIndex('End', 0, 5, 3)).toBe(4)
    expect(moveIndex('Enter', 0, 5, 3)).toBeNull()
    expect(moveIndex('ArrowDown', -1, 0, 3)).toBeNull()
  })
})

describe('detailFields', () => {
  const d: DetailSource = {
    description: 'TESCO STORES 2931',
    merchant: 'Tesco',
    accountId: 'cur',
    accountName: 'Current',
    providerId: 'mock',
    amount: '−£12.30',
    runningBalance: '',
    type: 'DEBIT',
    category: 'Groceries',
    bankCategory: 'Shopping',
    transactionCategory: 'PURCHASE',
    classification: ['Shopping', 'Groceries'],
    bookingDate: '01 Dec 2026',
    bookedAt: '2026-12-01T00:00:00Z',
    status: 'pending',
    providerTransactionId: 'prov-1',
    id: 'p:prov-1',
    meta: { provider_transaction_category: 'DEB' },
    note: '',
    tags: [],
    payee: '',
    hidden: false,
    transferWith: undefined,
  }
  it('lists what the bank sent, leaves empty fields out, and copies the same', () => {
    const f = detailFields(d)
    expect(f).toContainEqual(['Provider transaction id', 'prov-1'])
    expect(f).toContainEqual(['Classification', 'Shopping › Groceries'])
    expect(f).toContainEqual(['Category', 'Shopping'])
    expect(f).toContainEqual(['Bank category', 'PURCHASE'])
    expect(f).toContainEqual(['Status', 'Pending (may still change)'])
    expect(f).toContainEqual(['Meta: provider_transaction_category', 'DEB'])
    expect(f.map(([k]) => k)).not.toContain('Balance after')
    expect(f.map(([k]) => k)).not.toContain('Normalised provider transaction id')
    const text = detailText(d)
    expect(text.split('\n')).toHaveLength(f.length + 1) // and 'Your category'
    expect(text).toContain('Amount: −£12.30\n')
  })
  it('keeps the bank’s category apart from the person’s, and copies what they added after the bank’s', () => {
    const mine = { ...d, note: 'for the party\nand more', tags: ['party', 'home'], payee: 'Tesco Express', hidden: true }
    expect(detailFields(mine)).toContainEqual(['Category', 'Shopping'])
    expect(detailFields(mine).map(([, v]) => v)).not.toContain('Groceries')
    const lines = detailText(mine).split('\n')
    expect(lines.slice(-6)).toEqual(['Your category: Groceries', 'Payee name: Tesco Express', 'Tags: party, home', 'Note: for the party', 'and more', 'Hidden from the list: Yes'])
    expect(detailText({ ...d, category: 'Shopping' })).not.toMatch(/Your category|Payee name|Tags|Note|Hidden/)
  })
})
