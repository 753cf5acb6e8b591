import { describe, expect, it } from 'vitest'
import { setDateLocale } from './dates'
import { agentSummary, commandText, nextRunText, showAgentOffer } from './agent'
import type { AgentStatus } from './api'
import { connection } from './fixtures.test-util'

const off: AgentStatus = {
  supported: true,
  installed: false,
  kind: 'systemd-timer',
  kindLabel: 'systemd user timer',
  where: [],
  command: [],
  env: [],
  schedule: 'daily at 00:00 and at login',
  nextRun: '',
  current: false,
  problem: '',
}
const on: AgentStatus = {
  ...off,
  installed: true,
  where: ['/home/ann/.config/systemd/user/bankdesk-keepalive.service', '/home/ann/.config/systemd/user/bankdesk-keepalive.timer'],
  command: ['/opt/Bank Desk/bankdesk', 'keepalive'],
  env: ['BANKDESK_DATA_DIR=/home/ann/.local/share/bankdesk'],
  nextRun: '2026-05-15T00:07:00+01:00',
  current: true,
}

describe('agentSummary', () => {
  it('says when an installed job runs next', () => {
    setDateLocale('en-GB')
    const s = agentSummary(on)
    setDateLocale(undefined)
    expect(s.on).toBe(true)
    expect(s.headline).toBe('On: runs daily at 00:00 and at login, also while Bankdesk is closed.')
    expect(s.next).toMatch(/^Next run: \w+day, \d+ May 2026, \d\d:\d\d\.$/)
    expect(s.problem).toBe('')
  })

  it('says what is lost while it is off, and has no next run', () => {
    const s = agentSummary(off)
    expect(s.on).toBe(false)
    expect(s.headline).toContain('only while it is open')
    expect(s.next).toBe('')
  })

  it('turns a problem into a sentence', () => {
    expect(agentSummary({ ...on, problem: 'the timer is not enabled; install it again to turn it on' }).problem).toBe(
      'The timer is not enabled; install it again to turn it on.',
    )
  })

  it('says when the system has no scheduler', () => {
    const s = agentSummary({ ...off, supported: false })
    expect(s.on).toBe(false)
    expect(s.headline).toContain('no scheduler')
  })

  it('leaves out an unknown next run', () => {
    expect(agentSummary({ ...on, kind: 'xdg-autostart', schedule: 'at login', nextRun: '' }).next).toBe('')
  })
})

describe('helpers', () => {
  it('nextRunText names the day and the time', () => {
    setDateLocale('en-GB')
    const text = nextRunText('2026-05-15T12:30:00Z')
    setDateLocale(undefined)
    expect(text).toMatch(/^\w+day, \d+ May 2026, \d\d:\d\d$/)
    expect(nextRunText('soon')).toBe('soon')
  })

  it('commandText quotes words with spaces', () => {
    expect(commandText(['/opt/Bank Desk/bankdesk', 'keepalive'])).toBe('"/opt/Bank Desk/bankdesk" keepalive')
    expect(commandText(['/usr/bin/bankdesk', 'keepalive'])).toBe('/usr/bin/bankdesk keepalive')
  })

  it('offers the job only once a bank is connected', () => {
    expect(showAgentOffer(true, [])).toBe(false)
    expect(showAgentOffer(true, [connection()])).toBe(true)
    expect(showAgentOffer(false, [connection()])).toBe(false)
  })
})
