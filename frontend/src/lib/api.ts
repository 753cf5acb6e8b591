// The only module that talks to the Go backend. Keeping the bindings behind it
// lets screens be tested without Wails.
import * as App from '../../wailsjs/go/app/App'
import type { Status } from './environment'

export interface Bank {
  id: string
  name: string
  logoUrl: string
  country: string
  scopes: string[]
}

export const status = (): Promise<Status> => App.Status()
export const banks = (): Promise<Bank[]> => App.Banks()
export const reportReady = (screen: string): Promise<void> => App.ReportReady(screen)
