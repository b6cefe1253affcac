/**
 * `serve` stops on the first SIGTERM / SIGINT: it closes what it follows (tails, pollers, the
 * demo's service), the WebSocket and the HTTP server, then exits 0. The real built CLI is
 * spawned with its home in a tmp dir and driven through its WebSocket API, as the page does.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import WebSocket from 'ws'
import { readLogFile } from '../../../electron/collect/read-file'
import { inspectSourceFile } from '../../../electron/collect/source-file'
import { repoRoot } from '../../support/shared-data'

const cli = path.join(repoRoot, 'out', 'main', 'cli.js')
const workerScript = path.join(repoRoot, 'out', 'main', 'ingest-worker.js')
const built = existsSync(cli)
if (!built) console.log('[serve-signals.test] out/main/cli.js missing: skipped (npm test builds first)')

interface Served {
  child: ChildProcess
  ws: WebSocket
  stderr: () => string
  call(channel: string, payload: unknown): Promise<{ ok: boolean; value?: unknown; error?: { message: string } }>
}

let home = ''
let served: Served | null = null
beforeEach(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'triage500-serve-sig-'))
})
afterEach(async () => {
  // A serve that ignored the signal must not outlive the test.
  if (served && served.child.exitCode === null && served.child.signalCode === null) served.child.kill('SIGKILL')
  served = null
  await rm(home, { recursive: true, force: true })
})

async function startServe(): Promise<Served> {
  const child = spawn(process.execPath, [cli, 'serve', '--no-open', '--port', '0'], { env: { ...process.env, TRIAGE500_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] })
  let err = ''
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()))
  const url = await new Promise<URL>((resolve, reject) => {
    let out = ''
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString()
      const line = out.split('\n').find((l) => l.startsWith('http://'))
      if (line) resolve(new URL(line.trim()))
    })
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)))
  })
  const token = new URLSearchParams(url.hash.slice(1)).get('token') ?? ''
  const ws = new WebSocket(`ws://127.0.0.1:${url.port}/api/ws?token=${token}`, { origin: url.origin })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  let nextId = 0
  const call: Served['call'] = (channel, payload) =>
    new Promise((resolve) => {
      const id = ++nextId
      const onMessage = (d: WebSocket.RawData): void => {
        const msg = JSON.parse(String(d)) as { id?: number; envelope?: Awaited<ReturnType<Served['call']>> }
        if (msg.id !== id || !msg.envelope) return
        ws.off('message', onMessage)
        resolve(msg.envelope)
      }
      ws.on('message', onMessage)
      ws.send(JSON.stringify({ id, channel, payload }))
    })
  served = { child, ws, stderr: () => err, call }
  return served
}

/** How the process ended, or 'still running' after `ms`. */
function exitWithin(child: ChildProcess, ms: number): Promise<{ code: number | null; signal: NodeJS.Signals | null } | 'still running'> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve({ code: child.exitCode, signal: child.signalCode })
    const timer = setTimeout(() => resolve('still running'), ms)
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal })
    })
  })
}

const accessLine = (sec: number, status: number): string =>
  `10.0.3.14 - - [02/Dec/2026:10:28:${String(sec).padStart(2, '0')} +0000] "GET /api/cart HTTP/1.1" ${status} 412 "-" "Mozilla/5.0 (X11; Linux x86_64)"\n`

async function followedLog(): Promise<string> {
  const file = path.join(home, 'access.log')
  await writeFile(file, [0, 1, 2, 3].map((s) => accessLine(s, 200)).join(''))
  return file
}

describe.skipIf(!built)('serve on a signal', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('stops on the first %s while following a file: exit 0, the socket closed', async (signal) => {
    const app = await startServe()
    const file = await followedLog()
    const added = await app.call('addSource', { path: file })
    expect(added.ok).toBe(true)
    await expect.poll(async () => ((await app.call('getSnapshot', {})).value as { sources: { state: string }[] }).sources[0]?.state, { timeout: 10_000 }).toBe('tailing')
    await appendFile(file, accessLine(4, 500))
    const socketClosed = new Promise<void>((resolve) => app.ws.once('close', () => resolve()))
    app.child.kill(signal)
    expect(await exitWithin(app.child, 5000)).toEqual({ code: 0, signal: null })
    await socketClosed
    expect(app.stderr()).toContain(`${signal}: closing followers and connections`)
  }, 30_000)

  it('stops on the first SIGTERM while the demo incident runs (its service, tails and pollers)', async () => {
    const app = await startServe()
    const started = await app.call('startDemo', {})
    expect(started.ok).toBe(true)
    app.child.kill('SIGTERM')
    expect(await exitWithin(app.child, 5000)).toEqual({ code: 0, signal: null })
  }, 30_000)
})

describe.skipIf(!existsSync(workerScript))('a read cancelled before its workers start', () => {
  it('does not start them: it rejects as cancelled', async () => {
    const file = path.join(home, 'big.log')
    // Over WORKER_MIN_BYTES, so the read would go to a worker.
    await writeFile(file, Array.from({ length: 20_000 }, (_, i) => accessLine(i % 60, 200)).join(''))
    const abort = new AbortController()
    abort.abort()
    await expect(readLogFile(await inspectSourceFile(file), { workers: 1, workerScript, signal: abort.signal })).rejects.toThrow('reading was cancelled')
  })
})
