// focusInto is a Svelte action: when a form, dialog or confirmation
// appears, the keyboard's focus moves into it, to its first field (or to
// what selector names), so nobody has to click or Tab from the top of the
// page to reach it. Elements given tabindex="-1" can take it too (a card
// whose text should be read first).
export const fields = 'input:not([type=hidden]):not(:disabled), select:not(:disabled), textarea:not(:disabled), button:not(:disabled), [tabindex]:not([tabindex="-1"])'

export function focusInto(node: HTMLElement, selector: string = fields) {
  const target = node.matches(selector) ? node : node.querySelector<HTMLElement>(selector)
  // After the browser has laid it out: focus() on a node not yet shown does nothing.
  queueMicrotask(() => target?.focus({ preventScroll: false }))
}
