// While waiting for the bank, against the app served by `wails dev` (real
// Go backend, built-in sandbox), in Debian's chromium: the waiting card
// copies the auth link and opens it again, says until when it works, and
// finishes the connection from the address the bank sent the browser to,
// pasted by hand, for a system where the bankdesk:// link never reaches
// the app. Junk pasted there gets a sentence and changes nothing.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { bankLogin, launchChromium, snapSizes, startDev, waitFor, withTimeout } from './helpers.mjs'

let dev
let browser

before(async () => {
  // Not wails' default port: this file may run beside dev-connect's app.
  dev = await startDev({ port: 34125 })
  browser = await launchChromium()
})

after(async () => {
  await browser?.close()
  await dev?.stop()
})

// The waiting card at the window's sizes (BANKDESK_SCREENSHOTS).
const snapCard = (page, name) => snapSizes(page, name, { show: () => page.getByTestId('waiting').scrollIntoViewIfNeeded() })

describe('waiting for the bank under wails dev', () => {
  it('finishes a connection from the pasted bank address, and refuses junk in a sentence', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    await page.goto(dev.url)
    await page.getByTestId('banks').waitFor()
    await page.getByRole('button', { name: 'Connect Mock' }).click()
    await withTimeout(waitFor(() => dev.links().length === 1), 20000, 'the app never opened an auth link')
    const [link] = dev.links()
    assert.match(link, /provider_id=mock/)
    const card = page.getByTestId('waiting')
    await card.waitFor()
    assert.match(await card.getByTestId('link-validity').innerText(), /^This link works until \d\d:\d\d\.$/)

    // Copy link: the clipboard takes it, and the card says so.
    await card.getByTestId('copy-link').click()
    await card.getByText('✓ Copied').waitFor()
    // Open again: the backend opens the same link once more.
    await card.getByTestId('open-again').click()
    await withTimeout(waitFor(() => dev.links().length === 2), 20000, 'Open again opened nothing')
    assert.deepEqual(dev.links(), [link, link])

    // Junk and an empty field: a sentence each, and the wait goes on.
    const field = card.getByTestId('paste-address')
    const finish = card.getByTestId('paste-finish')
    const refusal = card.getByTestId('paste-error')
    await field.fill('bankdesk://callback?code=not-a-code')
    await finish.click()
    await refusal.waitFor()
    assert.match(await refusal.innerText(), /^That is not the address your bank sent you to\. It starts with bankdesk:\/\/callback/)
    await field.fill('   ')
    await field.press('Enter') // the form submits from the keyboard too
    await page.getByText('Paste the address first').waitFor()
    await field.fill('https://example.com/?code=abc&state=xyz')
    await finish.click()
    await page.getByText(/^That is not the address your bank sent you to/).waitFor()
    await snapCard(page, 'waiting-card-error')

    // The bank's answer, which nothing hands to the app, pasted by hand.
    const callback = await bankLogin(browser, link)
    assert.match(callback, /^bankdesk:\/\/callback\?code=[^&]+&.*state=/)
    await field.fill('')
    await snapCard(page, 'waiting-card')
    await field.fill(callback)
    await finish.click()

    await page.getByTestId('notice').waitFor({ timeout: 60000 })
    assert.match(await page.getByTestId('notice').innerText(), /2 accounts and 1 card/)
    const rows = page.getByTestId('accounts').locator('li')
    await rows.first().waitFor()
    assert.equal(await rows.count(), 3)
    assert.equal(await page.getByTestId('waiting').count(), 0, 'the waiting card stayed')
  })
})
