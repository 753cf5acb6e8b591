import type { SyncDone, SyncProgress } from './api'

// SyncState is what the progress bar of one connection shows.
export interface SyncState {
  running: boolean
  fraction: number // 0..1, for the bar
  label: string
  error: string
}

export const idle: SyncState = { running: false, fraction: 0, label: '', error: '' }

// applyProgress folds one progress event into a connection's bar state.
// Backfill windows give a real fraction; other phases show as nearly done.
export function applyProgress(s: SyncState, p: SyncProgress): SyncState {
  const name = p.accountName || 'Account'
  switch (p.phase) {
    case 'backfill': {
      const fraction = p.windows > 0 ? Math.min(1, p.window / p.windows) : s.fraction
      const span = p.windowFrom && p.windowTo ? ` ${p.windowFrom} – ${p.windowTo}` : ''
      return { running: true, fraction, label: `${name}: history${span} (${p.total} so far)`, error: '' }
    }
    case 'connect': // an unfinished connection was finished before its sync
      return { running: true, fraction: s.fraction, label: p.message || `${name}: connected`, error: '' }
    case 'done':
      return { ...s, running: true, label: p.message ? `${name}: ${p.message}` : `${name}: done`, fraction: Math.max(s.fraction, 0.95) }
    default:
      return { running: true, fraction: Math.max(s.fraction, 0.9), label: `${name}: ${p.phase.replace('_', ' ')}`, error: '' }
  }
}

export function applyDone(d: SyncDone): SyncState {
  if (d.ok) return { running: false, fraction: 1, label: syncSummary(d), error: '' }
  const failed = d.accounts.filter((a) => a.error).map((a) => `${a.name}: ${a.error}`)
  return { running: false, fraction: 1, label: '', error: d.error || failed.join('; ') || 'Sync failed.' }
}

export function syncSummary(d: SyncDone): string {
  const added = d.accounts.reduce((n, a) => n + a.added, 0)
  return added === 0 ? 'Up to date.' : `${added.toLocaleString('en-GB')} new transaction${added === 1 ? '' : 's'}.`
}
