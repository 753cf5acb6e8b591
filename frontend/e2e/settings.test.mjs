// Settings for users (under wails dev, chromium): the appearance and
// security cards come first, the environment and credentials wait under
// Advanced; Lock now asks for the passphrase again, the auto-lock period
// is kept, and a changed passphrase is the only one that unlocks.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { launchChromium, startDev } from './helpers.mjs'

let app
let browser

before(async () => {
  app = await startDev({ port: 34185 })
  browser = await launchChromium()
})

after(async () => {
  await browser?.close()
  await app?.stop()
})

async function unlockWith(page, passphrase) {
  await page.getByTestId('passphrase').waitFor()
  await page.locator('#passphrase').fill(passphrase)
  await page.getByRole('button', { name: 'Unlock' }).click()
}

describe('settings', () => {
  it('locks, keeps the auto-lock period, and changes the passphrase', async () => {
    const page = await browser.newPage({ viewport: { width: 1024, height: 700 } })
    await page.goto(app.url)
    await page.getByTestId('banks').waitFor({ timeout: 60000 })
    await page.getByRole('button', { name: 'Settings', exact: true }).click()

    const headings = await page.locator('section h2').allInnerTexts()
    assert.deepEqual(headings.slice(0, 2), ['Appearance', 'Security'], `cards in order: ${headings}`)
    assert.ok(!(await page.getByTestId('settings-form').isVisible()), 'the environment form is open without asking')
    await page.getByTestId('advanced').locator('summary').click()
    assert.ok(await page.getByTestId('settings-form').isVisible(), 'Advanced does not open')
    assert.match(await page.getByTestId('about').innerText(), /Bankdesk \d+\.\d+/)

    await page.getByTestId('auto-lock').selectOption('5')
    await page.waitForTimeout(300)
    await page.reload()
    await page.getByTestId('banks').waitFor({ timeout: 60000 })
    await page.getByRole('button', { name: 'Settings', exact: true }).click()
    assert.equal(await page.getByTestId('auto-lock').inputValue(), '5', 'the auto-lock period was not kept')

    await page.getByTestId('lock-now').click()
    await unlockWith(page, 'not the passphrase')
    await page.getByTestId('passphrase').getByRole('alert').waitFor()
    await unlockWith(page, 'e2e dev passphrase')
    await page.getByTestId('banks').waitFor({ timeout: 30000 })

    await page.getByRole('button', { name: 'Settings', exact: true }).click()
    const form = page.getByTestId('change-passphrase')
    await form.getByLabel('Current passphrase').fill('not the passphrase')
    await form.getByLabel('New passphrase', { exact: true }).fill('a brand new passphrase')
    await form.getByLabel('Repeat the new passphrase').fill('a brand new passphrase')
    await form.getByRole('button', { name: 'Change passphrase' }).click()
    await form.getByRole('alert').waitFor()
    await form.getByLabel('Current passphrase').fill('e2e dev passphrase')
    await form.getByRole('button', { name: 'Change passphrase' }).click()
    await form.getByText('Passphrase changed.').waitFor({ timeout: 30000 })

    await page.getByTestId('lock-now').click()
    await unlockWith(page, 'e2e dev passphrase')
    await page.getByTestId('passphrase').getByRole('alert').waitFor()
    await unlockWith(page, 'a brand new passphrase')
    await page.getByTestId('banks').waitFor({ timeout: 30000 })
  })
})
