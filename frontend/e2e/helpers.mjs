// Shared helpers for the end-to-end tests: the real bankdesk binary, Debian's
// chromium through playwright-core (never a downloaded browser).
import { spawn, execFileSync } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const here = path.dirname(fileURLToPath(import.meta.url))
export const root = path.resolve(here, '..', '..')
export const bin = process.env.BANKDESK_BIN ?? path.join(root, 'build', 'bin', 'bankdesk')

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
