import type { Status } from './api'
import { problemOf } from './problem'
// Words the first screen uses to tell the user where Bankdesk is connected.

export type { Status } from './api'

// everyLabel says how often background syncs run: "every 6 hours"; a period
// not set is defaultMinutes (Rules.defaultSyncIntervalMinutes).
export function everyLabel(minutes: number, defaultMinutes: number): string {
  if (!minutes || minutes <= 0) minutes = defaultMinutes
  if (minutes % 60 === 0) {
    const h = minutes / 60
    return h === 1 ? 'every hour' : `every ${h} hours`
  }
  return `every ${minutes} minutes`
}

export interface EnvironmentInfo {
  label: string
  headline: string
  detail: string
  tone: 'sandbox' | 'test' | 'live'
}

export function describeEnvironment(s: Status): EnvironmentInfo {
  if (s.builtin) {
    return {
      label: 'Built-in sandbox',
      headline: 'Connected to the built-in TrueLayer sandbox',
      detail:
        'A mock bank runs inside Bankdesk on this computer: no TrueLayer account, no credentials and no internet needed. ' +
        'Sign in to the Mock bank as john / doe.',
      tone: 'sandbox',
    }
  }
  switch (s.environment) {
    case 'live':
      return {
        label: 'TrueLayer live',
        headline: 'Connected to TrueLayer',
        detail: 'Real banks, real data, with your own TrueLayer client credentials.',
        tone: 'live',
      }
    case 'sandbox':
      return {
        label: 'TrueLayer sandbox',
        headline: "Connected to TrueLayer's sandbox",
        detail: "TrueLayer's own test environment with your sandbox client credentials. Only the Mock bank is available.",
        tone: 'test',
      }
    default:
      return {
        label: 'Standalone sandbox',
        headline: 'Connected to a Bankdesk sandbox',
        detail: `A bankdesk sandbox running at ${hostOf(s.authUrl)}.`,
        tone: 'sandbox',
      }
  }
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host || url
  } catch {
    return url
  }
}

// errorMessage is the sentence of whatever a binding rejected with.
export function errorMessage(e: unknown): string {
  return problemOf(e).message
}
