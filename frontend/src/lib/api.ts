// The only module that talks to the Go backend. Keeping the bindings behind it
// lets screens be tested without Wails.
import * as App from '../../wailsjs/go/app/App'
import { EventsOn } from '../../wailsjs/runtime/runtime'
import type { Status } from './environment'
import type { MonthTotals } from './charts'
import {
  EventConnectFailed,
  EventConnected,
  EventDataChanged,
  EventExportProgress,
  EventReminder,
  EventSyncDone,
  EventSyncProgress,
} from './events'

export interface Bank {
  id: string
  name: string
  logoUrl: string
  country: string
  scopes: string[]
}

export interface VaultStatus {
  ready: boolean
  needPassphrase: boolean
  newVault: boolean
  damaged: boolean // the data file is damaged: offer Repair
  message: string
}

export interface RepairView {
  lines: string[]
  lost: number
}

export interface Account {
  id: string
  connection_id: string
  provider_id: string
  kind: 'account' | 'card'
  type?: string
  display_name: string
  currency: string
  current?: string
  available?: string
  sort_code?: string
  number?: string
  iban?: string
  partial_card_number?: string
  history_from?: string
  history_limited?: boolean
  last_synced_at?: string
}

export interface Connection {
  id: string
  provider_id: string
  provider_name: string
  status: 'active' | 'reconnect_needed' | 'revoked' | string
  consent_created_at: string
  consent_expires_at: string
  refresh_deadline: string
  // Whole days until the consent ends, as the backend counts them (the
  // same number `bankdesk consents` prints); the screens never count.
  days_left: number
  last_synced_at?: string
  scopes: string[]
  accounts: number
  unfinished: boolean // saved, but the bank has not shared the accounts yet; the next sync finishes it
  history_from?: string // YYYY-MM-DD, set when the bank refused older history (history_limited)
  history_limited: boolean
}

export interface TxFilter {
  accountIds: string[]
  from: string
  to: string
  category: string
  status: '' | 'booked' | 'pending' | 'removed'
  search: string
  offset: number
  limit: number
}

export interface TxRow {
  id: string
  account_id: string
  account_name: string
  booking_date: string // YYYY-MM-DD, the bank's day: what the list shows and filters by
  booked_at: string
  description: string
  merchant: string
  category: string
  classification: string[]
  amount: string
  currency: string
  type: string
  status: 'booked' | 'pending' | 'removed'
  running_balance?: string
}

export interface TxTotals {
  currency: string
  in: string
  out: string
  count: number
}

export interface TxPage {
  rows: TxRow[]
  total: number
  totals: TxTotals[]
}

export interface CategoryTotal {
  name: string
  currency: string
  out: string
  count: number
}

export interface Spending {
  months: MonthTotals[]
  categories: CategoryTotal[]
}

export interface Connected {
  connectionId: string
  providerId: string
  accounts: number
  cards: number
  warnings: string[]
  unmatched: string[]
  missing: string[]
  unfinished: boolean // saved; the accounts come with the next sync
  existing: boolean // the bank was already connected: that connection was renewed
  notes: string[] // what happened, in sentences
}

export interface ConnectFailed {
  kind: string
  message: string
}

export interface SyncProgress {
  connectionId: string
  accountId: string
  accountName: string
  phase: string
  window: number
  windows: number
  windowFrom?: string
  windowTo?: string
  added: number
  total: number
  message?: string
  deepHistoryUntil?: string // RFC 3339: the bank serves older history until then
}

export interface SyncDone {
  connectionId: string
  ok: boolean
  error?: string
  accounts: { accountId: string; name: string; added: number; updated: number; removed?: number; historyFrom?: string; historyLimited: boolean; error?: string }[]
}

export interface SettingsView {
  env: string
  redirectUri: string
  sandboxClientId: string
  liveClientId: string
  fromEnvironment: boolean
  restartToApply: boolean
  syncIntervalMinutes: number
}

export interface EnvironmentChoice {
  env: string
  clientId: string
  clientSecret: string
  redirectUri: string
  syncIntervalMinutes: number
}

export interface ConsentView {
  connectionId: string
  providerId: string
  providerName: string
  consentCreatedAt: string
  consentExpiresAt: string
  refreshIdleDeadline: string
  daysLeft: number // until the consent ends
  status: 'active' | 'expiring' | 'reconnect_needed' | 'expired' | string
  // The deadline to put first: the consent, unless nothing keeps the
  // refresh token in use (never while the window is open).
  headline: 'consent' | 'refresh' | string
  headlineDeadline: string
  headlineDaysLeft: number
}

export interface ReminderView {
  connectionId: string
  providerName: string
  kind: 'consent' | 'refresh' | string
  step: number
  daysLeft: number
  message: string
}

export interface ReconfirmRequest {
  connectionId: string
  name: string
  email: string
  phone: string
  confirmed: boolean
}

export interface ExtendResult {
  extended: boolean
  atBank: boolean
  fallback: boolean
  message: string
  newExpiry: string
}

export interface ExportRequest {
  format: 'csv' | 'ofx'
  accountIds: string[]
  from: string
  to: string
  includePending: boolean
  semicolon: boolean
  excel: boolean
  raw: boolean
  flattenNewlines: boolean
}

export const emptyFilter = (): TxFilter => ({ accountIds: [], from: '', to: '', category: '', status: '', search: '', offset: 0, limit: 200 })

export const vault = (): Promise<VaultStatus> => App.Vault()
export const repair = (): Promise<RepairView> => App.Repair()
export const unlock = (passphrase: string): Promise<void> => App.Unlock(passphrase)
export const status = (): Promise<Status> => App.Status()
export const banks = (): Promise<Bank[]> => App.Banks()
export const accounts = (): Promise<Account[]> => App.Accounts() as Promise<Account[]>
export const connections = (): Promise<Connection[]> => App.Connections() as Promise<Connection[]>
export const transactions = (f: TxFilter): Promise<TxPage> => App.Transactions(f as never) as unknown as Promise<TxPage>
export const spending = (f: TxFilter): Promise<Spending> => App.Spending(f as never) as unknown as Promise<Spending>
export const categories = (): Promise<string[]> => App.Categories()
export const connect = (providerId: string): Promise<{ expiresAt: string }> =>
  App.Connect(providerId) as unknown as Promise<{ expiresAt: string }>
export const reconnect = (connectionId: string): Promise<{ expiresAt: string }> =>
  App.Reconnect(connectionId) as unknown as Promise<{ expiresAt: string }>
export const sync = (connectionId: string): Promise<void> => App.Sync(connectionId)
export const fetchOlderHistory = (connectionId: string): Promise<void> => App.FetchOlderHistory(connectionId)
export const syncEverything = (): Promise<void> => App.SyncEverything()
export const disconnect = (connectionId: string, keepData: boolean): Promise<void> => App.Disconnect(connectionId, keepData)
export const settings = (): Promise<SettingsView> => App.Settings() as Promise<SettingsView>
export const saveSettings = (c: EnvironmentChoice): Promise<SettingsView> => App.SaveSettings(c as never) as Promise<SettingsView>
export const consents = (): Promise<ConsentView[]> => App.Consents() as Promise<ConsentView[]>
export const snoozeReminders = (connectionId: string, days: number): Promise<void> => App.SnoozeReminders(connectionId, days)
export const reconfirm = (r: ReconfirmRequest): Promise<ExtendResult> => App.Reconfirm(r as never) as Promise<ExtendResult>
export const exportFile = (r: ExportRequest): Promise<{ path: string; rows: number }> =>
  App.Export(r as never) as Promise<{ path: string; rows: number }>
export const reportReady = (screen: string): Promise<void> => App.ReportReady(screen)

export const onConnected = (fn: (c: Connected) => void): (() => void) => EventsOn(EventConnected, fn)
export const onConnectFailed = (fn: (f: ConnectFailed) => void): (() => void) => EventsOn(EventConnectFailed, fn)
export const onSyncProgress = (fn: (p: SyncProgress) => void): (() => void) => EventsOn(EventSyncProgress, fn)
export const onSyncDone = (fn: (d: SyncDone) => void): (() => void) => EventsOn(EventSyncDone, fn)
export const onDataChanged = (fn: () => void): (() => void) => EventsOn(EventDataChanged, fn)
export const onReminder = (fn: (r: ReminderView) => void): (() => void) => EventsOn(EventReminder, fn)
export const onExportProgress = (fn: (rows: number, total: number) => void): (() => void) => EventsOn(EventExportProgress, fn)
