// Every state has a screen, against the app served by `wails dev` (real Go
// backend, built-in sandbox), in Debian's chromium: Connections with no bank
// says so and offers "Connect a bank"; once Mock is connected, an account's
// "Upcoming and regular payments" lists the standing orders and direct
// debits the bank shared, with their exact amounts; disconnecting with
// "keep data" leaves the accounts on the Overview, "Disconnected: last
// balance on <date>".
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { bankLogin, launchChromium, snapSizes, startDev, waitFor, withTimeout } from './helpers.mjs'

let dev
let browser

before(async () => {
  // Not wails' default port: other files' apps may run beside this one.
  dev = await startDev({ port: 34145 })
  browser = await launchChromium()
})

after(async () => {
  await browser?.close()
  await dev?.stop()
})

// Each state at the window's sizes, whole pages (BANKDESK_SCREENSHOTS).
const snap = (page, name) => snapSizes(page, name, { fullPage: true })

// money is an exact decimal string as the screens write it: "£1,234.50".
function money(s) {
  const [whole, fraction = ''] = s.replace(/^-/, '').split('.')
  return (s.startsWith('-') ? '−' : '') + '£' + whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + '.' + (fraction + '00').slice(0, Math.max(2, fraction.replace(/0+$/, '').length))
}

const nav = (page, name) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true }).click()

describe('every state has a screen', () => {
  it('shows no bank, regular payments, and kept accounts after a disconnect', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    await page.goto(dev.url)
    await page.getByTestId('banks').waitFor()

    // No bank yet: Connections says so and its button leads to the banks.
    await nav(page, 'Connections')
    const empty = page.getByTestId('connections-empty')
    await empty.waitFor()
    assert.match(await empty.innerText(), /No bank connected/)
    await snap(page, 'connections-empty')
    await empty.getByRole('button', { name: 'Connect a bank' }).click()
    await page.getByTestId('banks').waitFor()

    // Connect Mock (the bank's address pasted by hand, as a user may), and
    // let the first sync finish.
    await page.getByRole('button', { name: 'Connect Mock' }).click()
    await withTimeout(waitFor(() => dev.links().length === 1), 20000, 'the app never opened an auth link')
    const callback = await bankLogin(browser, dev.links()[0])
    await page.getByTestId('paste-address').fill(callback)
    await page.getByTestId('paste-finish').click()
    await page.getByTestId('notice').waitFor({ timeout: 60000 })
    await page.getByText(/new transactions\.|Up to date\./).waitFor({ timeout: 180000 })

    // Connections: permissions in words, the accounts held, each current
    // account's regular payments.
    await nav(page, 'Connections')
    const card = page.getByTestId('connection-card')
    await card.waitFor()
    const perms = await card.getByTestId('permissions').innerText()
    assert.match(perms, /your standing orders/i)
    assert.doesNotMatch(perms, /standing_orders|offline_access|direct_debits/)
    // The account holder's name, and their contact details behind a disclosure.
    const holder = card.getByTestId('holder')
    assert.match(await holder.innerText(), /John Doe/)
    assert.equal(await holder.getByText('john@doe.com').isVisible(), false, 'contact details start folded')
    await holder.getByText('Contact details the bank holds').click()
    await holder.getByText('john@doe.com').waitFor()
    await snap(page, 'connections')
    const accounts = await page.evaluate(() => window.go.app.App.Accounts())
    const current = accounts.find((a) => a.kind === 'account' && a.type === 'TRANSACTION') ?? accounts[0]
    await card.getByRole('button', { name: `Upcoming and regular payments of ${current.displayName}` }).click()

    const view = page.getByTestId('regular-payments')
    await view.getByTestId('standing-orders').waitFor()
    const want = await page.evaluate((id) => window.go.app.App.RegularPayments(id), current.id)
    assert.ok(want.standingOrders.length > 0 && want.directDebits.length > 0, 'the sandbox lists standing orders and direct debits')
    const orders = view.getByTestId('standing-orders').locator('tbody tr')
    assert.equal(await orders.count(), want.standingOrders.length)
    for (const [i, o] of want.standingOrders.entries()) {
      const text = await orders.nth(i).innerText()
      assert.ok(text.includes(o.payee), `row ${i} names ${o.payee}: ${text}`)
      assert.ok(text.includes(money(o.nextAmount)), `row ${i} pays ${money(o.nextAmount)}: ${text}`)
      assert.match(text, /every month on the \d+(st|nd|rd|th)/)
    }
    const debits = view.getByTestId('direct-debits').locator('tbody tr')
    assert.equal(await debits.count(), want.directDebits.length)
    for (const [i, d] of want.directDebits.entries()) {
      const text = await debits.nth(i).innerText()
      assert.ok(text.includes(d.name), `row ${i} names ${d.name}: ${text}`)
      if (d.lastAmount) assert.ok(text.includes(money(d.lastAmount)), `row ${i} took ${money(d.lastAmount)}: ${text}`)
    }
    await snap(page, 'regular-payments')

    // Disconnect, keeping the data: the Overview still shows the accounts.
    await nav(page, 'Connections')
    await card.getByRole('button', { name: 'Disconnect…' }).click()
    const confirm = page.getByRole('alertdialog')
    assert.ok(await confirm.getByRole('checkbox').isChecked(), 'keep data is the default')
    await confirm.getByRole('button', { name: 'Disconnect', exact: true }).click()
    await page.getByTestId('connections-empty').waitFor()
    const after = await page.evaluate(() => window.go.app.App.Accounts())
    assert.ok(after.length === accounts.length && after.every((a) => a.disconnected), `kept accounts: ${JSON.stringify(after)}`)
    await nav(page, 'Overview')
    const kept = page.getByTestId('kept-accounts')
    await kept.waitFor()
    const lines = kept.getByTestId('last-balance')
    assert.equal(await lines.count(), accounts.length)
    for (let i = 0; i < accounts.length; i++) {
      assert.match(await lines.nth(i).innerText(), /^Disconnected: last balance on \S+ \S+ \d{4}$/)
    }
    assert.match(await kept.innerText(), /£/)
    await snap(page, 'overview-kept')
    await page.close()
  })
})
