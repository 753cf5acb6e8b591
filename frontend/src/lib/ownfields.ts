// The person's own fields of a transaction (view.UserFields: category,
// note, tags, payee name, hidden, transfer link), as the detail panel
// edits them and the list shows them. The backend checks and stores them
// (store.SetUserFields); this module only shapes what is sent and shown.
import type { TxRow, UserFields } from './api'

// What of a row the person's fields are read from.
export type OwnSource = Pick<TxRow, 'category' | 'bankCategory' | 'note' | 'tags' | 'payee' | 'hidden' | 'transferWith' | 'transferWithAccountId'>

// ownCategory is the category the person chose for a row, "" when it
// shows the bank's.
export function ownCategory(r: Pick<TxRow, 'category' | 'bankCategory'>): string {
  return r.category && r.category !== r.bankCategory ? r.category : ''
}

// sameFields says two sets of fields store the same (tags in any order).
export function sameFields(a: UserFields, b: UserFields): boolean {
  const tags = (t: string[]) => [...t].map((s) => s.toLowerCase()).sort().join('\n')
  return (
    a.category.trim() === b.category.trim() &&
    a.note.trim() === b.note.trim() &&
    a.payee.trim() === b.payee.trim() &&
    a.hidden === b.hidden &&
    !!a.notTransfer === !!b.notTransfer &&
    tags(a.tags) === tags(b.tags) &&
    (a.transferWith?.id ?? '') === (b.transferWith?.id ?? '') &&
    (a.transferWith?.accountId ?? '') === (b.transferWith?.accountId ?? '')
  )
}

// addTags is tags with what was typed added: a comma separates tags (none
// is kept inside one), spaces around are dropped, and a tag already there
// in any case is not added twice.
export function addTags(tags: string[], typed: string): string[] {
  const out = [...tags]
  for (const t of typed.split(',').map((s) => s.trim())) {
    if (t && !out.some((have) => have.toLowerCase() === t.toLowerCase())) out.push(t)
  }
  return out
}

// categoryChoices are the categories offered for what was typed: those
// containing it (any case), the ones starting with it first; a name not
// among them is offered as a new category, first.
export function categoryChoices(all: string[], typed: string): { name: string; isNew: boolean }[] {
  const q = typed.trim().toLowerCase()
  const matching = all.filter((c) => c.toLowerCase().includes(q))
  matching.sort((a, b) => Number(!a.toLowerCase().startsWith(q)) - Number(!b.toLowerCase().startsWith(q)))
  const out = matching.map((name) => ({ name, isNew: false }))
  if (q && !all.some((c) => c.toLowerCase() === q)) out.unshift({ name: typed.trim(), isNew: true })
  return out
}

// The list's two lines for a row: the name the person gave the payee,
// else the merchant, else the bank's text; under it the bank's text when
// the first line is not it.
export function rowTitle(r: Pick<TxRow, 'payee' | 'merchant' | 'description'>): string {
  return r.payee || r.merchant || r.description
}

export function rowSubtitle(r: Pick<TxRow, 'payee' | 'merchant' | 'description'>): string {
  return rowTitle(r) === r.description ? '' : r.description
}

// hiddenWords is what the list says of the rows the person hid, beside
// its Show/Hide toggle: "" when none is hidden and none shown.
export function hiddenWords(hidden: number, showing: boolean): string {
  if (showing) return hidden > 0 ? `Showing ${hidden.toLocaleString('en-GB')} hidden` : ''
  return hidden > 0 ? `${hidden.toLocaleString('en-GB')} hidden` : ''
}

// onlyHiddenWords is what the empty list says when every row its filters
// match was hidden by the person (n of them), and its button.
export function onlyHiddenWords(n: number): { text: string; action: string } {
  if (n === 1) return { text: 'You hid the one that matches. It still counts in the totals.', action: 'Show it' }
  return { text: `You hid all ${n.toLocaleString('en-GB')} that match. They still count in the totals.`, action: 'Show them' }
}

// copyFields copies f so no two holders share its tags or link (a plain
// copy: f may be a Svelte state proxy, which structuredClone refuses).
function copyFields(f: UserFields): UserFields {
  return { ...f, tags: [...(f.tags ?? [])], transferWith: f.transferWith ? { ...f.transferWith } : undefined }
}

// Saved is a write's answer: the row as it now lists, and the person's
// fields as stored (trimmed, tags sorted).
export interface Saved {
  row: TxRow
  fields: UserFields
}

// Saver writes a transaction's fields one change at a time, in order (a
// blur and an Enter right after it never race), and keeps what they were
// before the last change so Undo can put them back through the same call.
// It starts from the person's fields as stored (App.UserFields), never
// from a row, whose category and payee may come from elsewhere.
export class Saver {
  private queue: Promise<unknown> = Promise.resolve()
  private stored: UserFields
  private before: UserFields | null = null

  constructor(
    start: UserFields,
    private readonly write: (f: UserFields) => Promise<Saved>,
  ) {
    this.stored = copyFields(start)
  }

  // canUndo says there is a saved change to take back.
  get canUndo(): boolean {
    return this.before !== null
  }

  // current is the fields as last stored.
  get current(): UserFields {
    return copyFields(this.stored)
  }

  // save writes next unless it stores what is there already; it resolves
  // with what was stored, or null when nothing needed writing.
  save(next: UserFields): Promise<Saved | null> {
    return this.enqueue(async () => {
      if (sameFields(next, this.stored)) return null
      const saved = await this.write(next)
      this.before = this.stored
      this.stored = copyFields(saved.fields)
      return saved
    })
  }

  // undo puts back the fields before the last saved change.
  undo(): Promise<Saved | null> {
    return this.enqueue(async () => {
      if (!this.before) return null
      const saved = await this.write(this.before)
      this.before = null
      this.stored = copyFields(saved.fields)
      return saved
    })
  }

  private enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn)
    this.queue = run.catch(() => {})
    return run
  }
}
