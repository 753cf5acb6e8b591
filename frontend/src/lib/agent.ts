import type { AgentStatus, Connection } from './api'
import { formatDateTime } from './dates'

// Words for the background job (bankdesk keepalive, scheduled by the
// system) that keeps connections alive while the window is closed.

export interface AgentSummary {
  on: boolean
  headline: string // one sentence: is it on, and when does it run
  next: string // "Next run: Friday 15 May, 00:07", or ''
  problem: string // what needs the user, or ''
}

export function agentSummary(s: AgentStatus): AgentSummary {
  if (!s.supported) {
    return {
      on: false,
      headline: 'This system has no scheduler Bankdesk can use, so connections are kept alive only while Bankdesk is open.',
      next: '',
      problem: '',
    }
  }
  const problem = s.problem ? sentence(s.problem) : ''
  if (!s.installed) {
    return { on: false, headline: 'Off: Bankdesk keeps connections alive and reminds you only while it is open.', next: '', problem: '' }
  }
  const next = s.nextRun ? `Next run: ${nextRunText(s.nextRun)}.` : ''
  return { on: true, headline: `On: runs ${s.schedule}, also while Bankdesk is closed.`, next, problem }
}

// nextRunText is a run's time as the user reads it: "Friday, 15 May 2026, 00:07".
export function nextRunText(iso: string): string {
  return formatDateTime(iso, { weekday: true })
}

// commandText shows a command as it would be typed: a word with a space
// in quotes.
export function commandText(words: string[]): string {
  return words.map((w) => (w === '' || /[\s"'$\\]/.test(w) ? JSON.stringify(w) : w)).join(' ')
}

// showAgentOffer says whether the Connections screen offers the job: the
// backend still offers it (once, never while it is on) and a bank is
// connected, so there is something to keep alive.
export function showAgentOffer(offer: boolean, connections: Connection[]): boolean {
  return offer && connections.length > 0
}

function sentence(s: string): string {
  const t = s.trim()
  if (!t) return ''
  const first = t[0].toUpperCase() + t.slice(1)
  return /[.!?]$/.test(first) ? first : first + '.'
}
