// The Spending charts in the app served by `wails dev` (real Go backend,
// built-in sandbox) in Debian's chromium, after connecting the Mock bank:
// the monthly chart has a y-axis of increasing money values inside the
// picture; pointing at a month, or moving to it with the keyboard, shows
// its month and figures, which add up to the totals line, in the totals
// line's words and money formatting; "Show as table" (a button the
// keyboard reaches) shows the same months' figures in a table, the
// period's total under them, and "Show as chart" brings it back; at the window's
// minimum size (800×560) month labels never overlap or leave the picture,
// for 12, 24 and 72 months; the chart follows the window's width; a small
// account gets a scale of its own; the category rows show their amounts,
// uncut, and a focused row names its figure.
//
// BANKDESK_SCREENSHOTS=dir saves Spending at 800×560, 1024×700 and
// 1280×800 in light and dark as charts-<w>x<h>-<theme>.png.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import axe from 'axe-core'
import { launchChromium, loginByDeepLink, pence, startDev, waitForAsync } from './helpers.mjs'

let app
let browser

before(async () => {
  // Not wails' default port: other e2e files run their apps beside this one.
  app = await startDev({ port: 34195 })
  browser = await launchChromium()
})

after(async () => {
  await browser?.close()
  await app?.stop()
})

// axisValue reads a y-axis label ("£0", "£40", "£2.5k", "£1,500", "£0.20").
function axisValue(text) {
  const m = /^£([\d,]+(?:\.\d+)?)([km]?)$/.exec(text)
  assert.ok(m, `not an axis value: ${JSON.stringify(text)}`)
  return Number(m[1].replaceAll(',', '')) * { '': 1, k: 1e3, m: 1e6 }[m[2]]
}

const names = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
const monthTitle = (ym) => `${names[Number(ym.slice(5)) - 1]} ${ym.slice(0, 4)}`

// axis reads the chart's labels with their boxes, and the picture's box.
function axis(page) {
  return page.getByTestId('monthly-chart').evaluate((svg) => {
    const box = (el) => {
      const r = el.getBoundingClientRect()
      return { text: el.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom }
    }
    const all = (id) => [...svg.querySelectorAll(`[data-testid="${id}"]`)].map(box)
    return { svg: box(svg), y: all('y-label'), months: all('month-label'), years: all('year-label') }
  })
}

// totalsWords are the words before the totals line's two figures
// ("Received", "Spent"); tipWords the tooltip's before its figures.
const wordsOf = (loc) => loc.evaluateAll((els) => els.map((el) => el.firstChild.textContent.trim()))
let page
const totalsWords = () => wordsOf(page.getByTestId('sp-totals').locator(':scope > span'))
const tipWords = () => wordsOf(page.getByTestId('chart-tip').locator(':scope > span'))

const overlap = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom
const inside = (a, o) => a.left >= o.left - 0.5 && a.right <= o.right + 0.5 && a.top >= o.top - 0.5 && a.bottom <= o.bottom + 0.5

// labelProblems lists labels that leave the picture or overlap another.
function labelProblems(a) {
  const out = []
  const every = [...a.y, ...a.months, ...a.years]
  for (const l of every) if (!inside(l, a.svg)) out.push(`"${l.text}" leaves the chart: ${JSON.stringify(l)} of ${JSON.stringify(a.svg)}`)
  for (let i = 0; i < every.length; i++) {
    for (let j = i + 1; j < every.length; j++) if (overlap(every[i], every[j])) out.push(`"${every[i].text}" overlaps "${every[j].text}"`)
  }
  for (const m of a.months) if (!/^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\*?$/.test(m.text)) out.push(`"${m.text}" is not a month`)
  for (const y of a.years) if (!/^\d{4}$/.test(y.text)) out.push(`"${y.text}" is not a year`)
  return out
}

async function choosePeriod(page, months) {
  await page.getByTestId('sp-months').selectOption(String(months))
  const bars = page.getByTestId('monthly-chart').locator('rect[data-kind="out"]')
  await waitForAsync(async () => (await bars.count()) === months, 15000)
}

describe('Spending charts under wails dev', () => {
  it('have an axis, show values on hover and focus, and keep their labels apart at every size', async () => {
    page = await browser.newPage({ viewport: { width: 800, height: 560 } })
    await page.goto(app.url)
    await page.getByRole('button', { name: 'Connect Mock' }).click()
    await loginByDeepLink(app, browser, 0)
    await page.getByText(/new transactions\.|Up to date\./).waitFor({ timeout: 120000 })
    await page.getByRole('button', { name: 'Spending', exact: true }).click()
    const chart = page.getByTestId('monthly-chart')
    await chart.locator('rect[data-kind="out"]').first().waitFor()

    // The y-axis: round money values from £0 up, inside the picture.
    const a = await axis(page)
    const ys = a.y.map((l) => axisValue(l.text))
    assert.ok(ys.length >= 3, `y-axis labels: ${a.y.map((l) => l.text)}`)
    assert.equal(ys[0], 0)
    for (let i = 1; i < ys.length; i++) assert.ok(ys[i] > ys[i - 1], `y-axis values increase: ${a.y.map((l) => l.text)}`)
    for (let i = 1; i < a.y.length; i++) assert.ok(a.y[i].bottom <= a.y[i - 1].top + 0.5, 'a larger value sits higher')
    assert.equal(await chart.locator('.grid line').count(), ys.length, 'a gridline per value')
    const maxBar = Math.max(...(await chart.locator('rect[data-kind]').evaluateAll((rs) => rs.map((r) => Math.abs(Number(r.dataset.value))))))
    assert.ok(ys.at(-1) >= maxBar && ys.at(-2) < maxBar, `the axis ${ys} just covers the largest month, ${maxBar}`)

    // Pointing at a month shows its month and its own figures.
    const cols = chart.locator('g.col')
    const n = await cols.count()
    assert.equal(n, 12)
    const tip = page.getByTestId('chart-tip')
    const figures = async (i) => {
      const col = cols.nth(i)
      return {
        month: await col.getAttribute('data-month'),
        in: pence(await col.locator('rect[data-kind="in"]').getAttribute('data-value')),
        out: pence(await col.locator('rect[data-kind="out"]').getAttribute('data-value')),
      }
    }
    const shows = async (f) => {
      assert.match(await page.getByTestId('tip-month').innerText(), new RegExp(`^${monthTitle(f.month)}( \\(so far\\))?$`))
      const tin = await page.getByTestId('tip-in').innerText()
      const tout = await page.getByTestId('tip-out').innerText()
      assert.equal(pence(tin), f.in, `${f.month} in: ${tin}`)
      assert.equal(pence(tout), f.out, `${f.month} out: ${tout}`)
      // Written as the totals line writes money: its words say the direction.
      assert.match(tin, /^£[\d,]+\.\d{2}$/, 'money in as the totals line writes it')
      assert.match(tout, /^£[\d,]+\.\d{2}$/, 'money spent as the totals line writes it')
      assert.deepEqual(await tipWords(), await totalsWords(), 'the tooltip names its figures as the totals line does')
      // Beside its month, not over its bars or the y-axis, and inside the chart.
      const tipBox = await tip.boundingBox()
      const colBox = await chart.locator(`g.col[data-month="${f.month}"] rect.hit`).boundingBox()
      const svgBox = await chart.boundingBox()
      const yRight = Math.max(...(await axis(page)).y.map((l) => l.right))
      assert.ok(tipBox.x >= colBox.x + colBox.width || tipBox.x + tipBox.width <= colBox.x, `the tooltip ${JSON.stringify(tipBox)} covers ${f.month} ${JSON.stringify(colBox)}`)
      assert.ok(tipBox.x >= yRight && tipBox.x + tipBox.width <= svgBox.x + svgBox.width + 0.5, `the tooltip ${JSON.stringify(tipBox)} leaves the plot`)
    }
    const third = await figures(3)
    await chart.locator(`rect[data-month="${third.month}"][data-kind="out"]`).hover()
    await tip.waitFor()
    await shows(third)
    await page.mouse.move(0, 0)
    await tip.waitFor({ state: 'hidden' })

    // The keyboard: past the period, the chart-or-table toggle, then one
    // tab stop, on the latest month; arrows, Home and End move it, and
    // every month's figures add up to the totals line.
    const focusedText = () => page.evaluate(() => document.activeElement?.textContent?.trim())
    await page.getByTestId('sp-months').focus()
    await page.keyboard.press('Tab')
    assert.equal(await focusedText(), 'Show as table', 'the keyboard reaches the table toggle')
    await page.keyboard.press('Tab')
    const focusedMonth = () => page.evaluate(() => document.activeElement?.getAttribute('data-month'))
    assert.equal(await focusedMonth(), (await figures(n - 1)).month, 'Tab reaches the latest month')
    const [wordIn, wordOut] = (await totalsWords()).map((w) => w.toLowerCase())
    assert.equal(
      await cols.nth(n - 1).getAttribute('aria-label'),
      `${await page.getByTestId('tip-month').innerText()}: ${wordIn} ${await page.getByTestId('tip-in').innerText()}, ${wordOut} ${await page.getByTestId('tip-out').innerText()}`,
      'a screen reader hears what the tooltip shows, in the totals line\'s words',
    )
    await page.keyboard.press('ArrowLeft')
    assert.equal(await focusedMonth(), (await figures(n - 2)).month)
    await page.keyboard.press('Home')
    let sumIn = 0n
    let sumOut = 0n
    for (let i = 0; i < n; i++) {
      const f = await figures(i)
      assert.equal(await focusedMonth(), f.month)
      await shows(f)
      sumIn += pence(await page.getByTestId('tip-in').innerText())
      sumOut += pence(await page.getByTestId('tip-out').innerText())
      await page.keyboard.press('ArrowRight')
    }
    assert.equal(await focusedMonth(), (await figures(n - 1)).month, 'ArrowRight stops at the latest month')
    const latestTip = { in: await page.getByTestId('tip-in').innerText(), out: await page.getByTestId('tip-out').innerText() }
    assert.equal(sumIn, pence(await page.getByTestId('sp-in').innerText()), 'the months add up to the money in of the totals line')
    assert.equal(sumOut, pence(await page.getByTestId('sp-out').innerText()), 'the months add up to the money spent of the totals line')
    await page.keyboard.press('Tab')
    assert.notEqual(await focusedMonth(), (await figures(n - 1)).month, 'Tab leaves the chart: one tab stop')

    // The table: the keyboard reaches "Show as table"; its table has the
    // chart's months, in order, with the tooltip's text for each figure
    // (the chart's value, as the totals line writes money), headed by the
    // totals line's words, and the totals line's figures as its total.
    const plotted = []
    for (let i = 0; i < n; i++) plotted.push(await figures(i))
    await page.getByTestId('sp-months').focus()
    await page.keyboard.press('Tab')
    assert.equal(await focusedText(), 'Show as table')
    await page.keyboard.press('Enter')
    const table = page.getByRole('table', { name: /^Money in and out by month, / })
    await table.waitFor()
    assert.equal(await chart.count(), 0, 'the table takes the chart\'s place')
    assert.match(await table.locator('caption').innerText(), new RegExp(`^Money in and out by month, ${(await page.getByTestId('sp-period').innerText()).replace(/[()]/g, '\\$&')}$`), 'the caption says the period')
    const heads = await table.locator('thead th').evaluateAll((ths) => ths.map((th) => `${th.getAttribute('scope')}:${th.textContent.trim()}`))
    assert.deepEqual(heads, ['col:Month', ...(await totalsWords()).map((w) => `col:${w}`)], 'column headers in the totals line\'s words')
    const tableRows = await table.locator('tbody tr').evaluateAll((trs) =>
      trs.map((tr) => ({ month: tr.dataset.month, scope: tr.querySelector('th')?.getAttribute('scope'), title: tr.querySelector('th')?.textContent.trim(), in: tr.cells[1].textContent.trim(), out: tr.cells[2].textContent.trim() })),
    )
    assert.deepEqual(tableRows.map((r) => r.month), plotted.map((f) => f.month), 'the table has the chart\'s months, in its order')
    tableRows.forEach((r, i) => {
      assert.equal(r.scope, 'row', `${r.month} heads its row`)
      assert.match(r.title, new RegExp(`^${monthTitle(r.month)}( \\(so far\\))?$`))
      assert.equal(pence(r.in), plotted[i].in, `${r.month}: the table's money in is the chart's`)
      assert.equal(pence(r.out), plotted[i].out, `${r.month}: the table's money spent is the chart's`)
      assert.match(r.in, /^£[\d,]+\.\d{2}$/)
      assert.match(r.out, /^−?£[\d,]+\.\d{2}$/)
    })
    assert.deepEqual({ in: tableRows.at(-1).in, out: tableRows.at(-1).out }, latestTip, 'the table writes a month as the tooltip does')
    const foot = await table.locator('tfoot tr').evaluate((tr) => [...tr.cells].map((c) => c.textContent.trim()))
    assert.deepEqual(foot, ['Total', await page.getByTestId('sp-in').innerText(), await page.getByTestId('sp-out').innerText()], 'the table\'s total is the totals line')
    await page.addScriptTag({ content: axe.source })
    const tableViolations = await page.evaluate(async () => (await window.axe.run('[data-testid="monthly-table"]', { resultTypes: ['violations'] })).violations.map((v) => `${v.impact} ${v.id}`))
    assert.deepEqual(tableViolations, [], 'axe finds nothing in the table')
    assert.equal(await focusedText(), 'Show as chart', 'the toggle keeps the focus and now offers the chart')
    await page.keyboard.press('Enter')
    await chart.locator('rect[data-kind="out"]').first().waitFor()
    assert.equal(await table.count(), 0)

    await chart.locator('g.col[tabindex="0"]').focus()
    const violations = await page.evaluate(async () => (await window.axe.run('[data-testid="monthly-chart"]', { resultTypes: ['violations'] })).violations.map((v) => `${v.impact} ${v.id}`))
    assert.deepEqual(violations, [], 'axe finds nothing in the chart')

    // At 800×560: labels apart and inside the picture, for 12, 24 and 72 months.
    for (const months of [12, 24, 72]) {
      await choosePeriod(page, months)
      // The tooltip, if any, is the focused month's: new months do not
      // give an old month's place new figures (11th of 12 is not 11th of 24).
      const still = await focusedMonth()
      if (still) assert.match(await page.getByTestId('tip-month').innerText(), new RegExp(`^${monthTitle(still)}( \\(so far\\))?$`), 'the tooltip is the focused month')
      else assert.equal(await tip.count(), 0, 'no tooltip is left behind')
      const b = await axis(page)
      assert.deepEqual(labelProblems(b), [], `${months} months at 800×560`)
      assert.ok(b.months.length >= 4, `${months} months get at least four month labels: ${b.months.map((l) => l.text)}`)
      if (months === 72) assert.ok(b.years.length >= 6, `six years are named: ${b.years.map((l) => l.text)}`)
    }

    // The chart follows the window: wider at 1280, still inside its card.
    const narrow = (await axis(page)).svg
    await page.setViewportSize({ width: 1280, height: 800 })
    await waitForAsync(async () => (await axis(page)).svg.right - (await axis(page)).svg.left > narrow.right - narrow.left + 200, 5000)
    const wide = await axis(page)
    assert.deepEqual(labelProblems(wide), [], '72 months at 1280×800')
    const card = await chart.evaluate((svg) => svg.closest('.card').getBoundingClientRect().right)
    assert.ok(wide.svg.right <= card, 'the chart stays inside its card')
    await page.setViewportSize({ width: 800, height: 560 })
    await waitForAsync(async () => Math.abs((await axis(page)).svg.right - narrow.right) < 1, 5000)
    assert.deepEqual(labelProblems(await axis(page)), [], 'back at 800×560')

    // The category rows: amounts shown uncut, and a focused row names its figure.
    const rows = page.getByTestId('category-chart').getByRole('button')
    assert.ok((await rows.count()) > 0)
    const cut = await page.getByTestId('category-chart').evaluate((ul) =>
      [...ul.querySelectorAll('.cat-name, .amt')].filter((el) => el.scrollWidth > el.clientWidth + 1 || el.getBoundingClientRect().right > ul.getBoundingClientRect().right + 1).map((el) => el.textContent),
    )
    assert.deepEqual(cut, [], 'no category name or amount is cut')
    await rows.first().focus()
    const amount = await rows.first().getByTestId('cat-amount').innerText()
    assert.ok((await rows.first().getAttribute('aria-label')).includes(amount), 'the focused row names its amount')

    // Screenshots at every size, in both themes, with a month's figures showing.
    const shots = process.env.BANKDESK_SCREENSHOTS
    if (shots) {
      mkdirSync(shots, { recursive: true })
      await choosePeriod(page, 12)
      for (const colorScheme of ['light', 'dark']) {
        await page.emulateMedia({ colorScheme })
        for (const [width, height] of [[800, 560], [1024, 700], [1280, 800]]) {
          await page.setViewportSize({ width, height })
          await chart.locator('g.col').nth(9).focus()
          await page.screenshot({ path: path.join(shots, `charts-${width}x${height}-${colorScheme}.png`) })
        }
        await choosePeriod(page, 72)
        await page.screenshot({ path: path.join(shots, `charts-72-1280x800-${colorScheme}.png`) })
        await page.setViewportSize({ width: 800, height: 560 })
        await page.screenshot({ path: path.join(shots, `charts-72-800x560-${colorScheme}.png`) })
        await choosePeriod(page, 12)
      }
      await page.emulateMedia({ colorScheme: 'light' })
    }

    // A small account gets a scale of its own, not the whole bank's.
    const accounts = await page.getByTestId('sp-account').locator('option').allInnerTexts()
    const saver = accounts.find((t) => /saver|saving/i.test(t))
    assert.ok(saver, `a savings account among ${accounts}`)
    await page.getByTestId('sp-account').selectOption({ label: saver })
    await waitForAsync(async () => axisValue((await axis(page)).y.at(-1).text) < ys.at(-1), 15000)
    const small = await axis(page)
    const smallYs = small.y.map((l) => axisValue(l.text))
    assert.ok(smallYs.length >= 3, `the saver's axis: ${small.y.map((l) => l.text)}`)
    const smallMax = Math.max(...(await chart.locator('rect[data-kind]').evaluateAll((rs) => rs.map((r) => Math.abs(Number(r.dataset.value))))))
    assert.ok(smallYs.at(-1) >= smallMax && smallYs.at(-2) < smallMax, `the saver's axis ${smallYs} just covers its largest month, ${smallMax}`)
    assert.deepEqual(labelProblems(small), [], "the saver's chart at 800×560")
    if (shots) await page.screenshot({ path: path.join(shots, 'charts-saver-800x560-light.png') })
  })
})
