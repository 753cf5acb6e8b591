// The app served by `wails dev` (real Go backend, built-in sandbox) with a
// test's own data directory, and the bank side of a login: the auth links
// the app opens are recorded by a stub xdg-open, the test logs in at the
// bank in chromium, and the bankdesk:// redirect goes to a second bankdesk
// process, as the OS hands it over.
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { after, before } from 'node:test'
import { bin, launchChromium, root, tempDir, waitFor, waitForAsync, withTimeout } from './helpers.mjs'

export const devURL = 'http://localhost:34115'

async function answers(url) {
  try {
    const r = await fetch(url)
    return r.ok
  } catch {
    return false
  }
}

// served is a devApp serving the app, with chromium open as its browser,
// from before a test file's tests until after them.
export function served(prefix) {
  const app = devApp(prefix)
  before(async () => {
    await app.start()
    app.browser = await launchChromium()
  })
  after(async () => {
    await app.browser?.close()
    await app.stop()
  })
  return app
}

// devApp prepares the environment; start serves the app.
export function devApp(prefix = 'bankdesk-dev-') {
  const dir = tempDir(prefix)
  const stubs = path.join(dir, 'bin')
  mkdirSync(stubs)
  const opened = path.join(dir, 'opened.txt')
  // The app opens auth links with xdg-open; this stub records them instead.
  writeFileSync(path.join(stubs, 'xdg-open'), `#!/bin/sh\necho "$1" >> "${opened}"\n`)
  chmodSync(path.join(stubs, 'xdg-open'), 0o755)
  const env = {
    ...process.env,
    PATH: `${stubs}:${process.env.PATH}`,
    BANKDESK_DATA_DIR: path.join(dir, 'data'),
    BANKDESK_ENV: '',
    BANKDESK_KEYRING: 'file',
    BANKDESK_PASSPHRASE: 'e2e dev passphrase',
    XDG_DATA_HOME: path.join(dir, 'xdg'),
    XDG_CONFIG_HOME: path.join(dir, 'xdg-config'),
  }
  let dev
  let log = ''

  const linksOpened = () => (existsSync(opened) ? readFileSync(opened, 'utf8').trim().split('\n').length : 0)

  const app = {
    env,
    browser: null, // chromium, which logs in at the bank (served opens it)
    log: () => log,
    linksOpened,

    // start serves the app with `wails dev` (the Go backend built and run
    // with the test's environment) and waits until it answers.
    async start() {
      assert.ok(!(await answers(devURL)), `something already serves ${devURL}`)
      log = ''
      dev = spawn('go', ['tool', 'wails', 'dev', '-m', '-nosyncgomod', '-noreload', '-loglevel', 'Info'], {
        cwd: root,
        env,
        detached: true, // its own process group, so the app it starts goes too
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      const collect = (chunk) => (log += chunk)
      dev.stdout.setEncoding('utf8').on('data', collect)
      dev.stderr.setEncoding('utf8').on('data', collect)
      const exited = new Promise((_, reject) => dev.once('exit', (c) => reject(new Error(`wails dev exited ${c}:\n${log}`))))
      await withTimeout(
        Promise.race([exited, (async () => { while (!(await answers(devURL))) await new Promise((r) => setTimeout(r, 1000)) })()]),
        300000,
        'wails dev never served the app',
      )
    },

    // stop quits the app and `wails dev`, as a user quitting Bankdesk.
    async stop() {
      if (dev && dev.exitCode === null) {
        const exit = new Promise((r) => dev.once('exit', r))
        try {
          process.kill(-dev.pid, 'SIGTERM')
        } catch {}
        await Promise.race([exit, new Promise((r) => setTimeout(r, 10000))])
        try {
          process.kill(-dev.pid, 'SIGKILL')
        } catch {}
      }
      await withTimeout(waitForAsync(async () => !(await answers(devURL))), 20000, `${devURL} still answers after quitting`)
    },

    // loginAtBank follows the newest link the app opened (after seen
    // ones), logs in as john/doe in the browser, and hands the bankdesk://
    // redirect to a second bankdesk process; it returns the link.
    async loginAtBank(seen) {
      await withTimeout(waitFor(() => linksOpened() > seen), 20000, 'the app never opened an auth link')
      const link = readFileSync(opened, 'utf8').trim().split('\n').pop()
      const bank = await app.browser.newPage()
      await bank.goto(link)
      // A new connection asks for consent first; a renewal goes straight to the login.
      const allow = bank.getByRole('button', { name: /allow/i })
      await allow.or(bank.locator('#username')).first().waitFor()
      if (await allow.count()) await allow.click()
      await bank.locator('#username').fill('john')
      await bank.locator('#password').fill('doe')
      const redirect = bank.waitForResponse((r) => (r.headers()['location'] ?? '').startsWith('bankdesk://'))
      await bank.locator('#login').click()
      const callback = (await redirect).headers()['location']
      await bank.close()
      const second = spawnSync(bin, [callback], { env, encoding: 'utf8', timeout: 60000 })
      assert.equal(second.status, 1, `second instance should forward and exit 1: ${second.stderr}`)
      return link
    },
  }
  return app
}
