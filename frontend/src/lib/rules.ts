// Rules the backend owns and the window needs before it asks: to word a
// promise (the new consent end), check a form before sending it, or fill a
// default. The backend is to send them in its answers (VaultStatus for the
// passphrase minimum, which the unlock screen needs before Status; Status
// or SettingsView for the rest); until it does, FALLBACK_RULES is the one
// copy in the frontend. Only the session store (lib/session.svelte.ts)
// reads it; screens and lib functions take the values as arguments.

export interface ContactRules {
  minNameWords: number // words in the full name
  emailPattern: string // a regular expression, JavaScript and Go RE2 alike
  phonePattern: string
}

export interface Rules {
  consentDays: number // how long a consent (and a renewal) lasts
  expiringWithinDays: number // a deadline this close makes a connection expiring
  reminderDays: number[] // days before a consent ends that a reminder fires
  minPassphraseLength: number // characters a new vault passphrase needs
  defaultSyncIntervalMinutes: number // the background sync period when none is set
  unattendedCallsPerDay: number // PSD2 calls per account and endpoint without the user
  contact: ContactRules // the reconfirmation form's name, email and phone
}

// FALLBACK_RULES: THE SINGLE FRONTEND COPY of backend rules, used until the
// backend sends them. Each value names the Go declaration it mirrors.
export const FALLBACK_RULES: Readonly<Rules> = Object.freeze({
  consentDays: 90, // backend/connect/connect.go: ConsentDays
  expiringWithinDays: 14, // backend/consent/status.go: ExpiringWithin
  reminderDays: [14, 7, 3, 1], // backend/consent/reminders.go: Steps
  minPassphraseLength: 8, // backend/vault/passphrase.go: MinPassphraseLen
  defaultSyncIntervalMinutes: 360, // backend/config/config.go: DefaultSyncInterval
  unattendedCallsPerDay: 4, // backend/syncer/engine.go: UnattendedCallsPerDay
  // The backend (backend/consent/extend.go: ErrUserDetails) checks only that
  // a name and an email or phone are there; these finer checks are the
  // form's, kept here so the backend can take them over.
  contact: { minNameWords: 2, emailPattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$', phonePattern: '^\\+?[0-9 ()-]{7,}$' },
})

// withSent lays the rules a backend answer carries (its `rules` field, when
// it has one) over the rules held, field by field; an answer without rules
// changes nothing.
export function withSent(held: Rules, answer: unknown): Rules {
  const sent = (answer as { rules?: Partial<Rules> } | null | undefined)?.rules
  if (!sent) return held
  return { ...held, ...sent, contact: { ...held.contact, ...sent.contact } }
}
