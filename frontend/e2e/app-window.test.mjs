// The production binary in a real (virtual) window: it starts against the
// built-in sandbox, its first screen reports ready, and the screen is not
// blank. Then the shell, driven as a person would with xdotool: the app
// menu's keys, the minimum window size, a header and sidebar that stay put
// while the content scrolls, and Ctrl+Q.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, spawnSync, execFileSync } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { bin, tempDir, waitFor, withTimeout } from './helpers.mjs'

describe('desktop window', () => {
  it('opens on the built-in sandbox and renders the first screen', async () => {
    assert.ok(process.env.DISPLAY, 'run under xvfb-run (make e2e does)')
    const dir = tempDir()
    const env = {
      ...process.env,
      BANKDESK_DATA_DIR: path.join(dir, 'data'),
      BANKDESK_ENV: '',
      // No keyring daemon runs here: use the passphrase vault.
      BANKDESK_KEYRING: 'file',
      BANKDESK_PASSPHRASE: 'e2e window passphrase',
      // The first run registers the bankdesk:// handler here, not for the real user.
      XDG_DATA_HOME: path.join(dir, 'xdg'),
      XDG_CONFIG_HOME: path.join(dir, 'xdg-config'),
    }
    const proc = spawn(bin, [], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let log = ''
    proc.stderr.setEncoding('utf8')
    proc.stdout.setEncoding('utf8')
    const ready = new Promise((resolve, reject) => {
      const onData = (chunk) => {
        log += chunk
        // The frontend calls ReportReady only after it rendered the status and
        // the bank list it fetched from the in-process sandbox.
        if (/msg="bankdesk ready" screen=\w+/.test(log)) resolve()
      }
      proc.stderr.on('data', onData)
      proc.stdout.on('data', onData)
      proc.once('exit', (code) => reject(new Error(`bankdesk exited ${code}:\n${log}`)))
    })
    try {
      await withTimeout(ready, 60000, 'window never reported ready')
      assert.match(log, /backend ready.*env=builtin/)

      // A blank or single-colour screen has a handful of colours; the first
      // screen with text and logos has hundreds. Logos may still be decoding
      // when ready fires, so look again briefly before calling it blank.
      const shot = path.join(dir, 'window.png')
      let colours = 0
      for (let i = 0; i < 20 && colours <= 50; i++) {
        if (i) await new Promise((r) => setTimeout(r, 250))
        execFileSync('import', ['-window', 'root', shot])
        colours = Number(execFileSync('identify', ['-format', '%k', shot], { encoding: 'utf8' }))
      }
      assert.ok(colours > 50, `screenshot looks blank (${colours} colours): ${shot}`)

      const desktopFile = path.join(dir, 'xdg', 'applications', 'bankdesk-url-handler.desktop')
      await withTimeout(waitFor(() => existsSync(desktopFile)), 10000, 'no bankdesk:// handler registered')
      const handler = readFileSync(desktopFile, 'utf8')
      assert.match(handler, /^MimeType=x-scheme-handler\/bankdesk;$/m)
      assert.match(handler, new RegExp(`^Exec=${bin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} %u$`, 'm'))

      // The OS runs `bankdesk URL` for a bankdesk:// link: that second process
      // hands the URL to this window over the session bus and exits 1.
      const second = spawnSync(bin, ['bankdesk://callback?code=not-a-real-code&state=forged-state'], {
        env,
        encoding: 'utf8',
        timeout: 30000,
      })
      assert.equal(second.status, 1, `second instance exit ${second.status}: ${second.stderr}`)
      await withTimeout(
        waitFor(() => /callback failed.*kind=unknown_state/.test(log)),
        15000,
        'the running window never handled the forwarded URL',
      )

      await shell(dir, () => log)
      // File › Quit (Ctrl+Q) ends the app cleanly.
      xdo('key', '--clearmodifiers', 'ctrl+q')
      const [code] = await withTimeout(once(proc, 'exit'), 15000, 'Ctrl+Q did not quit')
      assert.equal(code, 0, `exit code after Ctrl+Q:\n${log}`)
    } finally {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM')
        await once(proc, 'exit')
      }
    }
  })
})

const xdo = (...args) => execFileSync('xdotool', args, { encoding: 'utf8' }).trim()

// geometry is the window's size and place on the screen.
function geometry(win) {
  const g = Object.fromEntries(
    xdo('getwindowgeometry', '--shell', win)
      .split('\n')
      .map((l) => l.split('='))
      .map(([k, v]) => [k, Number(v)]),
  )
  return { x: g.X, y: g.Y, w: g.WIDTH, h: g.HEIGHT }
}

// region crops the window's screenshot to a rectangle and returns its
// pixels' checksum, so two crops compare equal only if every pixel does.
function region(shot, { x, y, w, h }) {
  return execFileSync('convert', [shot, '-crop', `${w}x${h}+${x}+${y}`, '+repage', '-format', '%#', 'info:'], {
    encoding: 'utf8',
  })
}

async function shell(dir, log) {
  const win = xdo('search', '--sync', '--onlyvisible', '--class', 'bankdesk').split('\n')[0]
  xdo('windowfocus', '--sync', win)
  const shown = (screen, after) =>
    withTimeout(
      waitFor(() => log().slice(after).includes(`msg="screen shown" screen=${screen}`)),
      10000,
      `the menu's key never brought up ${screen}`,
    )

  // View › Transactions, Spending, Settings, and File › Export…, by their keys.
  for (const [key, screen] of [
    ['ctrl+2', 'transactions'],
    ['ctrl+3', 'spending'],
    ['ctrl+e', 'export'],
    ['Escape', null],
    ['ctrl+5', 'settings'],
  ]) {
    const mark = log().length
    xdo('key', '--clearmodifiers', key)
    if (screen) await shown(screen, mark)
    else await new Promise((r) => setTimeout(r, 300))
  }

  // The window cannot be made smaller than the app's minimum, 800×560.
  xdo('windowsize', '--sync', win, '640', '400')
  await new Promise((r) => setTimeout(r, 500))
  const g = geometry(win)
  assert.ok(g.w >= 800 && g.h >= 560, `window shrank to ${g.w}×${g.h}, below the 800×560 minimum`)

  // At that size Settings is taller than the window: scrolling it moves the
  // content, never the header (with the menu bar) or the sidebar.
  const before = path.join(dir, 'shell-before.png')
  const after = path.join(dir, 'shell-after.png')
  execFileSync('import', ['-window', win, before])
  xdo('mousemove', '--window', win, String(Math.round(g.w * 0.65)), String(Math.round(g.h * 0.6)))
  xdo('click', '--repeat', '8', '--delay', '60', '5') // wheel down
  await new Promise((r) => setTimeout(r, 600))
  execFileSync('import', ['-window', win, after])
  const header = { x: 0, y: 0, w: g.w, h: 68 } // the menu bar and the app header
  const sidebar = { x: 0, y: 80, w: 145, h: g.h - 80 }
  const content = { x: 220, y: 120, w: g.w - 240, h: g.h - 140 }
  assert.equal(region(after, header), region(before, header), `the header moved while the content scrolled: ${before} ${after}`)
  assert.equal(region(after, sidebar), region(before, sidebar), `the sidebar moved while the content scrolled: ${before} ${after}`)
  assert.notEqual(region(after, content), region(before, content), `the wheel did not scroll Settings: ${before} ${after}`)
}
