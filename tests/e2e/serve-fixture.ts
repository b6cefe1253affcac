import { test as base } from '@playwright/test'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { repoRoot } from '../support/shared-data'

export interface ServedApp {
  /** The URL `triage500 serve` printed, token included. */
  url: string
  origin: string
  token: string
  home: string
  stderr(): string
}

/**
 * Starts the real browser-mode host (the built CLI) and hands its printed URL to the test.
 * With `home`, it runs on that existing data directory (a restart) and leaves it in place when stopped.
 */
export async function startServe(opts: { home?: string } = {}): Promise<ServedApp & { stop(): Promise<void> }> {
  const cli = path.join(repoRoot, 'out', 'main', 'cli.js')
  if (!existsSync(cli)) throw new Error('out/main/cli.js is missing: run `npm run build` before the e2e tests')
  const home = opts.home ?? (await mkdtemp(path.join(os.tmpdir(), 'triage500-e2e-')))
  const child: ChildProcess = spawn(process.execPath, [cli, 'serve', '--no-open', '--port', '0'], {
    env: { ...process.env, TRIAGE500_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let err = ''
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()))
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(`serve printed no URL in 15 s; stderr: ${err}`)), 15_000)
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString()
      const line = out.split('\n').find((l) => l.startsWith('http://'))
      if (line) {
        clearTimeout(timer)
        resolve(line.trim())
      }
    })
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)))
  })
  const parsed = new URL(url)
  const token = new URLSearchParams(parsed.hash.slice(1)).get('token') ?? ''
  return {
    url,
    origin: parsed.origin,
    token,
    home,
    stderr: () => err,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        child.kill('SIGTERM')
        await exited
      }
      if (!opts.home) await rm(home, { recursive: true, force: true })
    }
  }
}

export const test = base.extend<{ app: ServedApp }>({
  // Playwright reads fixture dependencies from the destructuring pattern; this one has none.
  // eslint-disable-next-line no-empty-pattern
  app: async ({}, use) => {
    const served = await startServe()
    await use(served)
    await served.stop()
  }
})

export { expect } from '@playwright/test'
