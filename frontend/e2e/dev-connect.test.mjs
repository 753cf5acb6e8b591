// The whole connect journey against the app served by `wails dev` (real Go
// backend, built-in sandbox), driven in Debian's chromium: pick Mock, follow
// the auth link the app opened (captured by a stub xdg-open), log in as
// john/doe, hand the bankdesk:// redirect to a second bankdesk process, and
// see the accounts appear.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { launchChromium, loginByDeepLink, startDev, waitFor, waitForAsync, withTimeout } from './helpers.mjs'

let app
let browser
let page

before(async () => {
  app = await startDev()
  browser = await launchChromium()
})

after(async () => {
  await browser?.close()
  await app?.stop()
})

// restart quits the app, as a user quitting Bankdesk, and starts it again
// on the same data.
async function restartApp() {
  await app.stop()
  await withTimeout(waitForAsync(async () => !(await fetch(app.url).then((r) => r.ok, () => false))), 20000, `${app.url} still answers after quitting`)
  app = await startDev({ dir: app.dir })
}

// loginAtBank logs in at the bank behind the newest link the app opened
// (after the first seen) and hands the redirect over (loginByDeepLink).
const loginAtBank = (seen) => loginByDeepLink(app, browser, seen)

// BANKDESK_SCREENSHOTS=dir saves a picture of each screen (make screenshots).
const shots = process.env.BANKDESK_SCREENSHOTS
async function snap(page, name) {
  if (shots) await page.screenshot({ path: path.join(shots, `${name}.png`) })
}

describe('app under wails dev', () => {
  it('connects the Mock bank end to end through the deep link', async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    await page.goto(app.url)
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
    await page.getByTestId('tx-list').getByRole('option').first().waitFor()
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
    await page.getByText('Data folder', { exact: true }).waitFor()
    await snap(page, 'settings')
  })

  // Quitting and reopening twice: the built-in bank remembers the
  // connection (its tokens are sealed in the data file), so after each
  // restart it syncs (refreshing its token) and renews its consent, and
  // nothing asks to reconnect.
  it('keeps the connection across two restarts', async () => {
    for (let restart = 1; restart <= 2; restart++) {
      await page?.close()
      await restartApp()
      page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
      await page.goto(app.url)
      const rows = page.getByTestId('accounts').locator('li')
      await rows.first().waitFor({ timeout: 60000 })
      assert.equal(await rows.count(), 3, `restart ${restart}: accounts`)
      await withTimeout(waitFor(() => /sync finished.*ok=true/.test(app.log())), 120000, `restart ${restart}: the background sync never succeeded:\n${app.log()}`)
      assert.doesNotMatch(app.log(), /invalid_grant/, `restart ${restart}`)
      assert.equal(await page.getByTestId('consent-banner').count(), 0, `restart ${restart}: a consent banner`)

      await page.getByRole('button', { name: 'Sync now' }).click()
      await page.getByText(/new transactions\.|Up to date\./).waitFor({ timeout: 60000 })

      await page.getByRole('button', { name: 'Connections', exact: true }).click()
      await page.getByRole('button', { name: 'Renew consent…' }).click()
      await page.getByTestId('reconfirm').waitFor()
      await page.getByLabel('Name', { exact: true }).fill('John Doe')
      await page.getByLabel('Email').fill('john@example.com')
      await page.getByLabel(/I confirm/).check()
      const seen = app.links().length
      await page.getByRole('button', { name: 'Renew access' }).click()
      await loginAtBank(seen) // john/doe's bank asks to log in to renew
      await withTimeout(waitFor(() => /bank connected|callback failed/.test(app.log())), 30000, `restart ${restart}: the renewal never completed:\n${app.log()}`)
      assert.match(app.log(), /bank connected/, `restart ${restart}: renewal:\n${app.log()}`)
      await page.getByRole('button', { name: 'Overview', exact: true }).click()
      await rows.first().waitFor()
      assert.equal(await page.getByTestId('consent-banner').count(), 0, `restart ${restart}: a consent banner after renewing`)
    }
  })
})
