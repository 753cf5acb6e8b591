// Auto-lock: after so many minutes with no key, pointer or wheel input the
// window locks a passphrase vault. The timer only counts while the window
// is used; any input starts it again.

export const autoLockChoices: readonly { minutes: number; label: string }[] = [
  { minutes: 0, label: 'Never' },
  { minutes: 5, label: 'After 5 minutes' },
  { minutes: 15, label: 'After 15 minutes' },
  { minutes: 30, label: 'After 30 minutes' },
  { minutes: 60, label: 'After 1 hour' },
]

const inputs = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const

// watchIdle calls onIdle once the target saw no input for minutes; 0 never.
// It returns the function that stops watching.
export function watchIdle(minutes: number, onIdle: () => void, target: EventTarget = globalThis): () => void {
  if (minutes <= 0) return () => {}
  let timer: ReturnType<typeof setTimeout>
  const restart = () => {
    clearTimeout(timer)
    timer = setTimeout(onIdle, minutes * 60_000)
  }
  for (const e of inputs) target.addEventListener(e, restart, { passive: true })
  restart()
  return () => {
    clearTimeout(timer)
    for (const e of inputs) target.removeEventListener(e, restart)
  }
}
