import type { Account, Connection } from './api'
import { formatDate } from './dates'

// How the screens name a connection. One bank connected twice (two logins,
// perhaps for two people) would show two cards called the same: those are
// told apart by the accounts each holds and the day its consent was given.
export interface ConnectionTitle {
  title: string // "Mock" or, with a twin, "Mock: Club Lloyds, Platinum Card"
  detail: string // "" or, with a twin, "consent given 1 Dec 2026"
}

export function connectionTitle(c: Connection, all: Connection[]): ConnectionTitle {
  const name = c.providerName || c.providerId
  const twins = all.filter((o) => o.id !== c.id && o.providerId === c.providerId)
  if (twins.length === 0) return { title: name, detail: '' }
  const names = c.accountNames ?? []
  const held = names.length === 0 ? 'no accounts' : names.length <= 2 ? names.join(', ') : `${names.slice(0, 2).join(', ')} and ${names.length - 2} more`
  return { title: `${name}: ${held}`, detail: c.consentCreatedAt ? `consent given ${formatDate(c.consentCreatedAt)}` : '' }
}

// keptAccounts are the accounts whose connection was removed with their
// data kept (the backend's Disconnected): read-only, their last balance.
export function keptAccounts(accounts: Account[]): Account[] {
  return accounts.filter((a) => a.disconnected)
}

// lastBalanceText says when a kept account's balance is from:
// "Disconnected: last balance on 1 Dec 2026".
export function lastBalanceText(a: Account): string {
  return a.balanceUpdatedAt ? `Disconnected: last balance on ${formatDate(a.balanceUpdatedAt)}` : 'Disconnected: no balance was saved'
}
