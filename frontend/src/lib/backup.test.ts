import { describe, expect, it } from 'vitest'
import { backupDoneText } from './backup'

describe('backupDoneText', () => {
  it('says what the backup holds and where', () => {
    expect(backupDoneText({ path: '/home/me/Documents/bankdesk-2026-12-01.age', connections: 1, accounts: 3, transactions: 2 })).toBe(
      'Backed up 1 connection, 3 accounts and 2 transactions to /home/me/Documents/bankdesk-2026-12-01.age. ' +
        'Keep its passphrase: without it the backup cannot be opened.',
    )
  })
  it('says one of each in the singular', () => {
    expect(backupDoneText({ path: '/b.age', connections: 2, accounts: 1, transactions: 1 })).toContain('2 connections, 1 account and 1 transaction')
  })
  it('says nothing when the save dialog was cancelled', () => {
    expect(backupDoneText({ path: '', connections: 0, accounts: 0, transactions: 0 })).toBe('')
  })
})
