// The only module that talks to the Go backend. Keeping the bindings behind it
// lets screens be tested without Wails.
import * as App from '../../wailsjs/go/app/App'
import { ClipboardSetText, EventsOn } from '../../wailsjs/runtime/runtime'
import type { view } from '../../wailsjs/go/models'
import {
  EventConnectFailed,
  EventConnected,
  EventDataChanged,
  EventExport,
  EventExportProgress,
  EventNavigate,
  EventReminder,
  EventSyncDone,
  EventSyncProgress,
} from './events'

// Every type the backend sends or takes is generated from Go (package
// backend/view) into wailsjs/go/models.ts; Plain strips the generated
// classes' helper methods, so plain objects (answers, test data) fit.
export type Plain<T> = T extends (infer U)[]
  ? Plain<U>[]
  : T extends object
    ? { [K in keyof T as K extends 'convertValues' ? never : K]: Plain<T[K]> }
    : T

export type Bank = Plain<view.Bank>
export type VaultStatus = Plain<view.VaultStatus>
export type RepairView = Plain<view.RepairView>
export type Account = Plain<view.AccountView>
export type Connection = Plain<view.ConnectionView>
export type TxFilter = Plain<view.TxFilter>
export type TxRow = Plain<view.TxRow>
export type TxTotals = Plain<view.TxTotals>
export type TxPage = Plain<view.TxPage>
export type TxDetail = Plain<view.TxDetail>
export type UserFields = Plain<view.UserFields>
export type CategoryTotal = Plain<view.Category>
export type Spending = Plain<view.Spending>
export type NetPosition = Plain<view.NetPosition>
export type Connected = Plain<view.Connected>
export type ConnectFailed = Plain<view.ConnectFailed>
export type Navigate = Plain<view.Navigate>
export type SyncProgress = Plain<view.SyncProgress>
export type SyncDone = Plain<view.SyncDone>
export type SettingsView = Plain<view.SettingsView>
export type EnvironmentChoice = Plain<view.EnvironmentChoice>
export type LockedReminders = Plain<view.LockedReminders>
export type ConsentView = Plain<view.ConsentView>
export type ReminderView = Plain<view.ReminderView>
export type ReconfirmRequest = Plain<view.ReconfirmRequest>
export type ExtendResult = Plain<view.ExtendResult>
export type ExportRequest = Plain<view.ExportRequest>
export type ExportDone = Plain<view.ExportDone>
export type BackupDone = Plain<view.BackupDone>
export type ConnectStart = Plain<view.ConnectStart>
export type Status = Plain<view.Status>
export type Rules = Plain<view.Rules>
export type AgentStatus = Plain<view.AgentStatus>
export type About = Plain<view.About>
export type RegularPayments = Plain<view.RegularPayments>

export const emptyFilter = (): TxFilter => ({ accountIds: [], from: '', to: '', months: 0, category: '', status: '', search: '', offset: 0, limit: 200, includeHidden: false })

export const vault = (): Promise<VaultStatus> => App.Vault()
export const repair = (): Promise<RepairView> => App.Repair()
export const unlock = (passphrase: string): Promise<void> => App.Unlock(passphrase)
export const lock = (): Promise<void> => App.Lock()
export const changePassphrase = (current: string, next: string): Promise<void> => App.ChangePassphrase(current, next)
export const autoLock = (): Promise<number> => App.AutoLock()
export const saveAutoLock = (minutes: number): Promise<number> => App.SaveAutoLock(minutes)
export const about = (): Promise<About> => App.About()
export const openDataFolder = (): Promise<void> => App.OpenDataFolder()
export const status = (): Promise<Status> => App.Status()
export const banks = (): Promise<Bank[]> => App.Banks()
export const accounts = (): Promise<Account[]> => App.Accounts()
export const netPosition = (): Promise<NetPosition[]> => App.NetPosition()
export const connections = (): Promise<Connection[]> => App.Connections()
export const transactions = (f: TxFilter): Promise<TxPage> => App.Transactions(f)
export const spending = (f: TxFilter): Promise<Spending> => App.Spending(f)
export const regularPayments = (accountId: string): Promise<RegularPayments> => App.RegularPayments(accountId)
export const categories = (): Promise<string[]> => App.Categories()
export const transactionDetail = (accountId: string, id: string): Promise<TxDetail> => App.TransactionDetail(accountId, id)
// userFields is what the person added to a transaction (what the detail
// panel edits); setUserFields replaces it, whole, and answers the row as
// it now lists.
export const userFields = (accountId: string, id: string): Promise<UserFields> => App.UserFields(accountId, id)
export const setUserFields = (accountId: string, id: string, f: UserFields): Promise<TxRow> => App.SetUserFields(accountId, id, f as view.UserFields)
export const connect = (providerId: string): Promise<ConnectStart> => App.Connect(providerId)
export const reconnect = (connectionId: string): Promise<ConnectStart> => App.Reconnect(connectionId)
// The login the window waits for: its link opened again, and its finish
// from the address the bank sent the browser to.
export const openLoginAgain = (): Promise<void> => App.OpenLoginAgain()
export const completePasted = (address: string): Promise<void> => App.CompletePasted(address)
export const sync = (connectionId: string): Promise<void> => App.Sync(connectionId)
export const fetchOlderHistory = (connectionId: string): Promise<void> => App.FetchOlderHistory(connectionId)
export const syncEverything = (): Promise<void> => App.SyncEverything()
export const disconnect = (connectionId: string, keepData: boolean): Promise<void> => App.Disconnect(connectionId, keepData)
export const settings = (): Promise<SettingsView> => App.Settings()
export const saveSettings = (c: EnvironmentChoice): Promise<SettingsView> => App.SaveSettings(c)
export const lockedReminders = (): Promise<LockedReminders> => App.LockedReminders()
export const saveLockedReminders = (nameBanks: boolean): Promise<LockedReminders> => App.SaveLockedReminders(nameBanks)
export const theme = (): Promise<string> => App.Theme()
export const saveTheme = (t: string): Promise<string> => App.SaveTheme(t)
export const agentStatus = (): Promise<AgentStatus> => App.AgentStatus()
export const setAgent = (on: boolean): Promise<AgentStatus> => App.SetAgent(on)
export const agentOffer = (): Promise<boolean> => App.AgentOffer()
export const declineAgentOffer = (): Promise<void> => App.DeclineAgentOffer()
export const consents = (): Promise<ConsentView[]> => App.Consents()
export const snoozeReminders = (connectionId: string, days: number): Promise<void> => App.SnoozeReminders(connectionId, days)
export const reconfirm = (r: ReconfirmRequest): Promise<ExtendResult> => App.Reconfirm(r)
export const exportFile = (r: ExportRequest): Promise<ExportDone> => App.Export(r)
// backup asks where to save (the native dialog), then writes the encrypted
// backup; an empty path is a cancelled dialog.
export const backup = (passphrase: string): Promise<BackupDone> => App.Backup(passphrase)
// The file the last export wrote, opened or shown in its folder.
export const openExport = (): Promise<void> => App.OpenExport()
export const showExport = (): Promise<void> => App.ShowExport()
export const reportReady = (screen: string): Promise<void> => App.ReportReady(screen)
export const reportScreen = (screen: string): Promise<void> => App.ReportScreen(screen)
export const rememberWindow = (): Promise<void> => App.RememberWindow()

// copyText puts text on the clipboard: the desktop's, through Wails, else
// the page's (a browser). It answers whether either took it.
export async function copyText(text: string): Promise<boolean> {
  try {
    if (await ClipboardSetText(text)) return true
  } catch {
    // not in a Wails window: try the browser's clipboard
  }
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    return false
  }
}

export const onConnected = (fn: (c: Connected) => void): (() => void) => EventsOn(EventConnected, fn)
export const onConnectFailed = (fn: (f: ConnectFailed) => void): (() => void) => EventsOn(EventConnectFailed, fn)
// The app menu: a screen to show, or the export form.
export const onNavigate = (fn: (n: Navigate) => void): (() => void) => EventsOn(EventNavigate, fn)
export const onExport = (fn: () => void): (() => void) => EventsOn(EventExport, fn)
export const onSyncProgress = (fn: (p: SyncProgress) => void): (() => void) => EventsOn(EventSyncProgress, fn)
export const onSyncDone = (fn: (d: SyncDone) => void): (() => void) => EventsOn(EventSyncDone, fn)
export const onDataChanged = (fn: () => void): (() => void) => EventsOn(EventDataChanged, fn)
export const onReminder = (fn: (r: ReminderView) => void): (() => void) => EventsOn(EventReminder, fn)
export const onExportProgress = (fn: (rows: number, total: number) => void): (() => void) => EventsOn(EventExportProgress, fn)
