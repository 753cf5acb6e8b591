import { describe, expect, it } from 'vitest'
import type { TxRow, UserFields } from './api'
import { Saver, addTags, categoryChoices, hiddenWords, onlyHiddenWords, ownCategory, rowSubtitle, rowTitle, sameFields } from './ownfields'

const row = (over: Partial<TxRow> = {}): TxRow => ({
  id: 'n:1',
  accountId: 'cur',
  accountName: 'Current',
  bookingDate: '2026-06-03',
  bookedAt: '2026-06-03T00:00:00+01:00',
  description: 'PRET A MANGER 123',
  merchant: 'Pret',
  category: 'Eating out',
  bankCategory: 'Eating out',
  transactionCategory: 'PURCHASE',
  classification: [],
  amount: '-4.50',
  currency: 'GBP',
  type: 'DEBIT',
  status: 'booked',
  note: '',
  tags: [],
  payee: '',
  hidden: false,
  transferWith: undefined,
  ...over,
})

const none: UserFields = { category: '', note: '', tags: [], payee: '', hidden: false, transferWith: undefined, notTransfer: false }

describe('ownCategory', () => {
  it('is the row’s category when it is not the bank’s', () => {
    expect(ownCategory(row({ category: 'Work lunch' }))).toBe('Work lunch')
    expect(ownCategory(row({ category: 'Shopping', bankCategory: 'Shopping' }))).toBe('')
  })
})

describe('sameFields', () => {
  it('compares what is stored: trimmed, tags in any order and case', () => {
    expect(sameFields({ ...none, tags: ['b', 'A'] }, { ...none, tags: ['a', 'B'], note: ' ' })).toBe(true)
    expect(sameFields(none, { ...none, hidden: true })).toBe(false)
    expect(sameFields(none, { ...none, notTransfer: true })).toBe(false)
    expect(sameFields(none, { ...none, transferWith: { accountId: 'sav', id: 'n:2' } })).toBe(false)
  })
})

describe('addTags', () => {
  it('splits on commas, trims, and adds a tag once in any case', () => {
    expect(addTags(['work'], ' holiday , Work,, lunch ')).toEqual(['work', 'holiday', 'lunch'])
    expect(addTags([], '  ')).toEqual([])
  })
})

describe('categoryChoices', () => {
  const all = ['Bills', 'Eating out', 'Groceries', 'Shopping']
  it('offers the categories containing what was typed, those starting with it first, and a new one', () => {
    expect(categoryChoices(all, '')).toEqual(all.map((name) => ({ name, isNew: false })))
    expect(categoryChoices(all, 'ing').map((c) => c.name)).toEqual(['ing', 'Eating out', 'Shopping'])
    expect(categoryChoices(all, 'sh')).toEqual([
      { name: 'sh', isNew: true },
      { name: 'Shopping', isNew: false },
    ])
    expect(categoryChoices(all, 'bills ')).toEqual([{ name: 'Bills', isNew: false }])
  })
})

describe('rowTitle', () => {
  it('shows the payee name first, the bank’s text under it', () => {
    expect(rowTitle(row({ payee: 'Lunch place' }))).toBe('Lunch place')
    expect(rowSubtitle(row({ payee: 'Lunch place' }))).toBe('PRET A MANGER 123')
    expect(rowTitle(row())).toBe('Pret')
    expect(rowTitle(row({ merchant: '' }))).toBe('PRET A MANGER 123')
    expect(rowSubtitle(row({ merchant: '' }))).toBe('')
  })
})

describe('hiddenWords', () => {
  it('counts the hidden rows, shown or not', () => {
    expect(hiddenWords(0, false)).toBe('')
    expect(hiddenWords(1, false)).toBe('1 hidden')
    expect(hiddenWords(1200, true)).toBe('Showing 1,200 hidden')
    expect(onlyHiddenWords(1)).toEqual({ text: 'You hid the one that matches. It still counts in the totals.', action: 'Show it' })
    expect(onlyHiddenWords(2000).text).toBe('You hid all 2,000 that match. They still count in the totals.')
  })
})

describe('Saver', () => {
  // A backend that stores what it is sent, tags sorted, as the store does.
  function backend() {
    const sent: UserFields[] = []
    let fail = false
    const write = async (f: UserFields) => {
      await new Promise((r) => setTimeout(r, Math.random() * 5))
      if (fail) throw new Error('The note is 2001 characters long; at most 2000 fit.')
      sent.push(f)
      const fields = { ...f, note: f.note.trim(), tags: [...f.tags].sort() }
      return { row: row({ category: f.category || 'Eating out', note: fields.note, tags: fields.tags, payee: f.payee, hidden: f.hidden }), fields }
    }
    return { sent, write, failNext: () => (fail = true) }
  }

  it('writes changes in order, skips what is stored already, and undoes the last', async () => {
    const b = backend()
    const s = new Saver(none, b.write)
    expect(s.canUndo).toBe(false)
    expect(await s.save(none)).toBeNull()
    const [a, c] = await Promise.all([s.save({ ...none, note: 'one' }), s.save({ ...none, note: 'one', tags: ['z', 'a'] })])
    expect(a?.row.note).toBe('one')
    expect(c?.fields.tags).toEqual(['a', 'z'])
    expect(b.sent.map((f) => f.tags.length)).toEqual([0, 2])
    expect(s.canUndo).toBe(true)
    const back = await s.undo()
    expect(back?.fields.tags).toEqual([])
    expect(back?.row.note).toBe('one')
    expect(s.current).toEqual({ ...none, note: 'one' })
    expect(s.canUndo).toBe(false)
    expect(await s.undo()).toBeNull()
  })

  it('keeps fields the panel does not edit (a transfer link, no transfer) as they were stored', async () => {
    const b = backend()
    const linked = { ...none, transferWith: { accountId: 'sav', id: 'n:2' }, notTransfer: true }
    const s = new Saver(linked, b.write)
    await s.save({ ...s.current, note: 'rent' })
    expect(b.sent[0].transferWith).toEqual({ accountId: 'sav', id: 'n:2' })
    expect(b.sent[0].notTransfer).toBe(true)
    await s.undo()
    expect(b.sent[1]).toEqual(linked)
  })

  it('starts from fields held in a proxy (a Svelte state), as the panel gives them', async () => {
    const b = backend()
    const s = new Saver(new Proxy({ ...none, tags: new Proxy(['a'], {}) }, {}), b.write)
    expect(s.current.tags).toEqual(['a'])
    expect((await s.save({ ...s.current, note: 'x' }))?.fields.note).toBe('x')
  })

  it('keeps what was stored when a write is refused', async () => {
    const b = backend()
    const s = new Saver(none, b.write)
    await s.save({ ...none, payee: 'Pret' })
    b.failNext()
    await expect(s.save({ ...none, payee: 'Pret', note: 'x'.repeat(2001) })).rejects.toThrow(/at most 2000/)
    expect(s.current.payee).toBe('Pret')
    expect(s.current.note).toBe('')
    expect(s.canUndo).toBe(true)
  })
})
