// The production binary in a real (virtual) window: it starts against the
// built-in sandbox, its first screen reports ready, and the screen is not blank.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, execFileSync } from 'node:child_process'
import { once } from 'node:events'
import path from 'node:path'
import { bin, tempDir, withTimeout } from './helpers.mjs'

describe('desktop window', () => {
  it('opens on the built-in sandbox and renders the first screen', async () => {
    assert.ok(process.env.DISPLAY, 'run under xvfb-run (make e2e does)')
    const dir = tempDir()
    const proc = spawn(bin, [], {
      env: { ...process.env, BANKDESK_DATA_DIR: path.join(dir, 'data'), BANKDESK_ENV: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let log = ''
    proc.stderr.setEncoding('utf8')
    proc.stdout.setEncoding('utf8')
    const ready = new Promise((resolve, reject) => {
      const onData = (chunk) => {
        log += chunk
        // The frontend calls ReportReady only after it rendered the status and
        // the bank list it fetched from the in-process sandbox.
        if (/bankdesk ready.*screen=welcome/.test(log)) resolve()
      }
      proc.stderr.on('data', onData)
      proc.stdout.on('data', onData)
      proc.once('exit', (code) => reject(new Error(`bankdesk exited ${code}:\n${log}`)))
    })
    try {
      await withTimeout(ready, 60000, 'window never reported ready')
      assert.match(log, /backend ready.*env=builtin/)

      const shot = path.join(dir, 'window.png')
      execFileSync('import', ['-window', 'root', shot])
      // A blank or single-colour screen has a handful of colours; the first
      // screen with text and logos has hundreds.
      const colours = Number(execFileSync('identify', ['-format', '%k', shot], { encoding: 'utf8' }))
      assert.ok(colours > 50, `screenshot looks blank (${colours} colours): ${shot}`)
    } finally {
      proc.kill('SIGTERM')
      if (proc.exitCode === null) await once(proc, 'exit')
    }
  })
})
