// The built-in sandbox's auth dialog, driven as a person would in chromium:
// permissions, bank selection, login as john/doe, and the redirect back to
// bankdesk://callback carrying a code and the state we sent.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { bankdesk, launchChromium, startSandbox } from './helpers.mjs'

let sandbox
let browser

before(async () => {
  sandbox = await startSandbox()
  browser = await launchChromium()
})

after(async () => {
  await browser?.close()
  await sandbox?.stop()
})

// redirectTo follows the dialog until the server redirects to the app's custom
// scheme; chromium cannot open bankdesk:// itself, so we read the Location.
function waitForAppRedirect(page) {
  return page
    .waitForResponse((r) => (r.headers()['location'] ?? '').startsWith('bankdesk://'), { timeout: 15000 })
    .then((r) => new URL(r.headers()['location']))
}

async function openDialog(page, args) {
  const link = bankdesk(['auth-link', ...args], sandbox.env)
  const u = new URL(link)
  assert.equal(u.origin, new URL(sandbox.env.BANKDESK_AUTH_URL).origin)
  assert.match(link, /scope=info%20accounts%20/, 'scopes are separated by %20, not +')
  await page.goto(link)
}

describe('auth dialog in chromium', () => {
  it('logs in as john/doe and redirects with code and the original state', async () => {
    const page = await browser.newPage()
    const state = 'st-' + Math.random().toString(36).slice(2)
    await openDialog(page, ['--state', state])

    await page.getByRole('button', { name: /allow/i }).click()
    await page.getByText('Mock', { exact: true }).first().click()
    await page.locator('#username').fill('john')
    await page.locator('#password').fill('doe')
    const redirected = waitForAppRedirect(page)
    await page.locator('#login').click()
    const cb = await redirected

    assert.equal(cb.protocol, 'bankdesk:')
    assert.equal(cb.searchParams.get('state'), state)
    assert.match(cb.searchParams.get('code') ?? '', /\S{16,}/)
    assert.equal(cb.searchParams.get('error'), null)
    await page.close()
  })

  it('rejects a wrong password and stays on the login form', async () => {
    const page = await browser.newPage()
    await openDialog(page, ['--state', 'wrong-pw', '--provider', 'mock'])
    await page.getByRole('button', { name: /allow/i }).click()
    await page.locator('#username').fill('john')
    await page.locator('#password').fill('not-the-password')
    await page.locator('#login').click()
    await page.locator('#username').waitFor()
    assert.match(await page.content(), /incorrect|wrong|invalid/i)
    await page.close()
  })

  it('cancel returns error=access_denied with the state', async () => {
    const page = await browser.newPage()
    await openDialog(page, ['--state', 'cancel-me', '--provider', 'mock'])
    const redirected = waitForAppRedirect(page)
    await page.getByRole('button', { name: /cancel/i }).first().click()
    const cb = await redirected
    assert.equal(cb.searchParams.get('error'), 'access_denied')
    assert.equal(cb.searchParams.get('state'), 'cancel-me')
    assert.equal(cb.searchParams.get('code'), null)
    await page.close()
  })
})
