// What the waiting card says about the link a bank login runs on.

// clock is a time as HH:MM on the computer's clock.
export function clock(t: Date): string {
  return `${String(t.getHours()).padStart(2, '0')}:${String(t.getMinutes()).padStart(2, '0')}`
}

// linkValidity says until when the login's link works (its ConnectStart's
// expiresAt, RFC 3339), or that it no longer does; '' when unknown.
export function linkValidity(expiresAt: string, now: Date): string {
  const t = new Date(expiresAt)
  if (!expiresAt || Number.isNaN(t.getTime())) return ''
  if (now.getTime() >= t.getTime()) return 'This link has expired. Cancel and connect again for a new one.'
  return `This link works until ${clock(t)}.`
}

// copiedFor is how long the "Copied" confirmation stays, in milliseconds.
export const copiedFor = 2500
