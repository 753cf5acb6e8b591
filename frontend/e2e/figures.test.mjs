// The figures a person reads agree with each other and with the backend,
// in the app served by `wails dev` after connecting the Mock bank through
// the deep link: the Overview shows the card's balance as owed, with a
// minus, and a net position that is the backend's and the tiles' sum;
// Spending's "12 months" charts twelve months whose money out adds up to
// its categories; a category opens Transactions on the same figure; and
// Transactions shows In, Out and Transfers apart, In as Spending has it.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { launchChromium, loginByDeepLink, pence, snapSizes, startDev, waitForAsync } from './helpers.mjs'

let app
let browser
let page

before(async () => {
  // Not wails' default port: other e2e files run their apps beside this one.
  app = await startDev({ port: 34135 })
  browser = await launchChromium()
})

after(async () => {
  await browser?.close()
  await app?.stop()
})

const sum = (values) => values.reduce((a, b) => a + b, 0n)

describe('figures under wails dev', () => {
  it('agree between the Overview, Spending, Transactions and the backend', async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    await page.goto(app.url)
    await page.getByTestId('banks').waitFor()
    await page.getByRole('button', { name: 'Connect Mock' }).click()
    await page.getByTestId('waiting').waitFor()
    await loginByDeepLink(app, browser, 0)
    await page.getByText(/new transactions\.|Up to date\./).waitFor({ timeout: 120000 })

    // The Overview: the card is owed, with a minus; its available amount is credit.
    const backend = await page.evaluate(async () => ({ accounts: await window.go.app.App.Accounts(), net: await window.go.app.App.NetPosition() }))
    const card = backend.accounts.find((a) => a.kind === 'card')
    assert.ok(card && card.owes && card.current.startsWith('-'), `the backend's card: ${JSON.stringify(card)}`)
    const tile = page.getByTestId('accounts').locator('li').filter({ hasText: 'Card ••' })
    await tile.getByTestId('balance').waitFor()
    const cardText = await tile.getByTestId('balance').innerText()
    assert.match(cardText, /^−£[\d,]+\.\d{2} owed$/, 'the card shows as owed')
    assert.equal(pence(cardText), pence(card.current))
    assert.match(await tile.getByTestId('available').innerText(), /^available credit £/)
    assert.match(await tile.ariaSnapshot(), /button ".*−£[\d,]+\.\d{2} owed.*"/, 'a screen reader hears the card as owed')

    // The net position is the backend's, and the sum of the tiles.
    assert.equal(backend.net.length, 1)
    const netText = await page.getByTestId('net-figure').innerText()
    assert.equal(pence(netText), pence(backend.net[0].net), `net position ${netText}, the backend's ${backend.net[0].net}`)
    const tiles = await page.getByTestId('balance').allInnerTexts()
    assert.equal(tiles.length, 3)
    assert.equal(sum(tiles.map(pence)), pence(netText), `tiles ${tiles} against the net position ${netText}`)
    await snapSizes(page, 'figures-overview')

    // Spending for 12 months: twelve months, the current one marked, and
    // money out by month adds up to the categories and the period's total.
    await page.getByRole('button', { name: 'Spending', exact: true }).click()
    assert.equal(await page.getByTestId('sp-months').inputValue(), '12')
    const outBars = page.getByTestId('monthly-chart').locator('rect[data-kind="out"]')
    await outBars.first().waitFor()
    assert.equal(await outBars.count(), 12, 'twelve months charted')
    assert.match(await page.getByTestId('sp-period').innerText(), /^\d+ \w+ \d{4} to \d+ \w+ \d{4} \(\w+ so far\)$/)
    const barsOut = sum((await outBars.evaluateAll((rs) => rs.map((r) => r.dataset.value))).map(pence))
    const cats = (await page.getByTestId('cat-amount').allInnerTexts()).map(pence)
    const spent = pence(await page.getByTestId('sp-out').innerText())
    assert.equal(sum(cats), barsOut, 'the categories add up to the monthly bars')
    assert.equal(spent, barsOut, "the period's total is the bars' sum")
    const spIn = pence(await page.getByTestId('sp-in').innerText())
    assert.ok(!(await page.getByTestId('category-chart').innerText()).includes('TRANSFER'))
    await snapSizes(page, 'figures-spending')

    // A category opens Transactions on its rows: the same money out.
    const top = page.getByTestId('category-chart').locator('li').first()
    const topName = await top.locator('.cat-name').innerText()
    const topOut = pence(await top.getByTestId('cat-amount').innerText())
    await top.getByRole('button').click()
    const out = page.getByTestId('total-out').locator('strong')
    await out.waitFor()
    await waitForAsync(async () => pence(await out.innerText()) === -topOut, 10000).catch(() => {})
    assert.equal(pence(await out.innerText()), -topOut, `${topName}: Transactions out against Spending's`)

    // The whole period: In as Spending has it, transfers apart, and money
    // in is marked with a plus.
    await page.locator('select').filter({ hasText: 'All categories' }).selectOption('')
    await waitForAsync(async () => pence(await out.innerText()) === -spent, 10000).catch(() => {})
    assert.equal(pence(await out.innerText()), -spent, 'Transactions out against Spending for the same period')
    assert.equal(pence(await page.getByTestId('total-in').locator('strong').innerText()), spIn, 'Transactions in against Spending')
    assert.match(await page.getByTestId('total-transfers').innerText(), /^Transfers \+£[\d,]+\.\d{2} \/ −£[\d,]+\.\d{2}$/, 'every account: transfers both ways')
    assert.doesNotMatch(await page.getByTestId('tx-list').innerText(), /\bTRANSFER\b/)
    await snapSizes(page, 'figures-transactions')
    await page.getByTestId('tx-search').fill('salary')
    const plus = page.getByTestId('tx-list').locator('.amt.pos').first()
    await plus.waitFor()
    assert.match(await plus.innerText(), /^\+£[\d,]+\.\d{2}$/)
  })
})
