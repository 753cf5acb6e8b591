// The window's session: what the backend has said (vault, status, accounts,
// connections, consents, the rules it owns), what is going on (a bank
// login, syncs, a repair) and what the window tells the user about it
// (notices, banners, errors). It subscribes to the backend's events and
// folds them in; App.svelte only lays the screens out around it.
import { tick } from 'svelte'
import * as api from './api'
import type { Account, Bank, Connection, ConnectStart, ConsentView, ExtendResult } from './api'
import { afterFetch, bankOf, connectedNotice } from './connect'
import { banners, snoozeDays, type Banner } from './consent'
import { debounce } from './debounce'
import { errorMessage, type Status } from './environment'
import type { TxFocus } from './figures'
import { problemOf, type Problem } from './problem'
import { applyDone, applyProgress, idle, type SyncState } from './progress'
import { watchIdle } from './idle'
import { FALLBACK_RULES, withSent, type Rules } from './rules'
import { copiedFor } from './waiting'

export type Screen = 'overview' | 'transactions' | 'spending' | 'connections' | 'settings' | 'connect' | 'reconfirm' | 'payments'

// mainScreens are the navigation's, which the app menu's View items name.
export const mainScreens: readonly Screen[] = ['overview', 'transactions', 'spending', 'connections', 'settings']

// painted waits until the browser has drawn the screen, so ReportReady
// means the user sees it.
async function painted() {
  await tick()
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))
}

export class Session {
  screen: Screen = $state('overview')
  focusAccount = $state('') // the account the Transactions screen opens on
  paymentsAccount = $state('') // the account whose regular payments show
  focusFilter: TxFocus | null = $state(null) // the period and category it opens on (a click on Spending)
  status: Status | null = $state(null)
  accounts: Account[] = $state([])
  connections: Connection[] = $state([])
  consents: ConsentView[] = $state([])
  bankList: Bank[] = $state([])
  rules: Rules = $state.raw(FALLBACK_RULES)
  error: Problem | null = $state(null) // why Bankdesk could not start
  loading = $state(true)
  version = $state(0) // bumps when the data changed, for screens that fetch their own

  needPassphrase = $state(false)
  newVault = $state(false)
  damagedFile = $state('') // the technical line of why the data file did not open, when it is damaged
  repairing = $state(false)
  repaired: string[] = $state([])
  repairError: Problem | null = $state(null)

  waitingFor: Bank | null = $state(null) // the bank whose login the window waits for
  waitLink: ConnectStart | null = $state(null) // that login's link, when the window started it
  copied = $state(false) // the link was just copied
  copyFailed = $state(false) // the clipboard refused it: the card shows the link to copy by hand
  waitError = $state('') // why "Open again" did nothing
  renewing: Connection | null = $state(null)
  // notice is the last success to tell; fetching names the connection
  // whose first sync it waits for. A new notice or error replaces it, and
  // it can be closed; navigating clears both.
  notice = $state('')
  #noticeFetching: api.Connected | null = null
  connectError: Problem | null = $state(null) // a login's failure, shown on the screen the user is on
  syncs: Record<string, SyncState> = $state({})
  exporting = $state(false) // the app menu opened the export form
  dismissed = $state(new Set<string>())
  autoLockMinutes = $state(0) // idle minutes before the window locks a passphrase vault; 0 never
  #stopIdle = () => {}

  #offs: (() => void)[] = []
  #refreshes = 0
  #painted: () => Promise<void>
  #copiedTimer: ReturnType<typeof setTimeout> | undefined
  // The backend saves the window's place half a second after a resize
  // ends (and at close).
  #remember = debounce(() => void api.rememberWindow().catch(() => {}), 500)

  constructor(opts: { painted?: () => Promise<void> } = {}) {
    this.#painted = opts.painted ?? painted
  }

  // banners are the consents that need the user, most urgent first.
  get banners(): Banner[] {
    return banners(this.consents, this.dismissed)
  }

  // start subscribes to the backend's events and loads the first screen.
  start(): Promise<void> {
    this.#offs = [
      api.onConnected(this.#connected),
      api.onConnectFailed((f) => {
        this.#endWaiting()
        this.#say('')
        this.connectError = f.problem
      }),
      api.onSyncProgress((p) => {
        this.syncs[p.connectionId] = applyProgress(this.syncs[p.connectionId] ?? idle, p)
      }),
      api.onSyncDone((d) => {
        this.syncs[d.connectionId] = applyDone(d)
        if (this.#noticeFetching?.connectionId === d.connectionId) this.#say(afterFetch(this.#noticeFetching))
      }),
      api.onDataChanged(() => this.refresh()),
      api.onReminder(() => this.refresh()),
      api.onNavigate((n) => this.navigate(n.screen)),
      api.onExport(() => this.openExport()),
    ]
    return this.load()
  }

  stop() {
    this.#offs.forEach((off) => off())
    this.#offs = []
    this.#remember.cancel()
    clearTimeout(this.#copiedTimer)
  }

  // resized is the window's resize event.
  resized = () => this.#remember.call()

  // #say shows one notice in place of the last (and of a login's error).
  #say(notice: string, fetching: api.Connected | null = null) {
    this.notice = notice
    this.#noticeFetching = fetching
    if (notice) this.connectError = null
  }

  closeNotice = () => this.#say('')
  closeConnectError = () => (this.connectError = null)

  #connected = async (c: api.Connected) => {
    this.#endWaiting()
    this.connectError = null
    this.syncs[c.connectionId] = { ...idle, running: true, label: 'Fetching history…' }
    if (c.renewed) {
      // A reconnect or a renewal at the bank: its end shows on the connection.
      this.#say(afterFetch(c) || 'Reconnected.')
      this.screen = 'connections'
    } else {
      this.#say(connectedNotice(c), c)
      this.screen = 'overview'
    }
    await this.refresh()
  }

  // receive takes the rules a backend answer carries.
  #receive(answer: unknown) {
    this.rules = withSent(this.rules, answer)
  }

  refresh = async () => {
    // Events refresh too, so two may overlap: only the latest answer is
    // kept, or an older one (read before a disconnect) could land last.
    const seq = ++this.#refreshes
    // status too: the damage count grows as reads meet unreadable records.
    const got = await Promise.all([api.accounts(), api.connections(), api.consents(), api.status()])
    if (seq !== this.#refreshes) return
    ;[this.accounts, this.connections, this.consents, this.status] = got
    this.#receive(this.status)
    this.version++
  }

  load = async () => {
    this.loading = true
    this.error = null
    try {
      const v = await api.vault()
      this.#receive(v)
      if (!v.ready) {
        this.needPassphrase = v.needPassphrase
        this.newVault = v.newVault
        this.damagedFile = v.damaged ? v.details || v.message : ''
        if (!v.needPassphrase && !v.damaged) this.error = { message: v.message, details: v.details ?? '', retry: true }
        return
      }
      this.needPassphrase = false
      this.damagedFile = ''
      this.status = await api.status()
      this.#receive(this.status)
      await this.#watchIdle()
      await this.refresh()
      if (this.connections.length === 0) this.screen = 'connect'
      this.bankList = await api.banks().catch((e) => {
        this.connectError = problemOf(e)
        return []
      })
      await this.#painted()
      await api.reportReady(this.screen)
    } catch (e) {
      this.error = problemOf(e)
    } finally {
      this.loading = false
    }
  }

  // unlock opens the vault and answers what the form should say. When it
  // opened, or the file turned out damaged (the repair screen follows), it
  // calls opened (the form forgets what was typed) and loads.
  unlock = async (passphrase: string, opened: () => void): Promise<Problem | null> => {
    try {
      await api.unlock(passphrase)
    } catch (e) {
      if (!(await api.vault().catch(() => null))?.damaged) return problemOf(e)
    }
    opened()
    await this.load()
    return null
  }

  // #watchIdle locks the window after the saved idle minutes; only a
  // passphrase vault can be locked.
  async #watchIdle() {
    this.#stopIdle()
    this.#stopIdle = () => {}
    if (this.status?.keyring !== 'file') return
    this.autoLockMinutes = await api.autoLock().catch(() => 0)
    this.#stopIdle = watchIdle(this.autoLockMinutes, () => void this.lock())
  }

  setAutoLock = async (minutes: number) => {
    this.autoLockMinutes = await api.saveAutoLock(minutes)
    await this.#watchIdle()
  }

  // lock closes the vault: the screens forget what they showed, and the
  // passphrase is asked for again.
  lock = async () => {
    this.#stopIdle()
    this.#stopIdle = () => {}
    await api.lock()
    this.accounts = []
    this.connections = []
    this.consents = []
    this.notice = ''
    this.screen = 'overview'
    await this.load()
  }

  // repair rebuilds the data file (the backend closes and reopens it) and
  // says what it did; the damaged file is kept.
  repair = async () => {
    this.repairing = true
    this.repairError = null
    try {
      this.repaired = (await api.repair()).lines
      this.damagedFile = ''
      await this.load()
    } catch (e) {
      this.repairError = problemOf(e)
    } finally {
      this.repairing = false
    }
  }

  go = (s: Screen) => {
    if (s !== this.screen) {
      this.#say('')
      this.connectError = null
    }
    this.screen = s
    if (s !== 'transactions') [this.focusAccount, this.focusFilter] = ['', null]
  }

  // openCategory opens Transactions on a Spending category's rows: its
  // account, period and category.
  openCategory = (f: TxFocus) => {
    this.focusAccount = f.accountId
    this.focusFilter = f
    this.screen = 'transactions'
  }

  // ready: the screens are up (not the passphrase, repair or start screen),
  // so the app menu has somewhere to go.
  get ready(): boolean {
    return !!this.status && !this.needPassphrase && !this.damagedFile && !this.error
  }

  // navigate shows the screen the app menu asked for.
  navigate = (screen: string) => {
    const s = mainScreens.find((m) => m === screen)
    if (!s || !this.ready) return
    this.go(s)
    this.#shown(s)
  }

  // openExport opens the export form (the app menu's Export…).
  openExport = () => {
    if (!this.ready) return
    this.exporting = true
    this.#shown('export')
  }

  // #shown tells the log what the menu brought up, once it is drawn.
  #shown(what: string) {
    this.#painted()
      .then(() => api.reportScreen(what))
      .catch(() => {})
  }

  closeExport = () => {
    this.exporting = false
  }

  openAccount = (id: string) => {
    this.focusAccount = id
    this.screen = 'transactions'
  }

  // openPayments shows an account's standing orders and direct debits.
  openPayments = (id: string) => {
    this.paymentsAccount = id
    this.screen = 'payments'
  }

  connect = async (bank: Bank) => {
    this.#say('')
    this.connectError = null
    try {
      this.#startWaiting(bank, await api.connect(bank.id))
    } catch (e) {
      this.connectError = problemOf(e)
    }
  }

  #startWaiting(bank: Bank, link: ConnectStart | null) {
    this.#endWaiting()
    this.waitingFor = bank
    this.waitLink = link
  }

  #endWaiting() {
    this.waitingFor = this.waitLink = null
    this.copied = this.copyFailed = false
    this.waitError = ''
    clearTimeout(this.#copiedTimer)
  }

  cancelWaiting = () => this.#endWaiting()

  // copyLink puts the login's link on the clipboard, for a browser other
  // than the one that opened, and says so for a moment.
  copyLink = async () => {
    const link = this.waitLink?.link
    if (!link) return
    clearTimeout(this.#copiedTimer)
    this.copied = await api.copyText(link)
    this.copyFailed = !this.copied
    if (this.copied) this.#copiedTimer = setTimeout(() => (this.copied = false), copiedFor)
  }

  // openAgain has the backend open the login's link in the browser again.
  openAgain = async () => {
    this.waitError = ''
    try {
      await api.openLoginAgain()
    } catch (e) {
      this.waitError = errorMessage(e)
    }
  }

  // pasteAddress finishes the login from the address the bank sent the
  // browser to; it answers why not ('' when the backend took it, and the
  // connect:done or connect:error event follows).
  pasteAddress = async (address: string): Promise<string> => {
    try {
      await api.completePasted(address)
      return ''
    } catch (e) {
      return errorMessage(e)
    }
  }

  reconnect = async (id: string) => {
    this.connectError = null
    try {
      this.#startWaiting(bankOf(this.connections.find((x) => x.id === id)), await api.reconnect(id))
      this.go('connect')
    } catch (e) {
      this.connectError = problemOf(e)
    }
  }

  // #syncWith shows a connection's bar as started, then asks the backend;
  // the progress events take the bar from there.
  async #syncWith(id: string, label: string, call: (id: string) => Promise<void>) {
    this.syncs[id] = { ...idle, running: true, label }
    try {
      await call(id)
    } catch (e) {
      this.syncs[id] = { ...idle, error: problemOf(e) }
    }
  }

  sync = (id: string) => this.#syncWith(id, 'Starting…', api.sync)

  // fetchOlder asks the bank once more for the history it refused, then
  // syncs with the progress bar on the Overview.
  fetchOlder = (id: string) => this.#syncWith(id, 'Asking the bank for older history…', api.fetchOlderHistory)

  disconnect = async (id: string, keepData: boolean) => {
    await api.disconnect(id, keepData)
    await this.refresh()
  }

  renew = (id: string) => {
    this.renewing = this.connections.find((c) => c.id === id) ?? null
    if (this.renewing) this.screen = 'reconfirm'
  }

  renewed = async (r: ExtendResult) => {
    this.#say(r.message || (r.extended ? 'Access renewed.' : ''))
    if (r.atBank || r.fallback) {
      this.#startWaiting(bankOf(this.renewing), null) // the bank's own page: no link of ours to copy
      this.screen = 'connect'
    } else {
      this.screen = 'connections' // the success shows above the connection it renewed
    }
    this.renewing = null
    await this.refresh()
  }

  snooze = async (id: string) => {
    this.dismissed = new Set([...this.dismissed, id])
    await api.snoozeReminders(id, snoozeDays).catch(() => {})
  }

  closeRepaired = () => {
    this.repaired = []
  }
}
