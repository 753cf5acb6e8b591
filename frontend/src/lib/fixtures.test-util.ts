// Backend answers for the *.test.ts files, each with a way to change a
// field. Only tests import this file.
import type { Connection, ConsentView } from './api'
import type { Status } from './environment'
import { FALLBACK_RULES } from './rules'

export const status = (over: Partial<Status> = {}): Status => ({
  environment: 'builtin',
  builtin: true,
  authUrl: 'http://127.0.0.1:41234',
  apiUrl: 'http://127.0.0.1:41235',
  clientId: 'sandbox-bankdesk',
  redirectUri: 'bankdesk://callback',
  keyring: 'file',
  dataDir: '/tmp/bankdesk',
  syncIntervalMinutes: 360,
  damaged: 0,
  damagedFile: false,
  rules: FALLBACK_RULES,
  ...over,
})

export const connection = (over: Partial<Connection> = {}): Connection => ({
  id: 'c',
  providerId: 'mock',
  providerName: 'Mock',
  status: 'active',
  consentCreatedAt: '2026-01-01T00:00:00Z',
  consentExpiresAt: '2026-04-01T00:00:00Z',
  refreshDeadline: '',
  daysLeft: 30,
  scopes: [],
  permissions: [],
  accountNames: [],
  accounts: 1,
  unfinished: false,
  historyLimited: false,
  renewUntil: '2026-06-30T00:00:00Z',
  contact: { name: '', email: '', phone: '' },
  ...over,
})

export const consent = (over: Partial<ConsentView> = {}): ConsentView => ({
  connectionId: 'c',
  providerId: 'mock',
  providerName: 'Mock',
  consentCreatedAt: '',
  consentExpiresAt: '',
  refreshIdleDeadline: '',
  daysLeft: 60,
  status: 'active',
  headline: 'consent',
  headlineDeadline: '',
  headlineDaysLeft: 60,
  ...over,
})
