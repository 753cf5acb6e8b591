// Every screen at every window size, in both themes, against the app served
// by `wails dev` (real Go backend, built-in sandbox) in Debian's chromium:
// axe-core finds no serious or critical problem; nothing overflows the
// window sideways; the document never scrolls (only the content pane does),
// so the header and the navigation stay put; descriptions keep their room
// at the app's minimum size (800×560, app/window.go); filters wrap as whole
// label+field groups; dark mode follows the system and the Settings
// override, before the first paint; forms, confirmations and the waiting
// card take the keyboard's focus; account tiles name their balances. The
// start-up screens too: the first run's passphrase, the unlock form (and
// its wrong passphrase), "could not start" and the damaged data file, each
// with the focus on its first field or its one action, in sentences, with
// the technical line behind Details.
//
// BANKDESK_SCREENSHOTS=dir also saves every screen at 800×560, 1024×700 and
// 1280×800 in light and dark as <screen>-<w>x<h>-<theme>.png.
import { after, beforeEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs'
import path from 'node:path'
import { axeProblems, bankLogin, launchChromium, startDev, waitFor, withTimeout } from './helpers.mjs'

const sizes = [
  [800, 560],
  [1024, 700],
  [1280, 800],
]
const shots = process.env.BANKDESK_SCREENSHOTS

let dev
let browser

// lazily runs start before the first test of the suite that runs, and
// not at all when none does (a run filtered by name starts no app).
function lazily(start) {
  let started
  beforeEach(() => (started ??= start()))
}

// layoutProblems lists what is wrong with the layout as it stands: a
// document that scrolls (a second scrollbar beside the pane's), an element
// sticking out of the window sideways, a pane that scrolls sideways,
// descriptions squeezed, a filter label split from its field.
function layoutProblems(page) {
  return page.evaluate(() => {
    const out = []
    const doc = document.scrollingElement
    if (doc.scrollHeight > doc.clientHeight + 1) out.push(`the document scrolls: ${doc.scrollHeight} > ${doc.clientHeight}`)
    if (doc.scrollWidth > doc.clientWidth + 1) out.push(`the document scrolls sideways: ${doc.scrollWidth} > ${doc.clientWidth}`)
    const W = document.documentElement.clientWidth
    const clipped = (el) => {
      for (let a = el.parentElement; a; a = a.parentElement) {
        if (getComputedStyle(a).overflowX !== 'visible' && a.getBoundingClientRect().right <= W + 1) return true
      }
      return false
    }
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect()
      if (r.width === 0 || r.height === 0) continue
      if ((r.right > W + 1 || r.left < -1) && !clipped(el)) {
        out.push(`sticks out sideways: <${el.tagName.toLowerCase()} class="${el.className?.baseVal ?? el.className}"> ${Math.round(r.left)}..${Math.round(r.right)} of ${W}: ${(el.textContent ?? '').trim().slice(0, 40)}`)
      }
    }
    for (const el of document.querySelectorAll('main, nav, .viewport')) {
      if (el.scrollWidth > el.clientWidth + 1) out.push(`<${el.tagName.toLowerCase()} class="${el.className}"> scrolls sideways: ${el.scrollWidth} > ${el.clientWidth}`)
    }
    for (const el of document.querySelectorAll('.tx-row .desc .main')) {
      if (el.getBoundingClientRect().width < 140) out.push(`a description has ${Math.round(el.getBoundingClientRect().width)}px: "${el.textContent}"`)
      break
    }
    for (const label of document.querySelectorAll('.filters label')) {
      const field = label.querySelector('input, select')
      if (field && label.getBoundingClientRect().height > field.getBoundingClientRect().height + 6) out.push(`a filter label wraps apart from its field: "${label.textContent.trim()}"`)
    }
    return out
  })
}

// shellMoves scrolls the content pane to its end and reports whether the
// header or the navigation moved; scrolled says whether the pane scrolled.
function shellMoves(page) {
  return page.evaluate(async () => {
    const pane = document.querySelector('.shell > main') ?? document.querySelector('main')
    const where = () => ['header.bar', 'nav'].map((s) => document.querySelector(s)?.getBoundingClientRect().top ?? null)
    const before = where()
    const was = pane.scrollTop
    pane.scrollTop = pane.scrollHeight
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))
    const scrolled = pane.scrollTop > 0
    const after = where()
    pane.scrollTop = was
    return { moved: JSON.stringify(before) !== JSON.stringify(after), scrolled, before, after }
  })
}

const dark = (page) => page.evaluate(() => {
  const [r, g, b] = getComputedStyle(document.documentElement).backgroundColor.match(/\d+/g).map(Number)
  return r + g + b < 3 * 128
})

const focused = (page) => page.evaluate(() => {
  const a = document.activeElement
  return a ? `${a.tagName.toLowerCase()}${a.dataset.testid ? `[${a.dataset.testid}]` : ''} ${a.getAttribute('aria-label') ?? a.closest('label')?.textContent?.trim() ?? a.textContent?.trim() ?? ''}`.trim() : ''
})

// check runs every check on the screen showing, at each size, in the
// theme set now; theme names the picture files.
async function check(page, screen, theme, problems) {
  for (const [width, height] of sizes) {
    await page.setViewportSize({ width, height })
    // What has the focus stays in sight, as it would for a person.
    await page.evaluate(() => new Promise((r) => {
      if (document.activeElement && document.activeElement !== document.body) document.activeElement.scrollIntoView({ block: 'nearest' })
      requestAnimationFrame(() => requestAnimationFrame(r))
    }))
    const where = `${screen} ${width}x${height} ${theme}`
    for (const p of await layoutProblems(page)) problems.push(`${where}: ${p}`)
    const shell = await shellMoves(page)
    if (shell.moved) problems.push(`${where}: the shell moved when the content scrolled: ${shell.before} → ${shell.after}`)
    if (width !== 1024) for (const p of await axeProblems(page)) problems.push(`${where}: ${p}`)
    if (shots) {
      mkdirSync(shots, { recursive: true })
      await page.screenshot({ path: path.join(shots, `${screen}-${width}x${height}-${theme}.png`) })
    }
  }
  await page.setViewportSize({ width: 1280, height: 800 })
}

const nav = (page, name) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true }).click()

describe('every size, every theme, everyone', () => {
  let page

  lazily(async () => {
    // Not wails' default port: other e2e files run their apps beside this one.
    dev = await startDev({ port: 34155 })
    browser = await launchChromium()
  })
  after(async () => {
    await browser?.close()
    await dev?.stop()
  })

  it('connects Mock, checking the bank picker and the waiting card on the way', async () => {
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage()
    await page.emulateMedia({ colorScheme: 'light' })
    await page.goto(dev.url)
    await page.getByTestId('banks').waitFor()
    const problems = []
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme })
      assert.equal(await dark(page), scheme === 'dark', `the page follows the system's ${scheme} scheme`)
      await check(page, 'connect', scheme, problems)
    }
    await page.emulateMedia({ colorScheme: 'light' })
    await page.getByRole('button', { name: 'Connect Mock' }).click()
    const card = page.getByTestId('waiting')
    await card.waitFor()
    assert.match(await focused(page), /^div\[waiting\]/, 'the waiting card takes the focus')
    await withTimeout(waitFor(() => dev.links().length === 1), 20000, 'the app never opened an auth link')
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme })
      await check(page, 'waiting', scheme, problems)
    }
    await page.emulateMedia({ colorScheme: 'light' })
    const callback = await bankLogin(browser, dev.links()[0])
    await card.getByTestId('paste-address').fill(callback)
    await card.getByTestId('paste-finish').click()
    await page.getByTestId('accounts').locator('li').first().waitFor({ timeout: 30000 })
    await page.getByText(/new transactions\.|Up to date\./).waitFor({ timeout: 120000 })
    assert.deepEqual(problems, [])
  })

  it('names each account tile with its balance', async () => {
    await nav(page, 'Overview')
    const tiles = page.getByTestId('accounts').getByRole('button')
    await tiles.first().waitFor()
    const names = await tiles.evaluateAll((els) => els.map((el) => el.textContent.replace(/\s+/g, ' ').trim()))
    assert.equal(names.length, 3)
    for (let i = 0; i < names.length; i++) {
      const name = await tiles.nth(i).evaluate((el) => el.getAttribute('aria-label'))
      assert.equal(name, null, `tile ${i} hides its content behind aria-label="${name}"`)
      assert.match(names[i], /£[\d,]+\.\d\d/, `tile ${i}: ${names[i]}`)
    }
    // What a screen reader hears: the accessibility tree's name for the tile.
    const snapshot = await page.getByTestId('accounts').ariaSnapshot()
    assert.match(snapshot, /button ".*£[\d,]+\.\d\d.*"/, snapshot)
  })

  it('passes axe and keeps its layout on every screen, at every size, in both system themes', async () => {
    const problems = []
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme })
      for (const [screen, name, ready] of [
        ['overview', 'Overview', () => page.getByTestId('accounts').first().waitFor()],
        ['transactions', 'Transactions', () => page.getByTestId('tx-list').getByRole('option').first().waitFor()],
        ['spending', 'Spending', () => page.getByTestId('monthly-chart').waitFor()],
        ['connections', 'Connections', () => page.getByText('Refresh deadline').waitFor()],
        ['settings', 'Settings', () => page.getByTestId('theme').waitFor()],
      ]) {
        await nav(page, name)
        await ready()
        assert.equal(await dark(page), scheme === 'dark', `${screen} follows the system's ${scheme} scheme`)
        await check(page, screen, scheme, problems)
      }
      // The bank picker again, now a connection exists.
      await nav(page, 'Overview')
      await page.getByRole('button', { name: 'Connect a bank' }).click()
      await page.getByTestId('banks').waitFor()
      await check(page, 'connect-more', scheme, problems)
    }
    assert.deepEqual(problems, [])
    // The content pane scrolls somewhere at the minimum size, or the
    // shell check above proved nothing.
    await page.setViewportSize({ width: 800, height: 560 })
    await nav(page, 'Settings')
    await page.getByTestId('theme').waitFor()
    assert.ok((await shellMoves(page)).scrolled, 'Settings does not scroll at 800x560')
    await page.setViewportSize({ width: 1280, height: 800 })
  })

  it('moves the focus into forms and confirmations, which pass axe in both themes', async () => {
    const problems = []
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme })

      await nav(page, 'Connections')
      await page.getByRole('button', { name: 'Disconnect…' }).click()
      await page.getByTestId('disconnect-confirm').waitFor()
      assert.equal(await focused(page), 'button Keep connected', 'the disconnect confirmation takes the focus')
      await check(page, 'disconnect-confirm', scheme, problems)
      await page.getByRole('button', { name: 'Keep connected' }).click()

      await page.getByRole('button', { name: 'Renew consent…' }).click()
      await page.getByTestId('reconfirm').waitFor()
      assert.match(await focused(page), /^input(\[renew-name\])? Name/, 'the renewal form focuses its first field')
      await check(page, 'reconfirm', scheme, problems)
      await page.getByRole('button', { name: 'Not now' }).click()

      await nav(page, 'Transactions')
      await page.getByTestId('export-open').click()
      await page.getByTestId('export-panel').waitFor()
      assert.match(await focused(page), /^select Format/, 'the export form focuses its first field')
      await check(page, 'export', scheme, problems)
      await page.getByTestId('export-open').click()

      // A row's details, opened from the keyboard, take the focus.
      const list = page.getByTestId('tx-list')
      await list.focus()
      await page.keyboard.press('Enter')
      await page.getByTestId('tx-detail').waitFor()
      assert.ok(await page.evaluate(() => !!document.activeElement?.closest('[data-testid=tx-detail]')), `the details take the focus (it is on ${await focused(page)})`)
      await check(page, 'tx-detail', scheme, problems)
      await page.keyboard.press('Escape')

      // An account's regular payments.
      await nav(page, 'Connections')
      await page.getByRole('button', { name: /^Upcoming and regular payments of / }).first().click()
      await page.getByTestId('regular-payments').waitFor()
      await check(page, 'payments', scheme, problems)
    }
    assert.deepEqual(problems, [])
  })

  it('follows the Settings override over the system, from the first paint of the next start', async () => {
    await page.emulateMedia({ colorScheme: 'light' })
    await nav(page, 'Settings')
    const picker = page.getByTestId('theme')
    await picker.getByLabel('Dark').check()
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark')
    assert.ok(await dark(page), 'Dark wins over a light system')

    // A new window: the theme is there before the app's script asks the backend.
    const next = await page.context().newPage()
    await next.setViewportSize({ width: 1280, height: 800 })
    await next.emulateMedia({ colorScheme: 'light' })
    await next.addInitScript(() => {
      document.addEventListener('readystatechange', () => {
        if (document.readyState === 'interactive') window.__firstTheme = document.documentElement.dataset.theme ?? 'none'
      })
    })
    await next.goto(dev.url)
    await next.getByTestId('accounts').first().waitFor()
    assert.equal(await next.evaluate(() => window.__firstTheme), 'dark', 'the saved theme applies before the first paint')
    assert.ok(await dark(next))
    await next.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings', exact: true }).click()
    assert.ok(await next.getByTestId('theme').getByLabel('Dark').isChecked(), 'Settings shows the saved choice')
    await next.close()

    await page.emulateMedia({ colorScheme: 'dark' })
    await picker.getByLabel('Light').check()
    assert.equal(await dark(page), false, 'Light wins over a dark system')
    await picker.getByLabel('Same as the system').check()
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme ?? 'none'), 'none')
    assert.ok(await dark(page), 'back to following the dark system')
  })
})

// holdLock takes the data directory's lock (flock, as Bankdesk does) in a
// process of its own, as a second Bankdesk would; release lets it go.
async function holdLock(dataDir) {
  // -o: flock alone holds it (not the sleep), in a group of its own to end.
  const holder = spawn('flock', ['-n', '-o', path.join(dataDir, 'bankdesk.lock'), '-c', 'echo held; exec sleep 600'], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = once(holder, 'exit')
  const [line] = await withTimeout(Promise.race([once(holder.stdout.setEncoding('utf8'), 'data'), exited]), 10000, 'flock never took the lock')
  assert.equal(`${line}`.trim(), 'held', 'the lock is free while the vault is locked')
  return async () => {
    try {
      process.kill(-holder.pid, 'SIGTERM')
    } catch {}
    await exited
  }
}

// damage overwrites the data file's first page (bbolt's header), as a
// disk fault would: Bankdesk then refuses to open it and offers Repair.
function damage(file) {
  const fd = openSync(file, 'r+')
  try {
    writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, 0)
  } finally {
    closeSync(fd)
  }
}

describe('the start-up screens', () => {
  const passphrase = 'e2e start-up passphrase'
  let app
  let chrome
  let page
  lazily(async () => {
    // No BANKDESK_PASSPHRASE and a new data directory: the first run.
    app = await startDev({ port: 34215, passphrase: '' })
    chrome = await launchChromium()
    page = await (await chrome.newContext({ viewport: { width: 1280, height: 800 } })).newPage()
  })
  after(async () => {
    await chrome?.close()
    await app?.stop()
  })

  // bothThemes runs check on what shows, in the light and the dark system theme.
  async function bothThemes(screen, problems) {
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme })
      assert.equal(await dark(page), scheme === 'dark', `${screen} follows the system's ${scheme} scheme`)
      await check(page, screen, scheme, problems)
    }
    await page.emulateMedia({ colorScheme: 'light' })
  }

  it('asks for a new passphrase on the first run, in a form that has the focus and passes axe', async () => {
    await page.goto(app.url)
    await page.getByRole('heading', { name: 'Choose a passphrase' }).waitFor()
    assert.match(await focused(page), /^input Passphrase$/, 'the first field of the first-run form has the focus')
    const problems = []
    await bothThemes('first-run', problems)
    assert.deepEqual(problems, [])
    await page.getByLabel('Passphrase', { exact: true }).fill(passphrase)
    await page.getByLabel('Repeat it').fill(passphrase)
    await page.getByRole('button', { name: 'Create vault' }).click()
    await page.getByTestId('banks').waitFor()
  })

  it('asks for the passphrase once locked, and again after a wrong one, with the focus in its field', async () => {
    await nav(page, 'Settings')
    await page.getByTestId('lock-now').click()
    await page.getByRole('heading', { name: 'Unlock Bankdesk' }).waitFor()
    assert.match(await focused(page), /^input Passphrase$/, 'the unlock form focuses its field')
    const problems = []
    await bothThemes('unlock', problems)

    await page.getByLabel('Passphrase', { exact: true }).fill('not the passphrase')
    await page.getByRole('button', { name: 'Unlock' }).click()
    const said = page.getByTestId('passphrase-error')
    await said.waitFor()
    assert.match(await said.getByTestId('problem-message').innerText(), /^That passphrase is not right\./)
    assert.match(await focused(page), /^input Passphrase$/, 'a wrong passphrase puts the focus back in the field')
    await bothThemes('unlock-wrong', problems)
    assert.deepEqual(problems, [])
  })

  it('says in a sentence why it could not start, keeps the technical line behind Details, and starts on Try again', async () => {
    // The vault is locked, so the window holds no lock: another process takes it.
    const release = await holdLock(path.join(app.dir, 'data'))
    try {
      await page.reload()
      const card = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: 'Bankdesk could not start' }) })
      await card.waitFor({ timeout: 60000 }) // the window waits a while for the lock first
      const said = await card.locator('p').first().innerText()
      assert.match(said, /^Bankdesk is already open in another window\./)
      assert.doesNotMatch(said, /bankdesk\.lock|already running \(|: /, 'the main text is a sentence, not the chain')
      assert.equal(await focused(page), 'button Try again', 'the card takes the focus on its action')
      const details = card.getByTestId('problem-details')
      assert.equal(await details.evaluate((d) => d.open), false, 'the details stay closed until asked for')
      await details.getByText('Details').click()
      assert.match(await details.locator('code').innerText(), /already running .*bankdesk\.lock/)
      const problems = []
      await bothThemes('could-not-start', problems)
      assert.deepEqual(problems, [])
    } finally {
      await release()
    }
    await page.getByRole('button', { name: 'Try again' }).click()
    // Locked stays locked: the window asks for the passphrase again.
    await page.getByRole('heading', { name: 'Unlock Bankdesk' }).waitFor()
  })

  it('offers Repair for a damaged data file, with the focus on it and what was found behind Details', async () => {
    damage(path.join(app.dir, 'data', 'bankdesk.db'))
    await page.getByLabel('Passphrase', { exact: true }).fill(passphrase)
    await page.getByRole('button', { name: 'Unlock' }).click()
    const card = page.getByTestId('damaged')
    await card.waitFor()
    assert.equal(await focused(page), 'button Repair', 'the damaged file screen takes the focus on Repair')
    const details = card.getByTestId('problem-details')
    await details.getByText('Details').click()
    assert.match(await details.locator('code').innerText(), /header is damaged/)
    const problems = []
    await bothThemes('damaged', problems)
    assert.deepEqual(problems, [])
    // Repair rebuilds it, and the window opens, saying so.
    await card.getByRole('button', { name: 'Repair' }).click()
    const repaired = page.getByTestId('repaired').or(page.getByTestId('repair-error'))
    await repaired.waitFor({ timeout: 60000 })
    assert.match(await repaired.innerText(), /The data file was rebuilt/)
  })
})
