// Checks for the vault passphrase form; the vault enforces the same minimum.
export const minPassphraseLength = 8

export function passphraseProblem(passphrase: string, confirm: string | null): string {
  if (passphrase.length === 0) return 'Enter a passphrase.'
  if (confirm !== null) {
    if (passphrase.length < minPassphraseLength) return `Use at least ${minPassphraseLength} characters.`
    if (passphrase !== confirm) return 'The two passphrases differ.'
  }
  return ''
}

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
