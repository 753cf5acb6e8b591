// What the window says about connecting a bank.
import type { Bank, Connected, Connection } from './api'

// connectFailureText turns a connect:error event into what the user should do.
export function connectFailureText(kind: string, message: string): string {
  switch (kind) {
    case 'cancelled':
      return 'You cancelled at the bank. Nothing was connected.'
    case 'expired':
    case 'code_expired':
      return 'The bank login took too long and expired. Please connect again.'
    case 'unknown_state':
      return 'That bank response does not match a connection started here (or was already used). Please connect again.'
    case 'malformed':
      return 'Bankdesk received a link it does not understand. Please connect again.'
    default:
      return message || 'The connection failed. Please try again.'
  }
}

// fetchingHistory ends the notice a new connection shows until its first sync is done.
export const fetchingHistory = 'Fetching history…'

// connectedNotice is the notice after a connect:done event; the backend
// words what else happened (renewed, new, missing accounts).
export function connectedNotice(c: Connected): string {
  let notice = c.unfinished
    ? `Connected. ${fetchingHistory}`
    : `Connected: ${c.accounts} account${c.accounts === 1 ? '' : 's'} and ${c.cards} card${c.cards === 1 ? '' : 's'}. ${fetchingHistory}`
  if (c.notes?.length) notice += ' ' + c.notes.join(' ')
  if (c.warnings?.length) notice += ' ' + c.warnings.join(' ')
  return notice
}

// bankOf is the bank the waiting card names while an existing connection
// logs in again (reconnect, or a renewal at the bank).
export function bankOf(c: Connection | null | undefined): Bank {
  return { id: c?.providerId ?? '', name: c?.providerName ?? 'your bank', logoUrl: '', country: '', scopes: [] }
}
