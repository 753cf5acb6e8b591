// Words for Settings' "Back up…" (screens/BackupPanel.svelte). The backup
// itself is the backend's (backend/backup); the passphrase rule is the
// vault's, checked here by lib/passphrase.ts and again by the backend.
import type { BackupDone } from './api'

const count = (n: number, what: string): string => (n === 1 ? `1 ${what}` : `${n} ${what}s`)

// backupDoneText says what a written backup holds and where it is; a
// cancelled save dialog (no path) says nothing.
export function backupDoneText(done: BackupDone): string {
  if (!done.path) return ''
  return (
    `Backed up ${count(done.connections, 'connection')}, ${count(done.accounts, 'account')} and ` +
    `${count(done.transactions, 'transaction')} to ${done.path}. Keep its passphrase: without it the backup cannot be opened.`
  )
}
