// Failures as the screens show them. The backend words every failure
// (Go package backend/problem) into a Problem: a sentence, a retry hint
// and the technical line for "Details". Bindings reject with one, and the
// events carry one; problemOf reads whatever a promise rejected with.
import type { Plain } from './api'
import type { view } from '../../wailsjs/go/models'

export type Problem = Plain<view.Problem>

const fallback = 'Something went wrong. Please try again.'

// problemOf turns a binding's rejection (a Problem from the backend, or a
// plain Error or string from elsewhere) into a Problem.
export function problemOf(e: unknown): Problem {
  if (e && typeof e === 'object' && typeof (e as Problem).message === 'string' && !(e instanceof Error)) {
    const p = e as Problem
    return { message: p.message || fallback, details: p.details ?? '', retry: !!p.retry, retryAt: p.retryAt ?? '' }
  }
  if (e instanceof Error) return { message: e.message || fallback, details: '', retry: false }
  if (typeof e === 'string' && e.trim() !== '') return { message: e, details: '', retry: false }
  return { message: fallback, details: '', retry: true }
}

// said is a Problem for a sentence the window words itself.
export const said = (message: string): Problem => ({ message, details: '', retry: false })
