import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { Account, Connected, Connection, SyncDone, SyncProgress, VaultStatus } from './api'
import type { Status } from './environment'
import { connection, consent, status } from './fixtures.test-util'
import { said } from './problem'

// The backend, as a mock: each on* subscription keeps its handler, so a
// test can fire the event the backend would emit.
const bus = vi.hoisted(() => ({
  handlers: {} as Record<string, (...args: unknown[]) => unknown>,
  unsubscribed: [] as string[],
}))
vi.mock('./api', () => {
  const on = (name: string) =>
    vi.fn((fn: (...args: unknown[]) => unknown) => {
      bus.handlers[name] = fn
      return () => bus.unsubscribed.push(name)
    })
  return {
    vault: vi.fn(),
    status: vi.fn(),
    accounts: vi.fn(),
    connections: vi.fn(),
    consents: vi.fn(),
    banks: vi.fn(),
    unlock: vi.fn(),
    repair: vi.fn(),
    connect: vi.fn(),
    reconnect: vi.fn(),
    openLoginAgain: vi.fn(),
    completePasted: vi.fn(),
    copyText: vi.fn(),
    sync: vi.fn(),
    fetchOlderHistory: vi.fn(),
    disconnect: vi.fn(),
    snoozeReminders: vi.fn(),
    reportReady: vi.fn(),
    reportScreen: vi.fn(() => Promise.resolve()),
    rememberWindow: vi.fn(),
    autoLock: vi.fn(() => Promise.resolve(0)),
    saveAutoLock: vi.fn((m: number) => Promise.resolve(m)),
    lock: vi.fn(() => Promise.resolve()),
    onConnected: on('connected'),
    onConnectFailed: on('connectFailed'),
    onSyncProgress: on('syncProgress'),
    onSyncDone: on('syncDone'),
    onDataChanged: on('dataChanged'),
    onReminder: on('reminder'),
    onNavigate: on('navigate'),
    onExport: on('export'),
  }
})

import * as api from './api'
import { Session } from './session.svelte'
import { FALLBACK_RULES } from './rules'

const mock = connection({ id: 'c1', providerName: 'Mock Bank', daysLeft: 5, accounts: 2 })
const expiring = consent({ connectionId: 'c1', providerName: 'Mock Bank', daysLeft: 5, status: 'expiring', headlineDaysLeft: 5 })
const ready: VaultStatus = { ready: true, needPassphrase: false, newVault: false, damaged: false, message: '', rules: FALLBACK_RULES }
const locked: VaultStatus = { ready: false, needPassphrase: true, newVault: true, damaged: false, message: '', rules: FALLBACK_RULES }
const fire = (name: string, ...args: unknown[]) => bus.handlers[name](...args)
const start = { expiresAt: '2026-07-01T14:35:00Z', link: 'http://127.0.0.1:41234/?response_type=code&state=s1' }
const mockBank = { id: 'mock', name: 'Mock', logoUrl: '', country: 'uk', scopes: [] }

// backend sets what the mocked bindings answer.
function backend(over: { vault?: VaultStatus; connections?: Connection[]; status?: Status & { rules?: unknown } } = {}) {
  vi.mocked(api.vault).mockResolvedValue(over.vault ?? ready)
  vi.mocked(api.status).mockResolvedValue(over.status ?? status())
  vi.mocked(api.accounts).mockResolvedValue([])
  vi.mocked(api.connections).mockResolvedValue(over.connections ?? [mock])
  vi.mocked(api.consents).mockResolvedValue([expiring])
  vi.mocked(api.banks).mockResolvedValue([{ id: 'mock', name: 'Mock', logoUrl: '', country: 'uk', scopes: [] }])
  vi.mocked(api.reportReady).mockResolvedValue()
  vi.mocked(api.snoozeReminders).mockResolvedValue()
}

async function started(over: Parameters<typeof backend>[0] = {}): Promise<Session> {
  backend(over)
  const s = new Session({ painted: async () => {} })
  await s.start()
  return s
}

beforeEach(() => {
  vi.clearAllMocks()
  bus.handlers = {}
  bus.unsubscribed = []
})

describe('loading', () => {
  it('opens on the Overview when a bank is connected, and reports it ready', async () => {
    const s = await started()
    expect(s.loading).toBe(false)
    expect(s.screen).toBe('overview')
    expect(s.connections).toEqual([mock])
    expect(s.bankList).toHaveLength(1)
    expect(api.reportReady).toHaveBeenCalledWith('overview')
  })
  it('opens on the bank list when nothing is connected', async () => {
    const s = await started({ connections: [] })
    expect(s.screen).toBe('connect')
    expect(api.reportReady).toHaveBeenCalledWith('connect')
  })
  it('keeps the bank list error for the connect screen and still starts', async () => {
    backend()
    vi.mocked(api.banks).mockRejectedValue(new Error('The bank list is not available offline.'))
    const s = new Session({ painted: async () => {} })
    await s.start()
    expect(s.connectError?.message).toBe('The bank list is not available offline.')
    expect(s.error).toBeNull()
    expect(s.bankList).toEqual([])
  })
  it('asks for the passphrase of a locked vault, and for a new one when there is none', async () => {
    const s = await started({ vault: locked })
    expect(s.needPassphrase).toBe(true)
    expect(s.newVault).toBe(true)
    expect(api.status).not.toHaveBeenCalled()
  })
  it('shows a damaged data file, and a vault that cannot open as an error', async () => {
    const damaged = await started({ vault: { ...locked, needPassphrase: false, damaged: true, message: 'page 7 unreadable' } })
    expect(damaged.damagedFile).toBe('page 7 unreadable')
    expect(damaged.error).toBeNull()
    const broken = await started({ vault: { ...locked, needPassphrase: false, message: 'The keyring refused.' } })
    expect(broken.error?.message).toBe('The keyring refused.')
  })
  it('keeps the technical line of a start that failed for Details, apart from its sentence', async () => {
    const chain = 'Bankdesk is already running (another process holds its data directory): /home/x/bankdesk.lock'
    const busy = await started({ vault: { ...locked, needPassphrase: false, message: 'Bankdesk is already open in another window.', details: chain } })
    expect(busy.error).toEqual({ message: 'Bankdesk is already open in another window.', details: chain, retry: true })
    // A damaged file: its sentence is the screen's; what was found is the detail.
    const damaged = await started({ vault: { ...locked, needPassphrase: false, damaged: true, message: "Bankdesk's data file is damaged.", details: 'page 7 unreadable' } })
    expect(damaged.damagedFile).toBe('page 7 unreadable')
    // A binding that rejects keeps its details too.
    backend()
    vi.mocked(api.status).mockRejectedValue({ message: 'Something went wrong. Please try again.', details: 'status: bolt: page 7', retry: true })
    const s = new Session({ painted: async () => {} })
    await s.start()
    expect(s.error).toEqual({ message: 'Something went wrong. Please try again.', details: 'status: bolt: page 7', retry: true, retryAt: '' })
  })
})

describe('rules', () => {
  it('uses the fallback until the backend sends its rules', async () => {
    const s = await started()
    expect(s.rules).toEqual(FALLBACK_RULES)
  })
  it('takes the rules the vault status and then the status carry', async () => {
    const s = await started({
      vault: { ...locked, rules: { ...FALLBACK_RULES, minPassphraseLength: 12 } },
    })
    expect(s.rules.minPassphraseLength).toBe(12)
    expect(s.rules.consentDays).toBe(FALLBACK_RULES.consentDays)

    backend({ status: status({ rules: { ...FALLBACK_RULES, consentDays: 180, contact: { ...FALLBACK_RULES.contact, minNameWords: 1 } } }) })
    await s.load()
    expect(s.rules.minPassphraseLength).toBe(FALLBACK_RULES.minPassphraseLength)
    expect(s.rules.consentDays).toBe(180)
    expect(s.rules.contact.minNameWords).toBe(1)
  })
})

describe('events', () => {
  it('connect:done ends the wait, says what was connected, starts the bar and refreshes', async () => {
    const s = await started({ connections: [] })
    s.waitingFor = { id: 'mock', name: 'Mock', logoUrl: '', country: '', scopes: [] }
    s.connectError = said('old')
    const before = s.version
    vi.mocked(api.connections).mockResolvedValue([mock])
    const c: Connected = { connectionId: 'c1', providerId: 'mock', accounts: 2, cards: 1, warnings: [], unmatched: [], missing: [], unfinished: false, existing: false, renewed: false, notes: [] }
    await fire('connected', c)
    expect(s.waitingFor).toBeNull()
    expect(s.connectError).toBeNull()
    expect(s.notice).toBe('Connected: 2 accounts and 1 card. Fetching history…')
    expect(s.syncs.c1).toMatchObject({ running: true, label: 'Fetching history…' })
    expect(s.screen).toBe('overview')
    expect(s.connections).toEqual([mock])
    expect(s.version).toBe(before + 1)
  })
  it('connect:error ends the wait with what the user should do', async () => {
    const s = await started()
    s.waitingFor = { id: 'mock', name: 'Mock', logoUrl: '', country: '', scopes: [] }
    s.notice = 'Your consent for Mock is renewed until 1 March 2027.'
    const problem = { message: 'You cancelled at the bank. Nothing was connected.', details: 'access_denied', retry: false }
    fire('connectFailed', { kind: 'cancelled', problem })
    expect(s.waitingFor).toBeNull()
    expect(s.connectError).toEqual(problem)
    expect(s.notice).toBe('') // a new error replaces the stale notice
  })
  it('a notice or an error can be closed, and navigating clears both', async () => {
    const s = await started()
    fire('connectFailed', { kind: 'unknown_state', problem: said('That link matches no login.') })
    s.closeConnectError()
    expect(s.connectError).toBeNull()
    fire('connectFailed', { kind: 'unknown_state', problem: said('That link matches no login.') })
    s.go('spending')
    expect(s.connectError).toBeNull()
    await s.renewed({ extended: true, atBank: false, fallback: false, message: 'Renewed.', newExpiry: '' })
    s.closeNotice()
    expect(s.notice).toBe('')
  })
  it('sync:progress moves the bar; sync:done ends it and clears the fetching notice', async () => {
    const s = await started()
    await fire('connected', { connectionId: 'c1', providerId: 'mock', accounts: 2, cards: 1, warnings: [], unmatched: [], missing: [], unfinished: false, existing: false, renewed: false, notes: [] })
    const p: SyncProgress = { connectionId: 'c1', accountId: 'a1', accountName: 'Current', phase: 'backfill', window: 1, windows: 4, added: 10, total: 10 }
    fire('syncProgress', p)
    expect(s.syncs.c1).toMatchObject({ running: true, fraction: 0.25 })
    const d: SyncDone = { connectionId: 'c1', ok: true, accounts: [{ accountId: 'a1', name: 'Current', added: 3, updated: 0, removed: 0, historyLimited: false }] }
    fire('syncDone', d)
    expect(s.syncs.c1).toMatchObject({ running: false, label: '3 new transactions.' })
    expect(s.notice).toBe('')
  })
  it('sync:done keeps what the notice says beyond the fetching', async () => {
    const s = await started()
    await fire('connected', { connectionId: 'c1', providerId: 'mock', accounts: 2, cards: 1, warnings: [], unmatched: [], missing: [], unfinished: false, existing: false, notes: ['Renewed Mock Bank.'] })
    fire('syncDone', { connectionId: 'c2', ok: true, accounts: [] })
    expect(s.notice).toBe('Connected: 2 accounts and 1 card. Fetching history… Renewed Mock Bank.')
    fire('syncDone', { connectionId: 'c1', ok: false, error: said('The bank is down.'), accounts: [] })
    expect(s.syncs.c1.error).toEqual(said('The bank is down.'))
    expect(s.notice).toBe('Renewed Mock Bank.')
  })
  it('data:changed and consent:reminder refresh what the screens show', async () => {
    const s = await started()
    const before = s.version
    await fire('dataChanged')
    await fire('reminder', { connectionId: 'c1' })
    expect(s.version).toBe(before + 2)
    expect(api.consents).toHaveBeenCalledTimes(3)
  })
  it('stop unsubscribes from every event', async () => {
    const s = await started()
    s.stop()
    expect(bus.unsubscribed.sort()).toEqual(['connectFailed', 'connected', 'dataChanged', 'export', 'navigate', 'reminder', 'syncDone', 'syncProgress'])
  })
})

describe('waiting for the bank', () => {
  async function waiting(): Promise<Session> {
    const s = await started()
    vi.mocked(api.connect).mockResolvedValue(start)
    await s.connect(mockBank)
    return s
  }
  it('copies the login’s link and says so for a moment', async () => {
    const s = await waiting()
    vi.useFakeTimers()
    try {
      vi.mocked(api.copyText).mockResolvedValue(true)
      await s.copyLink()
      expect(api.copyText).toHaveBeenCalledWith(start.link)
      expect(s.copied).toBe(true)
      expect(s.copyFailed).toBe(false)
      vi.advanceTimersByTime(2500)
      expect(s.copied).toBe(false)
    } finally {
      vi.useRealTimers()
    }
  })
  it('shows the link to copy by hand when the clipboard refuses it', async () => {
    const s = await waiting()
    vi.mocked(api.copyText).mockResolvedValue(false)
    await s.copyLink()
    expect(s.copied).toBe(false)
    expect(s.copyFailed).toBe(true)
  })
  it('opens the link again through the backend, and says why not', async () => {
    const s = await waiting()
    vi.mocked(api.openLoginAgain).mockResolvedValue()
    await s.openAgain()
    expect(api.openLoginAgain).toHaveBeenCalledTimes(1)
    expect(s.waitError).toBe('')
    vi.mocked(api.openLoginAgain).mockRejectedValue('Bankdesk has no valid link to your bank any more (it expired): connect again for a new one')
    await s.openAgain()
    expect(s.waitError).toMatch(/expired/)
  })
  it('hands a pasted address to the backend and answers its refusal; the wait goes on', async () => {
    const s = await waiting()
    vi.mocked(api.completePasted).mockRejectedValue('That is not the address your bank sent you to.')
    expect(await s.pasteAddress('junk')).toBe('That is not the address your bank sent you to.')
    expect(api.completePasted).toHaveBeenCalledWith('junk')
    expect(s.waitingFor).toEqual(mockBank)
    vi.mocked(api.completePasted).mockResolvedValue()
    expect(await s.pasteAddress('bankdesk://callback?code=c&state=s1')).toBe('')
  })
  it('connect:done and connect:error end the wait and forget the link', async () => {
    let s = await waiting()
    vi.mocked(api.copyText).mockResolvedValue(false)
    await s.copyLink()
    fire('connectFailed', { kind: 'expired', message: '' })
    expect(s.waitLink).toBeNull()
    expect(s.copyFailed).toBe(false)
    s = await waiting()
    await fire('connected', { connectionId: 'c1', providerId: 'mock', accounts: 1, cards: 0, warnings: [], unmatched: [], missing: [], unfinished: false, existing: false, renewed: false, notes: [] })
    expect(s.waitingFor).toBeNull()
    expect(s.waitLink).toBeNull()
  })
})

describe('window', () => {
  it('asks the backend to save the window once a resize has ended, and not after stop', async () => {
    const s = await started()
    vi.useFakeTimers()
    try {
      vi.mocked(api.rememberWindow).mockResolvedValue()
      s.resized()
      s.resized()
      vi.advanceTimersByTime(500)
      expect(api.rememberWindow).toHaveBeenCalledTimes(1)
      s.resized()
      s.stop()
      vi.advanceTimersByTime(500)
      expect(api.rememberWindow).toHaveBeenCalledTimes(1)
    } finally {
      vi.useRealTimers()
    }
  })
})

describe('app menu', () => {
  it('menu:navigate shows a main screen, and nothing else', async () => {
    const s = await started()
    s.focusAccount = 'a1'
    fire('navigate', { screen: 'spending' })
    expect(s.screen).toBe('spending')
    expect(s.focusAccount).toBe('')
    fire('navigate', { screen: 'reconfirm' })
    fire('navigate', { screen: 'nonsense' })
    expect(s.screen).toBe('spending')
    await Promise.resolve()
    // The log says what the menu brought up, and only that.
    expect(vi.mocked(api.reportScreen).mock.calls).toEqual([['spending']])
  })
  it('menu:export opens the export form until it is closed', async () => {
    const s = await started()
    fire('export')
    expect(s.exporting).toBe(true)
    await Promise.resolve()
    expect(api.reportScreen).toHaveBeenCalledWith('export')
    s.closeExport()
    expect(s.exporting).toBe(false)
  })
  it('does nothing while the passphrase screen shows', async () => {
    const s = await started({ vault: locked })
    const before = s.screen
    fire('navigate', { screen: 'settings' })
    fire('export')
    expect(s.screen).toBe(before)
    expect(s.exporting).toBe(false)
    await Promise.resolve()
    expect(api.reportScreen).not.toHaveBeenCalled()
  })
})

describe('actions', () => {
  it('unlock loads on success and forgets the typed passphrase', async () => {
    const s = await started({ vault: locked })
    vi.mocked(api.unlock).mockResolvedValue()
    vi.mocked(api.vault).mockResolvedValue(ready)
    const opened = vi.fn()
    expect(await s.unlock('correct horse battery', opened)).toBeNull()
    expect(api.unlock).toHaveBeenCalledWith('correct horse battery')
    expect(opened).toHaveBeenCalledOnce()
    expect(s.needPassphrase).toBe(false)
    expect(s.connections).toEqual([mock])
  })
  it('lock forgets what the screens showed and asks for the passphrase again', async () => {
    const s = await started()
    expect(s.connections).toEqual([mock])
    vi.mocked(api.vault).mockResolvedValue(locked)
    await s.lock()
    expect(api.lock).toHaveBeenCalledOnce()
    expect(s.needPassphrase).toBe(true)
    expect(s.connections).toEqual([])
    expect(s.accounts).toEqual([])
  })
  it('unlock answers the reason it failed, and keeps the passphrase', async () => {
    const s = await started({ vault: locked })
    vi.mocked(api.unlock).mockRejectedValue({ message: 'That passphrase is not right.', details: 'open vault: vault: wrong passphrase', retry: false })
    const opened = vi.fn()
    expect(await s.unlock('nope', opened)).toEqual({ message: 'That passphrase is not right.', details: 'open vault: vault: wrong passphrase', retry: false, retryAt: '' })
    expect(opened).not.toHaveBeenCalled()
    expect(s.needPassphrase).toBe(true)
  })
  it('unlock on a damaged file goes to the repair screen', async () => {
    const s = await started({ vault: locked })
    vi.mocked(api.unlock).mockRejectedValue(new Error('open store: damaged'))
    vi.mocked(api.vault).mockResolvedValue({ ...locked, needPassphrase: false, damaged: true, message: 'bucket lost' })
    const opened = vi.fn()
    expect(await s.unlock('right one', opened)).toBeNull()
    expect(opened).toHaveBeenCalledOnce()
    expect(s.damagedFile).toBe('bucket lost')
  })
  it('repair says what it did and opens the file; a failed repair says why', async () => {
    const s = await started({ vault: { ...locked, needPassphrase: false, damaged: true, message: 'bucket lost' } })
    vi.mocked(api.repair).mockResolvedValue({ lines: ['Restored 3 records.'], lost: 0 })
    vi.mocked(api.vault).mockResolvedValue(ready)
    await s.repair()
    expect(s.repaired).toEqual(['Restored 3 records.'])
    expect(s.damagedFile).toBe('')
    expect(s.repairing).toBe(false)
    vi.mocked(api.repair).mockRejectedValue({ message: 'The disk is full.', details: 'repair: write: no space left on device', retry: false })
    await s.repair()
    expect(s.repairError).toEqual({ message: 'The disk is full.', details: 'repair: write: no space left on device', retry: false, retryAt: '' })
    s.closeRepaired()
    expect(s.repaired).toEqual([])
  })
  it('sync and fetchOlder start the bar, and show a refusal on it', async () => {
    const s = await started()
    vi.mocked(api.sync).mockResolvedValue()
    await s.sync('c1')
    expect(s.syncs.c1).toMatchObject({ running: true, label: 'Starting…' })
    vi.mocked(api.fetchOlderHistory).mockRejectedValue(new Error('A sync is already running.'))
    await s.fetchOlder('c1')
    expect(api.fetchOlderHistory).toHaveBeenCalledWith('c1')
    expect(s.syncs.c1.running).toBe(false)
    expect(s.syncs.c1.error?.message).toBe('A sync is already running.')
  })
  it('connect waits for the bank; a refusal is the connect error', async () => {
    const s = await started()
    const bank = { id: 'mock', name: 'Mock', logoUrl: '', country: 'uk', scopes: [] }
    s.notice = 'old'
    vi.mocked(api.connect).mockResolvedValue(start)
    await s.connect(bank)
    expect(s.waitingFor).toEqual(bank)
    expect(s.waitLink).toEqual(start)
    expect(s.notice).toBe('')
    s.cancelWaiting()
    expect(s.waitingFor).toBeNull()
    expect(s.waitLink).toBeNull()
    vi.mocked(api.connect).mockRejectedValue(new Error('No network.'))
    await s.connect(bank)
    expect(s.connectError?.message).toBe('No network.')
    expect(s.waitingFor).toBeNull()
  })
  it('reconnect waits for the connection’s bank on the connect screen', async () => {
    const s = await started()
    vi.mocked(api.reconnect).mockResolvedValue(start)
    await s.reconnect('c1')
    expect(s.waitingFor?.name).toBe('Mock Bank')
    expect(s.waitLink).toEqual(start)
    expect(s.screen).toBe('connect')
  })
  it('renew opens the reconfirmation; a renewal at the bank waits for it', async () => {
    const s = await started()
    s.renew('unknown')
    expect(s.screen).toBe('overview')
    s.renew('c1')
    expect(s.screen).toBe('reconfirm')
    await s.renewed({ extended: false, atBank: true, fallback: false, message: 'Approve it at Mock Bank.', newExpiry: '' })
    expect(s.notice).toBe('Approve it at Mock Bank.')
    expect(s.waitingFor?.name).toBe('Mock Bank')
    expect(s.waitLink).toBeNull() // the bank's own page: no link of Bankdesk's to copy
    expect(s.screen).toBe('connect')
    expect(s.renewing).toBeNull()
    // The bank sends the user back: the success shows on Connections.
    await fire('connected', { connectionId: 'c1', providerId: 'mock', accounts: 2, cards: 1, warnings: [], unmatched: [], missing: [], unfinished: false, existing: false, renewed: true, notes: ['Your access to Mock Bank is renewed until 1 March 2027.'] })
    expect(s.screen).toBe('connections')
    expect(s.notice).toBe('Your access to Mock Bank is renewed until 1 March 2027.')
    expect(s.waitingFor).toBeNull()
  })
  it('a renewal done in place ends on Connections with its success', async () => {
    const s = await started()
    s.renew('c1')
    await s.renewed({ extended: true, atBank: false, fallback: false, message: '', newExpiry: '2026-07-01T00:00:00Z' })
    expect(s.notice).toBe('Access renewed.')
    expect(s.screen).toBe('connections')
  })
  it('snooze hides the banner at once and tells the backend', async () => {
    const s = await started()
    expect(s.banners.map((b) => b.connectionId)).toEqual(['c1'])
    vi.mocked(api.snoozeReminders).mockRejectedValue(new Error('offline'))
    await s.snooze('c1')
    expect(s.banners).toEqual([])
    expect(api.snoozeReminders).toHaveBeenCalledWith('c1', 3)
  })
  it('go leaves the account focus behind except on Transactions', async () => {
    const s = await started()
    s.openAccount('a1')
    expect(s.screen).toBe('transactions')
    expect(s.focusAccount).toBe('a1')
    s.go('transactions')
    expect(s.focusAccount).toBe('a1')
    s.go('spending')
    expect(s.focusAccount).toBe('')
  })
  it('openPayments shows the account\'s regular payments, and navigating leaves them', async () => {
    const s = await started()
    s.openPayments('a1')
    expect(s.screen).toBe('payments')
    expect(s.paymentsAccount).toBe('a1')
    s.go('overview')
    expect(s.screen).toBe('overview')
  })
  it('an older refresh answering last does not undo a newer one', async () => {
    const s = await started()
    let answerOld: (a: Account[]) => void = () => {}
    vi.mocked(api.accounts).mockReturnValueOnce(new Promise((r) => (answerOld = r)))
    vi.mocked(api.connections).mockResolvedValueOnce([connection()])
    const older = s.refresh()
    const account = { id: 'a1', connectionId: 'c1', displayName: 'Current' } as Account
    const kept = [{ ...account, disconnected: true }]
    vi.mocked(api.accounts).mockResolvedValueOnce(kept)
    vi.mocked(api.connections).mockResolvedValueOnce([])
    await s.refresh()
    answerOld([account])
    await older
    expect(s.accounts).toEqual(kept)
    expect(s.connections).toEqual([])
  })
  it('a Spending category opens Transactions on its account, period and category, until another screen', async () => {
    const s = await started()
    const f = { accountId: 'a1', from: '2025-12-01', to: '2026-11-21', category: 'Shopping' }
    s.openCategory(f)
    expect([s.screen, s.focusAccount, s.focusFilter]).toEqual(['transactions', 'a1', f])
    s.go('overview')
    expect([s.focusAccount, s.focusFilter]).toEqual(['', null])
  })
  it('disconnect refreshes', async () => {
    const s = await started()
    vi.mocked(api.disconnect).mockResolvedValue()
    vi.mocked(api.connections).mockResolvedValue([])
    await s.disconnect('c1', true)
    expect(api.disconnect).toHaveBeenCalledWith('c1', true)
    expect(s.connections).toEqual([])
  })
})
