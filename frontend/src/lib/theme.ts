// The colour scheme: "system" follows the OS (prefers-color-scheme), the
// others override it. The choice is saved by the backend (Settings) and
// cached here in localStorage, so index.html can set data-theme on <html>
// before the first paint, before the backend answers.
export type Theme = 'system' | 'light' | 'dark'

export const themes: { id: Theme; label: string }[] = [
  { id: 'system', label: 'Same as the system' },
  { id: 'light', label: 'Light' },
  { id: 'dark', label: 'Dark' },
]

// storageKey is also read by the inline script in index.html.
export const storageKey = 'bankdesk.theme'

export function asTheme(v: unknown): Theme {
  return v === 'light' || v === 'dark' ? v : 'system'
}

// applyTheme shows the theme at once and remembers it for the next start.
export function applyTheme(t: Theme, root: HTMLElement = document.documentElement, storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage) {
  if (t === 'system') delete root.dataset.theme
  else root.dataset.theme = t
  try {
    storage?.setItem(storageKey, t)
  } catch {
    // storage refused (private mode): the backend still has it
  }
}
