// The whole connect journey against the app served by `wails dev` (real Go
// backend, built-in sandbox), driven in Debian's chromium: pick Mock, follow
// the auth link the app opened (captured by a stub xdg-open), log in as
// john/doe, hand the bankdesk:// redirect to a second bankdesk process, and
// see the accounts appear.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { bin, launchChromium, root, tempDir, waitFor, waitForAsync, withTimeout } from './helpers.mjs'

const devURL = 'http://localhost:34115'
let dev
let devLog = ''
let browser
let env
let opened
let page

async function answers(url) {
  try {
    const r = await fetch(url)
    return r.ok
  } catch {
    return false
  }
}

before(async () => {
  const dir = tempDir('bankdesk-dev-')
  const stubs = path.join(dir, 'bin')
  mkdirSync(stubs)
  opened = path.join(dir, 'opened.txt')
  // The app opens auth links with xdg-open; this stub records them instead.
  writeFileSync(path.join(stubs, 'xdg-open'), `#!/bin/sh\necho "$1" >> "${opened}"\n`)
  chmodSync(path.join(stubs, 'xdg-open'), 0o755)
  env = {
    ...process.env,
    PATH: `${stubs}:${process.env.PATH}`,
    BANKDESK_DATA_DIR: path.join(dir, 'data'),
    BANKDESK_ENV: '',
    BANKDESK_KEYRING: 'file',
    BANKDESK_PASSPHRASE: 'e2e dev passphrase',
    XDG_DATA_HOME: path.join(dir, 'xdg'),
    XDG_CONFIG_HOME: path.join(dir, 'xdg-config'),
  }
  await startDev()
  browser = await launchChromium()
})

after(async () => {
  await browser?.close()
  await stopDev()
})

// startDev serves the app with `wails dev` (the Go backend built and run
// with the test's environment) and waits until it answers.
async function startDev() {
  assert.ok(!(await answers(devURL)), `something already serves ${devURL}`)
  devLog = ''
  dev = spawn('go', ['tool', 'wails', 'dev', '-m', '-nosyncgomod', '-noreload', '-loglevel', 'Info'], {
    cwd: root,
    env,
    detached: true, // its own process group, so the app it starts goes too
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const collect = (chunk) => (devLog += chunk)
  dev.stdout.setEncoding('utf8').on('data', collect)
  dev.stderr.setEncoding('utf8').on('data', collect)
  const exited = new Promise((_, reject) => dev.once('exit', (c) => reject(new Error(`wails dev exited ${c}:\n${devLog}`))))
  await withTimeout(
    Promise.race([exited, (async () => { while (!(await answers(devURL))) await new Promise((r) => setTimeout(r, 1000)) })()]),
    300000,
    'wails dev never served the app',
  )
}

// stopDev quits the app and `wails dev`, as a user quitting Bankdesk.
async function stopDev() {
  if (dev && dev.exitCode === null) {
    const exit = new Promise((r) => dev.once('exit', r))
    try {
      process.kill(-dev.pid, 'SIGTERM')
    } catch {}
    await Promise.race([exit, new Promise((r) => setTimeout(r, 10000))])
    try {
      process.kill(-dev.pid, 'SIGKILL')
    } catch {}
  }
  await withTimeout(waitForAsync(async () => !(await answers(devURL))), 20000, `${devURL} still answers after quitting`)
}

// loginAtBank follows the newest link the app opened, logs in as john/doe,
// and hands the bankdesk:// redirect to a second bankdesk process, as the
// OS does with the scheme handler.
async function loginAtBank(seen) {
  await withTimeout(waitFor(() => existsSync(opened) && readFileSync(opened, 'utf8').trim().split('\n').length > seen), 20000, 'the app never opened an auth link')
  const link = readFileSync(opened, 'utf8').trim().split('\n').pop()
  const bank = await browser.newPage()
  await bank.goto(link)
  // A new connection asks for consent first; a renewal goes straight to the login.
  const allow = bank.getByRole('button', { name: /allow/i })
  await allow.or(bank.locator('#username')).first().waitFor()
  if (await allow.count()) await allow.click()
  await bank.locator('#username').fill('john')
  await bank.locator('#password').fill('doe')
  const redirect = bank.waitForResponse((r) => (r.headers()['location'] ?? '').startsWith('bankdesk://'))
  await bank.locator('#login').click()
  const callback = (await redirect).headers()['location']
  await bank.close()
  const second = spawnSync(bin, [callback], { env, encoding: 'utf8', timeout: 60000 })
  assert.equal(second.status, 1, `second instance should forward and exit 1: ${second.stderr}`)
  return link
}

function linksOpened() {
  return existsSync(opened) ? readFileSync(opened, 'utf8').trim().split('\n').length : 0
}

// BANKDESK_SCREENSHOTS=dir saves a picture of each screen (make screenshots).
const shots = process.env.BANKDESK_SCREENSHOTS
async function snap(page, name) {
  if (shots) await page.screenshot({ path: path.join(shots, `${name}.png`) })
}

describe('app under wails dev', () => {
  it('connects the Mock bank end to end through the deep link', async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    await page.goto(devURL)
    await page.getByTestId('banks').waitFor()
    await snap(page, 'connect')
    await page.getByRole('button', { name: 'Connect Mock' }).click()
    await page.getByTestId('waiting').waitFor()
    const link = await loginAtBank(0)
    assert.match(link, /provider_id=mock/)

    await page.getByTestId('notice').waitFor({ timeout: 30000 })
    assert.match(await page.getByTestId('notice').innerText(), /2 accounts and 1 card/)
    const rows = page.getByTestId('accounts').locator('li')
    await rows.first().waitFor()
    assert.equal(await rows.count(), 3)

    // The backfill starts at once, the older history first (the bank
    // shares it only for minutes), balances after; wait for it, then read
    // the balances and the history.
    await page.getByText(/new transactions\.|Up to date\./).waitFor({ timeout: 120000 })
    assert.match(await page.getByTestId('accounts').innerText(), /£/)
    await page.getByTestId('history-depth').first().waitFor()
    assert.match(await page.getByTestId('history-depth').first().innerText(), /since \w+ \d{4}/)
    await snap(page, 'overview')

    await page.getByRole('button', { name: 'Transactions', exact: true }).click()
    const count = async () => Number((await page.getByTestId('tx-count').innerText()).replace(/[^0-9]/g, ''))
    await waitForAsync(async () => (await count()) > 1000)
    const all = await count()
    await page.getByTestId('tx-list').getByRole('listitem').first().waitFor()
    await page.getByTestId('tx-search').fill('tesco')
    await waitForAsync(async () => (await count()) < all)
    const found = await count()
    assert.ok(found > 0 && found < all, `search narrowed ${all} to ${found}`)
    assert.match(await page.getByTestId('tx-list').innerText(), /tesco/i)
    await page.getByTestId('tx-search').fill('')
    await waitForAsync(async () => (await count()) === all)
    await snap(page, 'transactions')

    await page.getByRole('button', { name: 'Spending', exact: true }).click()
    const bars = page.getByTestId('monthly-chart').locator('rect')
    await bars.first().waitFor()
    assert.ok((await bars.count()) >= 12, 'monthly chart has bars')
    assert.ok((await page.getByTestId('category-chart').locator('li').count()) > 0, 'category chart has rows')
    await snap(page, 'spending')
    await page.getByRole('button', { name: 'Connections', exact: true }).click()
    await page.getByText('Refresh deadline').waitFor()
    await snap(page, 'connections')
    await page.getByRole('button', { name: 'Settings', exact: true }).click()
    await page.getByText('Data folder').waitFor()
    await snap(page, 'settings')
  })

  // Quitting and reopening twice: the built-in bank remembers the
  // connection (its tokens are sealed in the data file), so after each
  // restart it syncs (refreshing its token) and renews its consent, and
  // nothing asks to reconnect.
  it('keeps the connection across two restarts', async () => {
    for (let restart = 1; restart <= 2; restart++) {
      await page?.close()
      await stopDev()
      await startDev()
      page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
      await page.goto(devURL)
      const rows = page.getByTestId('accounts').locator('li')
      await rows.first().waitFor({ timeout: 60000 })
      assert.equal(await rows.count(), 3, `restart ${restart}: accounts`)
      await withTimeout(waitFor(() => /sync finished.*ok=true/.test(devLog)), 120000, `restart ${restart}: the background sync never succeeded:\n${devLog}`)
      assert.doesNotMatch(devLog, /invalid_grant/, `restart ${restart}`)
      assert.equal(await page.getByTestId('consent-banner').count(), 0, `restart ${restart}: a consent banner`)

      await page.getByRole('button', { name: 'Sync now' }).click()
      await page.getByText(/new transactions\.|Up to date\./).waitFor({ timeout: 60000 })

      await page.getByRole('button', { name: 'Connections', exact: true }).click()
      await page.getByRole('button', { name: 'Renew consent…' }).click()
      await page.getByTestId('reconfirm').waitFor()
      await page.getByLabel('Name', { exact: true }).fill('John Doe')
      await page.getByLabel('Email').fill('john@example.com')
      await page.getByLabel(/I confirm/).check()
      const seen = linksOpened()
      await page.getByRole('button', { name: 'Renew access' }).click()
      await loginAtBank(seen) // john/doe's bank asks to log in to renew
      await withTimeout(waitFor(() => /bank connected|callback failed/.test(devLog)), 30000, `restart ${restart}: the renewal never completed:\n${devLog}`)
      assert.match(devLog, /bank connected/, `restart ${restart}: renewal:\n${devLog}`)
      await page.getByRole('button', { name: 'Overview', exact: true }).click()
      await rows.first().waitFor()
      assert.equal(await page.getByTestId('consent-banner').count(), 0, `restart ${restart}: a consent banner after renewing`)
    }
  })
})
