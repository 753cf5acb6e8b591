// What the window says about connecting a bank.
import type { Bank, Connected, Connection } from './api'

// fetchingHistory ends the notice a new connection shows until its first sync is done.
export const fetchingHistory = 'Fetching history…'

// connectedNotice is the notice after a connect:done event; the backend
// words what else happened (renewed, new, missing accounts).
export function connectedNotice(c: Connected): string {
  let notice = c.unfinished
    ? `Connected. ${fetchingHistory}`
    : `Connected: ${c.accounts} account${c.accounts === 1 ? '' : 's'} and ${c.cards} card${c.cards === 1 ? '' : 's'}. ${fetchingHistory}`
  const more = afterFetch(c)
  return more ? `${notice} ${more}` : notice
}

// afterFetch is what the notice still says once the first sync is done:
// what the backend noted, or nothing (the notice goes).
export function afterFetch(c: Connected): string {
  return [...(c.notes ?? []), ...(c.warnings ?? [])].join(' ')
}

// bankOf is the bank the waiting card names while an existing connection
// logs in again (reconnect, or a renewal at the bank).
export function bankOf(c: Connection | null | undefined): Bank {
  return { id: c?.providerId ?? '', name: c?.providerName ?? 'your bank', logoUrl: '', country: '', scopes: [] }
}
