// Human words, against the app served by `wails dev` (real Go backend,
// built-in sandbox), in Debian's chromium: a bank error during a login
// reads as a sentence with the technical line behind "Details"; a notice
// closes; a forged deep link handed to a second bankdesk process is told
// on the screen the user is on; renewing with a one-word name ends on
// Connections with the success; a wrong passphrase is a sentence.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { bankLogin, bin, devPassphrase, launchChromium, startDev, waitFor, withTimeout } from './helpers.mjs'

let dev
let browser
let page

before(async () => {
  // Not wails' default port: other e2e files may run beside this one.
  dev = await startDev({ port: 34135 })
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  await page.goto(dev.url)
})

after(async () => {
  await browser?.close()
  await dev?.stop()
})

// BANKDESK_SCREENSHOTS=dir saves the states at the window's sizes.
const shots = process.env.BANKDESK_SCREENSHOTS
async function snapSizes(name, testid) {
  if (!shots) return
  mkdirSync(shots, { recursive: true })
  for (const [width, height] of [[800, 560], [1024, 700], [1280, 800]]) {
    await page.setViewportSize({ width, height })
    if (testid) await page.getByTestId(testid).first().scrollIntoViewIfNeeded()
    await page.screenshot({ path: path.join(shots, `${name}-${width}x${height}.png`) })
  }
  await page.setViewportSize({ width: 1280, height: 800 })
}

// handOver gives a bankdesk:// link to a second bankdesk process, as the
// desktop does with the bank's redirect; it forwards it to the app and
// exits 1 (Wails' single-instance lock).
function handOver(link) {
  const second = spawnSync(bin, [link], { env: dev.env, encoding: 'utf8', timeout: 60000 })
  assert.equal(second.status, 1, `second instance should forward and exit 1: ${second.stderr}`)
}

// connectMock starts a connection to Mock from the bank list and returns the
// auth link the app opened.
async function connectMock() {
  const before = dev.links().length
  if (!(await page.getByTestId('banks').isVisible())) await page.getByRole('button', { name: 'Connect a bank' }).click()
  await page.getByRole('button', { name: 'Connect Mock' }).click()
  try {
    await withTimeout(waitFor(() => dev.links().length > before), 20000, 'the app never opened an auth link')
  } catch (e) {
    throw new Error(`${e.message}; the page says: ${await page.locator('main').innerText()}\n${dev.log().slice(-3000)}`)
  }
  return dev.links().at(-1)
}

const developerText = /truelayer|GET |POST |correlation|\/data\/v1|[0-9a-f]{16,}/

describe('human words under wails dev', () => {
  it('a bank error during a login reads as a sentence, its technical line behind Details', async () => {
    await page.getByTestId('banks').waitFor()
    const link = await connectMock()
    handOver(await bankLogin(browser, link, { user: 'error.provider_error', pass: 'error' }))
    // The bank fails every call: the login is refused, or kept unfinished
    // with its first sync failing; either way a sentence says so.
    const box = page.getByTestId('connect-error').or(page.getByTestId('sync-error')).first()
    await box.waitFor({ timeout: 60000 })
    const message = await box.getByTestId('problem-message').innerText()
    assert.doesNotMatch(message, developerText)
    assert.match(message, /^[A-Z].*\.$/)
    const details = box.getByTestId('problem-details')
    assert.equal(await details.locator('code').isVisible(), false, 'details start closed')
    await details.locator('summary').click()
    const line = await details.locator('code').innerText()
    assert.match(line, /503/)
    assert.match(line, /correlation id/)
    await snapSizes('connect-error-details', await box.getAttribute('data-testid'))
  })

  it('a notice can be closed', async () => {
    const link = await connectMock()
    handOver(await bankLogin(browser, link))
    const notice = page.getByTestId('notice')
    await notice.waitFor({ timeout: 60000 })
    assert.equal(await page.getByTestId('connect-error').count(), 0, 'the old error stayed beside the new notice')
    await notice.getByTestId('notice-close').click()
    await notice.waitFor({ state: 'detached' })
  })

  it('a forged deep link is told on the screen the user is on', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Spending' }).click()
    await page.getByRole('heading', { name: 'Spending', exact: true }).waitFor()
    handOver('bankdesk://callback?code=not-a-real-code&state=forged-state')
    const box = page.getByTestId('connect-error')
    await box.waitFor()
    assert.doesNotMatch(await box.getByTestId('problem-message').innerText(), developerText)
    assert.ok(await page.getByRole('heading', { name: 'Spending', exact: true }).isVisible(), 'the error moved the user off Spending')
    await box.getByTestId('problem-close').click()
    await box.waitFor({ state: 'detached' })
  })

  it('renewing with a one-word name ends on Connections with its success', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Connections' }).click()
    // john's connection, not the error user's that has no account.
    const johns = page.locator('article.card').filter({ hasText: 'Club Classic Current Account' })
    await johns.getByRole('button', { name: 'Renew consent…' }).click()
    const form = page.getByTestId('reconfirm')
    await form.waitFor()
    // Renewing the day it was made gains nothing: the form says so, and still allows it.
    assert.match(await form.getByTestId('renew-note').innerText(), /already runs until/)
    await form.getByTestId('renew-name').fill('John')
    await form.getByTestId('renew-email').fill('john@example.com')
    await form.getByRole('checkbox').check()
    const before = dev.links().length
    await form.getByRole('button', { name: 'Renew access' }).click()
    // john/doe's bank asks for a login: the app opens it in the browser.
    await withTimeout(waitFor(() => dev.links().length > before), 20000, 'the app never opened the bank login')
    handOver(await bankLogin(browser, dev.links().at(-1)))
    await page.getByRole('heading', { name: 'Connections', exact: true }).waitFor({ timeout: 60000 })
    const notice = page.getByTestId('notice')
    await notice.waitFor()
    assert.match(await notice.innerText(), /Your access to Mock is renewed until \d+ \w+ \d{4}\./)
    await snapSizes('renew-success', 'notice')

    // The form remembers the name and email it was given.
    await johns.getByRole('button', { name: 'Renew consent…' }).click()
    assert.equal(await page.getByTestId('renew-name').inputValue(), 'John')
    assert.equal(await page.getByTestId('renew-email').inputValue(), 'john@example.com')
  })

  it('a wrong passphrase reads as a sentence, and the field is emptied for another try', async () => {
    await dev.stop()
    dev = await startDev({ port: 34135, dir: dev.dir, passphrase: '' })
    await page.goto(dev.url)
    const field = page.locator('#passphrase')
    await field.fill('not the passphrase')
    await page.getByRole('button', { name: 'Unlock' }).click()
    const error = page.getByTestId('passphrase-error')
    await error.waitFor()
    const message = await error.getByTestId('problem-message').innerText()
    assert.match(message, /^That passphrase is not right/)
    assert.doesNotMatch(message, /vault:/)
    assert.equal(await field.inputValue(), '')
    assert.ok(await field.evaluate((el) => el === document.activeElement), 'the field lost the focus')
    await snapSizes('unlock-wrong', 'passphrase-error')
    await field.fill(devPassphrase)
    await page.getByRole('button', { name: 'Unlock' }).click()
    await page.getByRole('navigation', { name: 'Main' }).waitFor()
  })
})
