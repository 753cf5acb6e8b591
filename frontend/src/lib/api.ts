// The only module that talks to the Go backend. Keeping the bindings behind it
// lets screens be tested without Wails.
import * as App from '../../wailsjs/go/app/App'
import { EventsOn } from '../../wailsjs/runtime/runtime'
import type { Status } from './environment'

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
  message: string
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
  partial_card_number?: string
}

export interface Connected {
  connectionId: string
  providerId: string
  accounts: number
  cards: number
  warnings: string[]
}

export interface ConnectFailed {
  kind: string
  message: string
}

export const vault = (): Promise<VaultStatus> => App.Vault()
export const unlock = (passphrase: string): Promise<void> => App.Unlock(passphrase)
export const status = (): Promise<Status> => App.Status()
export const banks = (): Promise<Bank[]> => App.Banks()
export const accounts = (): Promise<Account[]> => App.Accounts() as Promise<Account[]>
export const connect = (providerId: string): Promise<{ expiresAt: string }> =>
  App.Connect(providerId) as unknown as Promise<{ expiresAt: string }>
export const reportReady = (screen: string): Promise<void> => App.ReportReady(screen)

export const onConnected = (fn: (c: Connected) => void): (() => void) => EventsOn('connect:done', fn)
export const onConnectFailed = (fn: (f: ConnectFailed) => void): (() => void) => EventsOn('connect:error', fn)
