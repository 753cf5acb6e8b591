// The production binary in a real (virtual) window: it starts against the
// built-in sandbox, its first screen reports ready, and the screen is not blank.
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
    } finally {
      proc.kill('SIGTERM')
      if (proc.exitCode === null) await once(proc, 'exit')
    }
  })
})
