// The Transactions screen a person can work with, in the app served by
// `wails dev` after connecting the Mock bank through the deep link: column
// headers and month separators; the keyboard moves through the list and
// Enter opens a row's details (the bank's ids among them), Esc closes them
// and gives the list the focus back; a search that matches nothing says so
// and Clear filters brings every row back; the export offers the list's
// search; an inverted date range is refused at the field, without a
// request. The row count is a quiet line beside the totals, not part of
// the title, "1 transaction" for one; the filter bar wraps as whole groups
// (a label with its field) into at most two rows at the window's minimum
// (800×560) and at 1024×700, never scrolling sideways. The search
// language narrows by fields, and a search that does not parse says why.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { connectedDev, snapSizes, waitForAsync } from './helpers.mjs'

const dev = connectedDev(34165) // its own port: other e2e files run their apps beside this one
let page

// BANKDESK_SCREENSHOTS=dir saves the screen at the app's sizes.
const snap = (name) => snapSizes(page, name, { show: () => new Promise((r) => setTimeout(r, 300)) })

// filterRows measures the filter bar: each group's box (a field with its
// label, the two dates), the distinct rows they sit in, the labels whose
// text and field are on different lines, and any sideways scroll.
function filterRows() {
  return page.locator('form[role="search"]').evaluate((form) => {
    const groups = [...form.children].filter((el) => el.getClientRects().length && !el.matches('.range-error, .search-problem')).map((el) => {
      const r = el.getBoundingClientRect()
      return { text: el.textContent.trim().slice(0, 20), top: Math.round(r.top), bottom: Math.round(r.bottom) }
    })
    const rows = []
    for (const g of groups) if (!rows.some((t) => Math.abs(t - g.top) <= 4)) rows.push(g.top)
    const split = [...form.querySelectorAll('label')]
      .filter((l) => l.querySelector('input, select') && !l.querySelector('.sr'))
      .filter((l) => {
        const field = l.querySelector('input, select').getBoundingClientRect()
        const text = document.createRange()
        text.selectNodeContents(l.firstChild)
        const t = text.getBoundingClientRect()
        return t.bottom <= field.top || t.top >= field.bottom
      })
      .map((l) => l.textContent.trim())
    const main = form.closest('main')
    return { groups, rows, split, sideways: Math.max(main.scrollWidth - main.clientWidth, document.documentElement.scrollWidth - document.documentElement.clientWidth) }
  })
}

const count = async () => Number((await page.getByTestId('tx-count').innerText()).replace(/[^0-9]/g, ''))

describe('transactions under wails dev', () => {
  it('lists, opens, finds nothing and refuses a backwards range', async () => {
    page = await dev.connect()

    await page.getByRole('button', { name: 'Transactions', exact: true }).click()
    await waitForAsync(async () => (await count()) > 1000)
    const all = await count()

    // The count beside the totals, not in the title's row: the title says
    // what the screen is, the status line how many rows the filters match.
    const countEl = page.getByTestId('tx-count')
    assert.match(await countEl.innerText(), /^[\d,]+ transactions$/)
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Transactions')
    const where = await countEl.evaluate((el) => ({
      inHeading: !!el.closest('h1, h2'),
      besideTitle: el.parentElement.contains(document.querySelector('#tx-title')),
      inTotals: !!el.closest('[data-testid="tx-totals"]'),
      role: el.getAttribute('role'),
    }))
    assert.deepEqual(where, { inHeading: false, besideTitle: false, inTotals: true, role: 'status' }, 'the count is the totals line\'s, a status a screen reader hears')
    assert.doesNotMatch(await page.locator('#tx-title').evaluate((h) => h.parentElement.textContent), /\d+ transactions?/, 'no count in the title row')

    // The filter bar at the window's sizes: whole groups, two rows at most.
    for (const [width, height] of [[800, 560], [1024, 700]]) {
      await page.setViewportSize({ width, height })
      const bar = await filterRows()
      assert.ok(bar.rows.length <= 2, `${width}×${height}: the filters take ${bar.rows.length} rows: ${JSON.stringify(bar.groups)}`)
      assert.deepEqual(bar.split, [], `${width}×${height}: a label wraps apart from its field`)
      assert.ok(bar.sideways <= 0, `${width}×${height}: the screen scrolls sideways by ${bar.sideways}px`)
    }
    await page.setViewportSize({ width: 1280, height: 800 })

    // Column headers, and a separator per month, newest first.
    const head = await page.getByTestId('tx-head').innerText()
    for (const h of ['DATE', 'DESCRIPTION', 'CATEGORY', 'AMOUNT', 'BALANCE']) assert.ok(head.toUpperCase().includes(h), `no ${h} header in ${JSON.stringify(head)}`)
    const months = await page.getByTestId('tx-month').allInnerTexts()
    assert.ok(months.length >= 1, 'no month separator')
    assert.match(months[0], /^[A-Z][a-z]+ \d{4}\s+[\d,]+ transactions?$/)
    // The bank gives the current account a running balance.
    await page.getByTestId('tx-account').selectOption({ index: 1 }) // the current account
    await waitForAsync(async () => (await count()) < all)
    await page.getByTestId('tx-status').selectOption('booked')
    await waitForAsync(async () => (await page.locator('.tx-row .bal').first().innerText()).includes('£'))
    await snap('tx-list')

    // The list's focus is on its first row; ArrowDown moves down, Enter
    // opens the row's details.
    const list = page.getByTestId('tx-list')
    await list.focus()
    assert.equal(await list.getAttribute('aria-activedescendant'), 'tx-opt-0', 'the focused list is on its first row')
    await page.keyboard.press('ArrowDown')
    const activeId = await list.getAttribute('aria-activedescendant')
    assert.equal(activeId, 'tx-opt-1', 'ArrowDown moves to the second row')
    await page.keyboard.press('Enter')
    const panel = page.getByTestId('tx-detail')
    await panel.waitFor()
    assert.ok(await panel.evaluate((el) => el.contains(document.activeElement)), 'focus moved into the details')
    const text = await panel.innerText()
    assert.match(text, /Provider transaction id\s+\S+/, `no provider transaction id in ${text}`)
    assert.match(text, /Bank timestamp\s+\d{4}-\d{2}-\d{2}T/)
    assert.match(text, /Balance after\s+−?£/)
    await snap('tx-detail')
    await page.keyboard.press('Escape')
    await panel.waitFor({ state: 'detached' })
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'tx-list', 'Esc gives the list the focus back')
    assert.equal(await list.getAttribute('aria-activedescendant'), 'tx-opt-1', 'on the same row')
    // End goes to the last row, scrolled into view (the list is virtual).
    const shown = await count()
    await page.keyboard.press('End')
    await waitForAsync(async () => (await list.getAttribute('aria-activedescendant')) === `tx-opt-${shown - 1}`)
    assert.ok(await page.locator(`#tx-opt-${shown - 1}`).isVisible(), 'the last row is in view')
    await page.keyboard.press('Home')
    await waitForAsync(async () => (await list.getAttribute('aria-activedescendant')) === 'tx-opt-0')

    // A search that matches nothing says so; Clear filters restores every row.
    await page.getByTestId('tx-search').fill('no such transaction zzz')
    await page.getByTestId('tx-empty').waitFor()
    assert.match(await page.getByTestId('tx-empty').innerText(), /No transactions match/)
    assert.equal(await count(), 0)
    await snap('tx-empty')
    await page.getByTestId('tx-clear').click()
    await waitForAsync(async () => (await count()) === all)
    assert.equal(await page.getByTestId('tx-search').inputValue(), '')

    // The search language: fields narrow the list; a search that does not
    // parse says what is wrong under the field, and clears with the fix.
    await page.getByTestId('tx-search').fill('amount:>1000 -is:pending')
    await waitForAsync(async () => (await count()) > 0 && (await count()) < all / 10)
    assert.equal(await page.getByTestId('tx-search-problem').count(), 0, 'a search that parses has no problem shown')
    await page.getByTestId('tx-search').fill('amount:lots')
    await page.getByTestId('tx-search-problem').waitFor()
    assert.match(await page.getByTestId('tx-search-problem').innerText(), /^Amount: "lots" is not a number\./)
    assert.equal(await page.getByTestId('tx-search').getAttribute('aria-invalid'), 'true')
    await page.getByTestId('tx-search').fill('amount:>1000')
    await waitForAsync(async () => (await page.getByTestId('tx-search-problem').count()) === 0)

        // The export offers the list's search (and category) and ticks it.
    await page.getByTestId('tx-search').fill('tesco')
    await waitForAsync(async () => (await count()) < all)
    await page.getByTestId('export-open').click()
    const only = page.getByTestId('export-list-filters')
    await only.waitFor()
    assert.ok(await only.isChecked(), 'the export takes the list filters')
    assert.match(await page.getByTestId('export-panel').innerText(), /Only the transactions the list shows \(matching “tesco”\)/)
    await page.getByRole('button', { name: 'Close', exact: true }).click()
    await page.getByTestId('tx-search').fill('')
    await waitForAsync(async () => (await count()) === all)

    // An end before the start is refused at the field, and nothing is asked.
    await page.getByTestId('tx-from').fill('2026-06-10')
    await waitForAsync(async () => (await count()) < all)
    const before = await count()
    let asked = 0
    await page.exposeFunction('__asked', () => asked++)
    await page.evaluate(() => {
      const app = window.go.app.App
      const orig = app.Transactions
      app.Transactions = (...args) => {
        window.__asked()
        return orig(...args)
      }
    })
    await page.getByTestId('tx-to').fill('2026-06-01')
    await page.getByTestId('tx-range-error').waitFor()
    assert.match(await page.getByTestId('tx-range-error').innerText(), /end date is before the start date/)
    assert.equal(await page.getByTestId('tx-to').getAttribute('aria-invalid'), 'true')
    await new Promise((r) => setTimeout(r, 500))
    assert.equal(asked, 0, 'a backwards range was sent to the backend')
    assert.equal(await count(), before)
  })
})
