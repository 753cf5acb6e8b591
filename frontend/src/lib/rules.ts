import type { Rules } from './api'

// Rules the backend owns and the window needs before it asks: to word a
// promise (the new consent end), check a form before sending it, or fill a
// default. The backend sends them in its first answer (VaultStatus.rules,
// before any screen shows) and in every Status (desk.Rules). The session
// store (lib/session.svelte.ts) keeps them; screens and lib functions take
// the values as arguments.

export type { Rules } from './api'
export type ContactRules = Rules['contact']

// FALLBACK_RULES hold only until the first answer arrives (nothing is
// shown before it), and in tests. Each value names the Go declaration the
// backend sends it from.
export const FALLBACK_RULES: Readonly<Rules> = Object.freeze({
  consentDays: 90, // backend/connect/connect.go: ConsentDays
  expiringWithinDays: 14, // backend/consent/status.go: ExpiringWithin
  reminderDays: [14, 7, 3, 1], // backend/consent/reminders.go: Steps
  minPassphraseLength: 8, // backend/vault/passphrase.go: MinPassphraseLen
  defaultSyncIntervalMinutes: 360, // backend/config/config.go: DefaultSyncInterval
  minSyncIntervalMinutes: 15, // backend/config/config.go: MinSyncInterval
  snoozeMaxDays: 30, // backend/desk/connections.go: snoozeMaxDays
  unattendedCallsPerDay: 4, // backend/syncer/engine.go: UnattendedCallsPerDay
  // backend/consent/user.go: MinNameWords, EmailPattern, PhonePattern
  contact: { minNameWords: 1, emailPattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$', phonePattern: '^\\+?[0-9 ()-]{7,}$' },
  permissions: [], // backend/bankdata/permissions.go: Permissions (nothing is asked before the backend answers)
})

// withSent is the rules a backend answer carries (its `rules` field), or
// the rules held when it carries none: the backend sends them whole.
export function withSent(held: Rules, answer: unknown): Rules {
  return (answer as { rules?: Rules } | null | undefined)?.rules ?? held
}
