// Shared helpers for the end-to-end tests: the real bankdesk binary, Debian's
// chromium through playwright-core (never a downloaded browser).
import { spawn, spawnSync, execFileSync } from 'node:child_process'
import { once } from 'node:events'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, before } from 'node:test'
import { chromium } from 'playwright-core'
import axe from 'axe-core'

const here = path.dirname(fileURLToPath(import.meta.url))
export const root = path.resolve(here, '..', '..')
export const bin = process.env.BANKDESK_BIN ?? path.join(root, 'build', 'bin', 'bankdesk')

// pence reads a shown amount ("−£1,247.25", "+£37.74") or a backend
// decimal ("-1247.25") exactly, as a BigInt of hundredths.
export function pence(text) {
  const m = /([−+-])?\D*?([\d,]+)\.(\d{2})\b/.exec(text.trim())
  if (!m) throw new Error(`not an amount: ${JSON.stringify(text)}`)
  const v = BigInt(m[2].replaceAll(',', '') + m[3])
  return m[1] === '−' || m[1] === '-' ? -v : v
}

export function tempDir(prefix = 'bankdesk-e2e-') {
  return mkdtempSync(path.join(tmpdir(), prefix))
}

// startSandbox runs `bankdesk sandbox` and resolves with its BANKDESK_* lines.
export async function startSandbox() {
  const proc = spawn(bin, ['sandbox', '--addr', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'pipe'] })
  const env = {}
  let out = ''
  proc.stdout.setEncoding('utf8')
  const ready = new Promise((resolve, reject) => {
    proc.stdout.on('data', (chunk) => {
      out += chunk
      for (const line of out.split('\n')) {
        const m = /^(BANKDESK_[A-Z_]+)=(.*)$/.exec(line.trim())
        if (m) env[m[1]] = m[2]
      }
      if (env.BANKDESK_CLIENT_SECRET) resolve()
    })
    proc.once('exit', (code) => reject(new Error(`bankdesk sandbox exited ${code} before it was ready`)))
  })
  await withTimeout(ready, 15000, 'bankdesk sandbox did not print its URLs')
  return {
    env,
    async stop() {
      if (proc.exitCode === null) {
        proc.kill('SIGTERM')
        await once(proc, 'exit')
      }
    },
  }
}

export function bankdesk(args, env) {
  return execFileSync(bin, args, { env: { ...process.env, ...env }, encoding: 'utf8' }).trim()
}

export async function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
}

export function withTimeout(promise, ms, what) {
  let t
  const timeout = new Promise((_, reject) => {
    t = setTimeout(() => reject(new Error(`${what} (after ${ms} ms)`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(t))
}

// waitFor resolves once cond() is true, polling every 100 ms.
export function waitFor(cond) {
  return new Promise((resolve) => {
    const check = () => (cond() ? resolve() : setTimeout(check, 100))
    check()
  })
}

// waitForAsync polls an async condition every 200 ms for up to ms.
export async function waitForAsync(cond, ms = 30000) {
  const end = Date.now() + ms
  for (;;) {
    if (await cond()) return
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 200))
  }
}

async function answers(url) {
  try {
    const r = await fetch(url)
    return r.ok
  } catch {
    return false
  }
}

// devPassphrase opens startDev's vault.
export const devPassphrase = 'e2e dev passphrase'

// startDev runs the app under `wails dev` (the real Go backend, the
// built-in sandbox, a private data dir and passphrase vault) and resolves
// once it serves the frontend at url, for chromium to drive. The app opens
// links with xdg-open: a stub on its PATH records them instead (links()).
// A port other than wails' default lets a second one run beside it; the
// dir of an earlier one starts the app again on its data (a restart).
// passphrase '' leaves the vault locked: the window asks for it.
export async function startDev({ port = 34115, dir = tempDir('bankdesk-dev-'), passphrase = devPassphrase } = {}) {
  const stubs = path.join(dir, 'bin')
  mkdirSync(stubs, { recursive: true })
  const opened = path.join(dir, 'opened.txt')
  writeFileSync(path.join(stubs, 'xdg-open'), `#!/bin/sh\necho "$1" >> "${opened}"\n`)
  chmodSync(path.join(stubs, 'xdg-open'), 0o755)
  const env = {
    ...process.env,
    PATH: `${stubs}:${process.env.PATH}`,
    BANKDESK_DATA_DIR: path.join(dir, 'data'),
    BANKDESK_ENV: '',
    BANKDESK_KEYRING: 'file',
    BANKDESK_PASSPHRASE: passphrase,
    XDG_DATA_HOME: path.join(dir, 'xdg'),
    XDG_CONFIG_HOME: path.join(dir, 'xdg-config'),
  }
  const url = `http://localhost:${port}`
  if (await answers(url)) throw new Error(`something already serves ${url}`)
  const args = ['tool', 'wails', 'dev', '-m', '-nosyncgomod', '-noreload', '-loglevel', 'Info', '-devserver', `localhost:${port}`]
  const dev = spawn('go', args, {
    cwd: root,
    env,
    detached: true, // its own process group, so the app it starts goes too
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let log = ''
  const collect = (chunk) => (log += chunk)
  dev.stdout.setEncoding('utf8').on('data', collect)
  dev.stderr.setEncoding('utf8').on('data', collect)
  const exited = new Promise((_, reject) => dev.once('exit', (c) => reject(new Error(`wails dev exited ${c}:\n${log}`))))
  const serving = (async () => {
    while (!(await answers(url))) await new Promise((r) => setTimeout(r, 1000))
  })()
  await withTimeout(Promise.race([exited, serving]), 300000, 'wails dev never served the app')
  return {
    url,
    dir,
    env,
    opened,
    log: () => log,
    // links are the addresses the app opened, oldest first: whole lines
    // only, as the stub may be halfway through writing one (the file
    // exists, empty, between its open and its write).
    links: () => (existsSync(opened) ? readFileSync(opened, 'utf8').split('\n').slice(0, -1).filter(Boolean) : []),
    async stop() {
      if (dev.exitCode !== null) return
      try {
        process.kill(-dev.pid, 'SIGTERM')
      } catch {}
      await Promise.race([once(dev, 'exit'), new Promise((r) => setTimeout(r, 10000))])
      try {
        process.kill(-dev.pid, 'SIGKILL')
      } catch {}
    },
  }
}

// bankLogin logs in as john/doe (or user/pass) at the sandbox's dialog behind an auth
// link, in a page of browser, and resolves with the address the bank sends
// the browser to. Nothing hands that address to the app: a browser does
// not run bankdesk:// links, so it reaches the app only if the test does.
export async function bankLogin(browser, link, { user = 'john', pass = 'doe' } = {}) {
  const bank = await browser.newPage()
  try {
    await bank.goto(link)
    // A new connection asks for consent first; a renewal goes straight to the login.
    const allow = bank.getByRole('button', { name: /allow/i })
    await allow.or(bank.locator('#username')).first().waitFor()
    if (await allow.count()) await allow.click()
    await bank.locator('#username').fill(user)
    await bank.locator('#password').fill(pass)
    const redirect = bank.waitForResponse((r) => (r.headers()['location'] ?? '').startsWith('bankdesk://'))
    await bank.locator('#login').click()
    return (await redirect).headers()['location']
  } finally {
    await bank.close()
  }
}

// snapSizes saves a picture of the page at each of the window's sizes
// (800x560, its minimum; 1024x700; 1280x800) into BANKDESK_SCREENSHOTS,
// when set (make screenshots), as name-WxH.png. show runs at each size
// first (to scroll something into view); fullPage takes the whole page.
export async function snapSizes(page, name, { show, fullPage = false } = {}) {
  const dir = process.env.BANKDESK_SCREENSHOTS
  if (!dir) return
  mkdirSync(dir, { recursive: true })
  for (const [width, height] of [[800, 560], [1024, 700], [1280, 800]]) {
    await page.setViewportSize({ width, height })
    await show?.()
    await page.screenshot({ path: path.join(dir, `${name}-${width}x${height}.png`), fullPage })
  }
  await page.setViewportSize({ width: 1280, height: 800 })
}

// loginByDeepLink follows the newest link app (startDev) opened after the
// first seen, logs in as john/doe in browser (bankLogin), and hands the
// bankdesk:// redirect to a second bankdesk process, as the OS does with
// the scheme handler; it resolves with the link.
export async function loginByDeepLink(app, browser, seen) {
  await withTimeout(waitFor(() => app.links().length > seen), 20000, 'the app never opened an auth link')
  const link = app.links().pop()
  const callback = await bankLogin(browser, link)
  const second = spawnSync(bin, [callback], { env: app.env, encoding: 'utf8', timeout: 60000 })
  if (second.status !== 1) throw new Error(`the second instance should forward the address and exit 1, not ${second.status}: ${second.stderr}`)
  return link
}

// connectedDev serves the app (startDev on port) and opens chromium before
// a test file's tests, and stops both after them; connect() opens a page
// of the app, connects the Mock bank by the deep link and waits for its
// history. Its fields fill in once the file's tests start.
export function connectedDev(port) {
  const dev = {
    app: null,
    browser: null,
    async connect() {
      const page = await dev.browser.newPage({ viewport: { width: 1280, height: 800 } })
      await page.goto(dev.app.url)
      await page.getByTestId('banks').waitFor()
      await page.getByRole('button', { name: 'Connect Mock' }).click()
      await page.getByTestId('waiting').waitFor()
      await loginByDeepLink(dev.app, dev.browser, 0)
      await page.getByText(/new transactions\.|Up to date\./).waitFor({ timeout: 120000 })
      return page
    },
  }
  before(async () => {
    dev.app = await startDev({ port })
    dev.browser = await launchChromium()
  })
  after(async () => {
    await dev.browser?.close()
    await dev.app?.stop()
  })
  return dev
}

// axeProblems runs axe-core in the page and lists its serious and critical
// violations, one line each.
export async function axeProblems(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axe.source })
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] })
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ') + (n.failureSummary ? ` (${n.failureSummary.replace(/\s+/g, ' ').slice(0, 160)})` : '')).join('; ')}`)
  })
}
