// The person's own fields of a transaction (issue 15 §1), in the app served
// by `wails dev` after connecting the Mock bank: in a row's details they set
// a category of their own (a new one, typed), a note over two lines, tags
// (Enter adds, Backspace in the empty field takes the last off) and a payee
// name, each saved on Enter or on leaving the field with a quiet "Saved";
// the bank's fields stay apart under "From your bank". The list shows the
// payee name over the bank's text, the category, the tags and a note mark;
// Spending moves the amount from the bank's category to the person's for
// the same period, its totals unchanged; the search finds the note, the
// payee name and a tag. Hiding the row leaves it out ("1 hidden", the
// totals unchanged), Undo brings it back, Show lists it marked hidden.
// After a restart everything is still there, and "Reset to the bank's"
// gives the category back. axe-core finds nothing serious in the edited
// panel, light or dark.
//
// BANKDESK_SCREENSHOTS=dir saves the panel and the list at 800×560,
// 1024×700 and 1280×800 in light and dark as own-<what>-<w>x<h>-<theme>.png.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { axeProblems, connectedDev, pence, startDev, waitForAsync, withTimeout } from './helpers.mjs'

const port = 34225 // this file's own: other e2e files run their apps beside this one
const dev = connectedDev(port)
const shots = process.env.BANKDESK_SCREENSHOTS
let page

const nav = (name) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true }).click()
const count = async () => Number((await page.getByTestId('tx-count').innerText()).replace(/[^0-9]/g, ''))
const panel = () => page.getByTestId('tx-detail')
const saved = () => waitForAsync(async () => (await page.getByTestId('own-status').innerText()).startsWith('Saved'), 10000)


// search types into the list's search and waits for its count to settle.
async function search(text) {
  const was = await count()
  await page.getByTestId('tx-search').fill(text)
  await waitForAsync(async () => (await count()) !== was || (await page.getByTestId('tx-search').inputValue()) === text)
  await new Promise((r) => setTimeout(r, 400)) // the debounce, and the answer after it
}

// spendingByCategory reads Spending's categories (12 months, every
// account) as name → pence, and its money out.
async function spendingByCategory() {
  await nav('Spending')
  await page.getByTestId('category-chart').waitFor()
  await new Promise((r) => setTimeout(r, 500))
  const rows = await page.getByTestId('category-chart').locator('.cat-row').evaluateAll((els) =>
    els.map((el) => [el.querySelector('.cat-name').textContent.trim(), el.querySelector('.amt').textContent.trim()]),
  )
  return { cats: new Map(rows.map(([n, a]) => [n, pence(a)])), out: pence(await page.getByTestId('sp-out').innerText()) }
}

// openFirst opens the list's first row with the keyboard.
async function openFirst() {
  await page.getByTestId('tx-list').focus()
  await page.keyboard.press('Home')
  await page.keyboard.press('Enter')
  await panel().waitFor()
}

// snap saves the page at the app's sizes in the theme set now.
async function snap(name, theme) {
  if (!shots) return
  mkdirSync(shots, { recursive: true })
  for (const [width, height] of [[800, 560], [1024, 700], [1280, 800]]) {
    await page.setViewportSize({ width, height })
    await new Promise((r) => setTimeout(r, 300))
    await page.screenshot({ path: path.join(shots, `own-${name}-${width}x${height}-${theme}.png`) })
  }
  await page.setViewportSize({ width: 1280, height: 800 })
}

const newCategory = 'Treats for others'
const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
let target // the row edited: a booked spending of the last 12 months
let before12 // Spending before the edit

describe('the person’s own fields under wails dev', () => {
  it('edits a row’s category, note, tags and payee name, and the list, Spending and search follow', async () => {
    page = await dev.connect()
    const thrown = []
    page.on('pageerror', (e) => thrown.push(e.message))
    await page.emulateMedia({ colorScheme: 'light' })

    before12 = await spendingByCategory()
    assert.ok(!before12.cats.has(newCategory))

    // The newest booked spending (not a transfer), found by its text.
    await nav('Transactions')
    await waitForAsync(async () => (await count()) > 1000)
    const all = await count()
    const rows = await page.evaluate(async () => (await window.go.app.App.Transactions({ accountIds: [], from: '', to: '', months: 0, category: '', status: 'booked', search: '', offset: 0, limit: 200, includeHidden: false })).rows)
    const pick = rows.find((r) => r.type === 'DEBIT' && !r.transfer && r.category !== 'Transfers')
    assert.ok(pick, 'no booked spending among the newest rows')
    await page.getByTestId('tx-status').selectOption('booked')
    await search(pick.description)
    ;[target] = await page.evaluate(async (d) => (await window.go.app.App.Transactions({ accountIds: [], from: '', to: '', months: 0, category: '', status: 'booked', search: d, offset: 0, limit: 1, includeHidden: false })).rows, pick.description)
    assert.equal(target.type, 'DEBIT')
    assert.ok(!target.transfer)
    const amount = -pence(target.amount)
    assert.ok(before12.cats.get(target.category) >= amount, `Spending has no ${target.category} of ${amount}p`)

    await openFirst()
    assert.match(await panel().innerText(), new RegExp(`From your bank[\\s\\S]*Category\\s+${esc(target.bankCategory)}\\n`, 'i'), 'the bank’s category under From your bank')
    const yours = panel().getByRole('region', { name: 'Yours' })
    const bank = panel().getByRole('region', { name: 'From your bank' })
    assert.equal(await bank.locator('input, textarea').count(), 0, 'the bank’s fields are not editable')
    assert.equal(await yours.getByTestId('own-category-reset').count(), 0, 'no reset while the category is the bank’s')

    // A new category, typed: the list offers it as new; Enter saves it.
    const cat = yours.getByRole('combobox', { name: 'Category' })
    assert.equal(await cat.inputValue(), '', 'the bank’s category is the placeholder, not a value of theirs')
    assert.equal(await cat.getAttribute('placeholder'), `${target.bankCategory} (the bank's)`)
    await cat.fill(newCategory)
    assert.match(await page.getByRole('listbox', { name: 'Categories' }).innerText(), new RegExp(`New category “${newCategory}”`))
    await snap('detail-category', 'light')
    await cat.press('Enter')
    await saved()
    assert.match(await yours.innerText(), new RegExp(`The bank's: ${esc(target.bankCategory)}\\.\\s*Reset to the bank's`))

    // A note over two lines, saved on leaving it.
    const note = yours.getByLabel('Note')
    await note.fill('cake for Sam’s birthday\nfrom the corner bakery')
    await note.press('Tab')
    await saved()

    // Tags: Enter adds, Backspace in the empty field takes the last off.
    const tag = yours.getByLabel('Tags', { exact: true })
    const chips = () => yours.getByTestId('own-tags').getByRole('listitem').allInnerTexts().then((t) => t.map((s) => s.replace(/×/g, '').trim()))
    await tag.fill('party')
    await tag.press('Enter')
    await tag.fill('family')
    await tag.press('Enter')
    await waitForAsync(async () => (await chips()).join() === 'family,party') // as stored: in order
    await tag.press('Backspace')
    await waitForAsync(async () => (await chips()).join() === 'family')
    await tag.fill('party')
    await tag.press('Enter')
    await saved()
    await waitForAsync(async () => (await chips()).join() === 'family,party')

    // The payee's name: the panel's title, Enter saves; Undo takes back a slip.
    const payee = yours.getByLabel('Payee name')
    await payee.fill('Corner Bakery')
    await payee.press('Enter')
    await saved()
    await payee.fill('Oops')
    await payee.press('Enter')
    await waitForAsync(async () => (await page.getByRole('heading', { level: 2, name: 'Oops' }).count()) === 1)
    await yours.getByTestId('own-undo').click()
    await waitForAsync(async () => (await page.getByTestId('own-status').innerText()).startsWith('Undone'))
    assert.equal(await payee.inputValue(), 'Corner Bakery')
    assert.equal(await page.locator('#tx-detail-title').innerText(), 'Corner Bakery')
    assert.match(await bank.innerText(), new RegExp(`Description\\s+${esc(target.description)}\\n`), 'the bank’s text stays the bank’s')

    // axe on the edited panel, light and dark; pictures of it.
    const problems = []
    for (const theme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: theme })
      for (const [width, height] of [[800, 560], [1280, 800]]) {
        await page.setViewportSize({ width, height })
        for (const p of await axeProblems(page)) problems.push(`${theme} ${width}x${height}: ${p}`)
      }
      await snap('detail', theme)
    }
    await page.emulateMedia({ colorScheme: 'light' })
    assert.deepEqual(problems, [])

    // The list: the payee name over the bank's text, the category, the tags, a note mark.
    await page.keyboard.press('Escape')
    await panel().waitFor({ state: 'detached' })
    const first = page.locator('#tx-opt-0')
    await waitForAsync(async () => (await first.innerText()).includes('Corner Bakery'))
    const line = await first.innerText()
    assert.match(line, /Corner Bakery/)
    assert.ok(line.includes(target.description), `the bank's text under the payee name: ${line}`)
    assert.ok(line.includes(newCategory), line)
    assert.match(line, /family[\s\S]*party/)
    assert.equal(await first.getByRole('img', { name: 'has a note' }).count(), 1)
    for (const theme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: theme })
      for (const p of await axeProblems(page)) problems.push(`the list, ${theme}: ${p}`)
      await snap('list', theme)
    }
    await page.emulateMedia({ colorScheme: 'light' })
    assert.deepEqual(problems, [])

    // The search finds the note, the payee name and a tag.
    await page.getByTestId('tx-status').selectOption('')
    assert.match(await page.getByTestId('tx-search').getAttribute('placeholder'), /notes, tags/, 'the search says it finds notes and tags')
    for (const q of ['corner bakery', 'Sam’s birthday', 'family']) {
      await search(q)
      assert.ok((await count()) >= 1 && (await count()) < all, `"${q}" finds ${await count()}`)
      assert.match(await first.innerText(), /Corner Bakery/, `"${q}"`)
    }
    await search('')

    // Spending: the amount moved from the bank's category to the person's.
    const after = await spendingByCategory()
    assert.equal(after.cats.get(newCategory), amount, `${newCategory} on Spending`)
    assert.equal(after.cats.get(target.bankCategory) ?? 0n, before12.cats.get(target.bankCategory) - amount, `${target.bankCategory} on Spending`)
    assert.equal(after.out, before12.out, 'money out is the same')
    assert.deepEqual(thrown, [], 'the page threw')
  })

  it('hides the row (still counted), undoes that, and shows hidden rows when asked', async () => {
    await nav('Transactions')
    await waitForAsync(async () => (await count()) > 1000)
    const all = await count()
    const out = await page.getByTestId('total-out').innerText()
    assert.equal(await page.getByTestId('tx-hidden').count(), 0, 'nothing hidden yet')
    await page.getByTestId('tx-search').fill('corner bakery')
    await waitForAsync(async () => (await count()) === 1)
    await openFirst()
    await panel().getByLabel('Hide from the list').check()
    await saved()
    await waitForAsync(async () => (await count()) === 0)
    assert.match(await page.getByTestId('tx-hidden').innerText(), /^1 hidden\s+Show$/)
    assert.match(await page.getByTestId('tx-empty').innerText(), /Only hidden transactions match\s+You hid the one that matches\./)
    await panel().getByTestId('own-undo').click()
    await waitForAsync(async () => (await count()) === 1)
    assert.equal(await page.getByTestId('tx-hidden').count(), 0, 'Undo brought it back')
    assert.equal(await panel().getByLabel('Hide from the list').isChecked(), false)

    await panel().getByLabel('Hide from the list').check()
    await saved()
    await page.keyboard.press('Escape')
    await page.getByTestId('tx-search').fill('')
    await waitForAsync(async () => (await count()) === all - 1)
    assert.match(await page.getByTestId('tx-hidden').innerText(), /^1 hidden\s+Show$/)
    assert.equal(await page.getByTestId('total-out').innerText(), out, 'a hidden row still counts')
    for (const theme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: theme })
      await snap('list-hidden', theme)
    }
    await page.emulateMedia({ colorScheme: 'light' })
    await page.getByTestId('tx-hidden-toggle').click()
    await waitForAsync(async () => (await count()) === all)
    assert.match(await page.getByTestId('tx-hidden').innerText(), /^Showing 1 hidden\s+Hide them$/)
    await page.getByTestId('tx-search').fill('corner bakery')
    await waitForAsync(async () => (await count()) === 1)
    assert.match(await page.locator('#tx-opt-0').innerText(), /hidden/)
  })

  it('keeps everything across a restart, and Reset to the bank’s gives the category back', async () => {
    await page.close()
    await dev.app.stop()
    await withTimeout(waitForAsync(async () => !(await fetch(dev.app.url).then((r) => r.ok, () => false))), 20000, `${dev.app.url} still answers after quitting`)
    dev.app = await startDev({ port, dir: dev.app.dir }) // connectedDev stops this one after the tests
    page = await dev.browser.newPage({ viewport: { width: 1280, height: 800 } })
    await page.emulateMedia({ colorScheme: 'light' })
    await page.goto(dev.app.url)
    await nav('Transactions')
    await waitForAsync(async () => (await count()) > 1000)
    assert.match(await page.getByTestId('tx-hidden').innerText(), /^1 hidden\s+Show$/)
    await page.getByTestId('tx-hidden-toggle').click()
    await page.getByTestId('tx-search').fill('corner bakery')
    await waitForAsync(async () => (await count()) === 1)
    await openFirst()
    const yours = panel().getByRole('region', { name: 'Yours' })
    assert.equal(await yours.getByRole('combobox', { name: 'Category' }).inputValue(), newCategory)
    assert.equal(await yours.getByLabel('Note').inputValue(), 'cake for Sam’s birthday\nfrom the corner bakery')
    assert.equal(await yours.getByLabel('Payee name').inputValue(), 'Corner Bakery')
    assert.deepEqual(await yours.getByTestId('own-tags').getByRole('listitem').allInnerTexts().then((t) => t.map((s) => s.replace(/×/g, '').trim())), ['family', 'party'])
    assert.ok(await yours.getByLabel('Hide from the list').isChecked())

    await yours.getByTestId('own-category-reset').click()
    await saved()
    assert.equal(await yours.getByRole('combobox', { name: 'Category' }).inputValue(), '')
    assert.equal(await yours.getByTestId('own-category-reset').count(), 0)
    await page.keyboard.press('Escape')
    const back = await spendingByCategory()
    assert.ok(!back.cats.has(newCategory), `${newCategory} is gone from Spending`)
    assert.equal(back.cats.get(target.bankCategory), before12.cats.get(target.bankCategory))
  })
})
