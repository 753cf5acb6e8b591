// Failures as the screens show them. The backend words every failure
// (Go package backend/problem) into a Problem: a sentence, a retry hint
// and the technical line for "Details". Bindings reject with one, and the
// events carry one; problemOf reads whatever a promise rejected with.
import type { Plain } from './api'
import type { view } from '../../wailsjs/go/models'

export type Problem = Plain<view.Problem>

const fallback = 'Something went wrong. Please try again.'

// problemOf turns a binding's rejection into a Problem. The backend
// rejects with a Problem as JSON (Wails' runtime wraps it in an Error:
// app/bindings.go wordError); a plain Error or string from elsewhere is
// its own sentence.
export function problemOf(e: unknown): Problem {
  const text = e instanceof Error ? e.message : e
  if (typeof text === 'string' && text.startsWith('{')) {
    try {
      return fromBackend(JSON.parse(text))
    } catch {
      // not JSON after all: the text is the sentence
    }
  }
  if (e && typeof e === 'object' && !(e instanceof Error) && typeof (e as Problem).message === 'string') return fromBackend(e as Problem)
  if (typeof text === 'string' && text.trim() !== '') return { message: text, details: '', retry: false }
  return { message: fallback, details: '', retry: true }
}

function fromBackend(p: Partial<Problem>): Problem {
  return { message: p.message || fallback, details: p.details ?? '', retry: !!p.retry, retryAt: p.retryAt ?? '' }
}

// said is a Problem for a sentence the window words itself.
export const said = (message: string): Problem => ({ message, details: '', retry: false })
