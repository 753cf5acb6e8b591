// What the figures on the Overview, Transactions and Spending say in words.
// The backend decides every figure (a card's balance is negative when owed,
// what is income, spending or a transfer, the period charted); this only
// puts them into words.
import type { Account, NetPosition, Spending, TxTotals } from './api'
import { formatMoney, formatSigned, isNegative, isPositive, tone } from './money'

// BalanceText is a balance as a tile shows it.
export interface BalanceText {
  amount: string // "−£1,247.25"
  note: string // "owed", "in credit", "overdrawn", or ""
  tone: 'pos' | 'neg' | ''
  label: string // the whole of it for a screen reader: "−£1,247.25 owed"
}

// balanceText says what an account's balance means: a card's negative
// balance is owed, a positive one is credit; an account below zero is
// overdrawn.
export function balanceText(a: Pick<Account, 'current' | 'currency' | 'owes'>): BalanceText {
  const amount = formatMoney(a.current, a.currency)
  let note = ''
  if (a.owes) note = isNegative(a.current) ? 'owed' : isPositive(a.current) ? 'in credit' : 'nothing owed'
  else if (isNegative(a.current)) note = 'overdrawn'
  return { amount, note, tone: isNegative(a.current) ? 'neg' : '', label: note ? `${amount} ${note}` : amount }
}

// availableText labels what can be spent: a card's is credit left, not money held.
export function availableText(a: Pick<Account, 'available' | 'currency' | 'owes'>): string {
  if (!a.available) return ''
  return `${a.owes ? 'available credit' : 'available'} ${formatMoney(a.available, a.currency)}`
}

// NetText is the Overview's headline for one currency.
export interface NetText {
  net: string
  tone: 'pos' | 'neg' | ''
  detail: string // "£14,028.47 held · £1,247.25 owed"
}

export function netText(n: NetPosition): NetText {
  const debts = n.debts.replace(/^-/, '')
  const detail = isNegative(n.debts) ? `${formatMoney(n.assets, n.currency)} held · ${formatMoney(debts, n.currency)} owed` : `${formatMoney(n.assets, n.currency)} held · nothing owed`
  return { net: formatMoney(n.net, n.currency), tone: isNegative(n.net) ? 'neg' : '', detail }
}

// TotalPart is one figure of the Transactions totals line.
export interface TotalPart {
  label: string
  value: string
  tone: 'pos' | 'neg' | ''
  title?: string
}

// totalsParts is the Transactions totals line of one currency: In, Out and
// Transfers apart, as on Spending; pending rows are not counted yet.
export function totalsParts(t: TxTotals): TotalPart[] {
  const parts: TotalPart[] = [
    { label: 'In', value: formatSigned(t.in, t.currency), tone: tone(t.in) },
    { label: 'Out', value: formatSigned(t.out, t.currency), tone: tone(t.out) },
    {
      label: 'Transfers',
      // Both ways at once (every account: each move leaves one and enters
      // another) shows both, not a net zero that hides what moved.
      value:
        isPositive(t.transfersIn) && isNegative(t.transfersOut)
          ? `${formatSigned(t.transfersIn, t.currency)} / ${formatSigned(t.transfersOut, t.currency)}`
          : formatSigned(t.transfers, t.currency),
      tone: '',
      title: `Between your own accounts, and card repayments: ${formatSigned(t.transfersIn, t.currency)} in, ${formatSigned(t.transfersOut, t.currency)} out. Neither income nor spending.`,
    },
  ]
  if (t.pendingCount > 0) {
    parts.push({
      label: `${t.pendingCount} pending`,
      value: formatSigned(t.pending, t.currency),
      tone: '',
      title: 'Pending transactions may still change; they count once the bank books them.',
    })
  }
  return parts
}

// transactionCount says how many rows: "1 transaction", "8,954 transactions".
export function transactionCount(n: number): string {
  return `${n.toLocaleString('en-GB')} transaction${n === 1 ? '' : 's'}`
}

const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

// longDay turns "2026-11-21" into "21 November 2026".
export function longDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number)
  return `${d} ${monthNames[(m ?? 1) - 1] ?? '?'} ${y}`
}

// monthName turns "2026-11" into "November".
export function monthName(ym: string): string {
  return monthNames[Number(ym.slice(5, 7)) - 1] ?? '?'
}

// periodText says which days a Spending answer covers and which months it
// has only part of: "1 December 2025 to 21 November 2026 (November so far)".
export function periodText(s: Pick<Spending, 'from' | 'to' | 'today' | 'months'>, currency: string): string {
  if (!s.from || !s.to) return 'No booked transactions in this period.'
  const notes = s.months
    .filter((m) => m.currency === currency && m.partial)
    .map((m) => (s.today.startsWith(m.month) ? `${monthName(m.month)} so far` : `part of ${monthName(m.month)}`))
  return `${longDay(s.from)} to ${longDay(s.to)}${notes.length ? ` (${notes.join('; ')})` : ''}`
}

// TxFocus is what a click on a Spending category opens Transactions on.
export interface TxFocus {
  accountId: string
  from: string
  to: string
  category: string
}
