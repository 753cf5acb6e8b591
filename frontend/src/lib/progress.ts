import type { SyncDone, SyncProgress } from './api'
import type { Problem } from './problem'

// SyncState is what the progress bar of one connection shows.
export interface SyncState {
  running: boolean
  fraction: number // 0..1, for the bar
  label: string
  error: Problem | null // the backend's words for why the sync failed
}

export const idle: SyncState = { running: false, fraction: 0, label: '', error: null }

// applyProgress folds one progress event into a connection's bar state.
// Backfill windows give a real fraction; other phases show as nearly done.
// While the bank still serves older history, the label says for how long.
export function applyProgress(s: SyncState, p: SyncProgress, now = new Date()): SyncState {
  const name = p.accountName || 'Account'
  switch (p.phase) {
    case 'backfill': {
      const fraction = p.windows > 0 ? Math.min(1, p.window / p.windows) : s.fraction
      const span = p.windowFrom && p.windowTo ? ` ${p.windowFrom} – ${p.windowTo}` : ''
      const left = timeLeft(p.deepHistoryUntil, now)
      const deep = left ? ` · the bank shares older history for ${left} more` : ''
      return { running: true, fraction, label: `${name}: history${span} (${p.total} so far)${deep}`, error: null }
    }
    case 'connect': // an unfinished connection was finished before its sync
      return { running: true, fraction: s.fraction, label: p.message || `${name}: connected`, error: null }
    case 'done':
      return { ...s, running: true, label: p.message ? `${name}: ${p.message}` : `${name}: done`, fraction: Math.max(s.fraction, 0.95) }
    default:
      return { running: true, fraction: Math.max(s.fraction, 0.9), label: `${name}: ${p.phase.replace('_', ' ')}`, error: null }
  }
}

// timeLeft is "3:05" from now until an RFC 3339 time, or '' once past.
export function timeLeft(until: string | undefined, now: Date): string {
  if (!until) return ''
  const s = Math.floor((Date.parse(until) - now.getTime()) / 1000)
  if (!(s > 0)) return ''
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}

export function applyDone(d: SyncDone): SyncState {
  if (d.ok) return { running: false, fraction: 1, label: syncSummary(d), error: null }
  return { running: false, fraction: 1, label: '', error: d.error ?? accountsFailed(d) }
}

// accountsFailed words a sync whose accounts failed one by one: the first
// account's sentence (they usually share one), and every line in Details.
function accountsFailed(d: SyncDone): Problem {
  const failed = d.accounts.filter((a) => a.error)
  const first = failed[0]?.error
  if (!first) return { message: 'The sync did not finish. Please try again.', details: '', retry: true }
  const who = failed.length > 1 ? `${failed.length} accounts` : failed[0].name
  return {
    message: `${who}: ${first.message}`,
    details: failed.map((a) => `${a.name}: ${a.error?.details || a.error?.message}`).join('\n'),
    retry: failed.some((a) => a.error?.retry),
    retryAt: first.retryAt,
  }
}

export function syncSummary(d: SyncDone): string {
  const added = d.accounts.reduce((n, a) => n + a.added, 0)
  const removed = d.accounts.reduce((n, a) => n + (a.removed ?? 0), 0)
  const gone = removed === 0 ? '' : ` ${removed.toLocaleString('en-GB')} booking${removed === 1 ? '' : 's'} removed by the bank.`
  return (added === 0 ? 'Up to date.' : `${added.toLocaleString('en-GB')} new transaction${added === 1 ? '' : 's'}.`) + gone
}
