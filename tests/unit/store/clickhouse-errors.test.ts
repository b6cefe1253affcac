/**
 * A store that fails: refused, silent, overloaded, redirecting elsewhere, credentials kept
 * badly. Each is one line naming the store (no credentials) and what failed, never a crash;
 * a followed store that is overloaded shows "slow" on its card and keeps being retried.
 * Real loopback servers on 127.0.0.1 stand in for a ClickHouse that misbehaves.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { clickhouseAdapter } from '../../../electron/collect/store/clickhouse'
import { StoreError } from '../../../electron/collect/store/errors'
import type { StoreSpec } from '../../../electron/collect/store/types'
import { SessionService } from '../../../electron/session/service'
import { AddStoreRequest } from '../../../shared/contract'
import { runCli } from '../../../electron/cli/main'

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void

const servers: http.Server[] = []
async function serve(handler: Handler): Promise<string> {
  const server = http.createServer(handler)
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections()
    await new Promise((resolve) => s.close(resolve))
  }
})

const spec = (url: string, extra: Partial<StoreSpec> = {}): StoreSpec => ({
  kind: 'clickhouse',
  url,
  query: 'shop.access',
  from: Date.UTC(2026, 2, 10, 14),
  to: Date.UTC(2026, 2, 10, 15),
  credential: { kind: 'none' },
  ...extra
})

async function failure(promise: Promise<unknown>): Promise<StoreError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e
  )
  expect(err).toBeInstanceOf(StoreError)
  const e = err as StoreError
  expect(e.message.split('\n')).toHaveLength(1)
  return e
}

describe('ClickHouse store errors', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'triage500-store-err-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('a port nothing listens on is "unreachable", retried later', async () => {
    const url = await serve(() => undefined)
    const port = new URL(url).port
    const s = servers.pop()
    await new Promise((resolve) => s?.close(resolve))
    const e = await failure(clickhouseAdapter().read(spec(url)))
    expect(e.kind).toBe('unreachable')
    expect(e.retryable).toBe(true)
    expect(e.message).toBe(`clickhouse http://127.0.0.1:${port} unreachable: connection refused`)
  })

  it('a store that never answers times out with the query it was running', async () => {
    const url = await serve(() => undefined)
    const e = await failure(clickhouseAdapter({ limits: { timeoutMs: 300 } }).read(spec(url)))
    expect(e.kind).toBe('timeout')
    expect(e.message).toMatch(/^clickhouse http:\/\/127\.0\.0\.1:\d+: describing the table timed out after 300 ms$/)
  })

  it('503 and 429 are "slow": back off and retry', async () => {
    for (const status of [503, 429]) {
      const url = await serve((_req, res) => res.writeHead(status, { 'retry-after': '5' }).end('Too many simultaneous queries'))
      const e = await failure(clickhouseAdapter().read(spec(url)))
      expect(e.kind).toBe('slow')
      expect(e.retryable).toBe(true)
      expect(e.message).toContain(`HTTP ${status}`)
    }
  })

  it('an answer that is not JSON says so, with the start of what came', async () => {
    const url = await serve((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>proxy login</body></html>'))
    const e = await failure(clickhouseAdapter().read(spec(url)))
    expect(e.kind).toBe('unreadable')
    expect(e.message).toContain('the answer is not JSON (<html><body>proxy login')
  })

  it('a redirect to another host is not followed: the credentials stay with the store', async () => {
    let elsewhere = 0
    const other = await serve((_req, res) => {
      elsewhere++
      res.end('{}')
    })
    const url = await serve((_req, res) => res.writeHead(302, { location: other.replace('127.0.0.1', 'localhost') }).end())
    process.env.TRIAGE500_TEST_REDIRECT = 'triage:s3cret'
    const e = await failure(clickhouseAdapter().read(spec(url, { credential: { kind: 'env', name: 'TRIAGE500_TEST_REDIRECT', scheme: 'basic' } })))
    delete process.env.TRIAGE500_TEST_REDIRECT
    expect(e.message).toContain('redirected to another host')
    expect(e.message).not.toContain('s3cret')
    expect(elsewhere).toBe(0)
  })

  it('a credential file readable by others is refused, naming the file; a 0600 one is sent as basic auth', async () => {
    const file = path.join(dir, 'ch.cred')
    writeFileSync(file, 'triage:s3cret\n')
    chmodSync(file, 0o644)
    const seen: (string | undefined)[] = []
    const url = await serve((req, res) => {
      seen.push(req.headers.authorization)
      res.writeHead(500).end('Code: 60, e.displayText() = DB::Exception: Table shop.access doesn\'t exist., e.what() = DB::Exception')
    })
    const loose = await failure(clickhouseAdapter().read(spec(url, { credential: { kind: 'file', path: file, scheme: 'basic' } })))
    expect(loose.kind).toBe('credential')
    expect(loose.message).toBe(`credential file ${file} is readable by others (mode 644); chmod 600 it`)
    expect(seen).toEqual([])
    chmodSync(file, 0o600)
    const e = await failure(clickhouseAdapter().read(spec(url, { credential: { kind: 'file', path: file, scheme: 'basic' } })))
    expect(seen).toEqual([`Basic ${Buffer.from('triage:s3cret').toString('base64')}`])
    expect(e.message).toBe(`clickhouse ${url}: describing the table failed (HTTP 500, code 60): Table shop.access doesn't exist.`)
    expect(e.message).not.toContain('s3cret')
  })

  it('the API refuses a store URL carrying credentials, and a window that ends before it starts', () => {
    const base = { kind: 'clickhouse', query: 'shop.access', from: 2000, to: 3000, credential: { kind: 'none' } }
    expect(AddStoreRequest.safeParse({ ...base, url: 'http://triage:s3cret@127.0.0.1:8123' }).error?.issues[0].message).toMatch(/must not carry credentials/)
    expect(AddStoreRequest.safeParse({ ...base, url: 'http://127.0.0.1:8123', to: 1000 }).success).toBe(false)
    expect(AddStoreRequest.safeParse({ ...base, url: 'http://127.0.0.1:8123' }).success).toBe(true)
  })

  it('a followed store that answers 503 shows "slow" on its card, keeps nothing secret, and the incident stands', async () => {
    const url = await serve((_req, res) => res.writeHead(503).end('overloaded'))
    const session = new SessionService({ follow: true })
    process.env.CH_PASSWORD = 'triage:s3cret'
    try {
      const info = await session.addStore({ kind: 'clickhouse', url, query: 'shop.access', from: Date.UTC(2026, 2, 10, 14), to: null, credential: { kind: 'env', name: 'CH_PASSWORD', scheme: 'basic' }, intervalMs: 5000 })
      expect(info.store?.credential).toBe('basic env:CH_PASSWORD')
      await session.idle()
      const card = (await session.getSnapshot({})).sources.find((s) => s.id === info.id)
      expect(card?.store?.health).toBe('slow')
      expect(card?.state).not.toBe('error')
      expect(card?.error).toMatch(/^clickhouse http:\/\/127\.0\.0\.1:\d+: describing the table: HTTP 503, the store asks to come back later$/)
      expect(card?.store?.nextReadAt).not.toBeNull()
      expect(JSON.stringify(card)).not.toContain('s3cret')
      expect(JSON.stringify(await session.getIncident({}))).not.toContain('s3cret')
      expect((await session.getIncident({})).sources[0].store?.credential).toEqual({ kind: 'env', name: 'CH_PASSWORD', scheme: 'basic' })
    } finally {
      delete process.env.CH_PASSWORD
      await session.close()
    }
  })

  it('analyze: --store usage mistakes are one line, exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['--store', 'http://127.0.0.1:1', '--from', 'now-1h'], /--store needs --query/],
      [['--store', 'http://127.0.0.1:1', '--query', 'shop.access'], /--store needs --from/],
      [['--query', 'shop.access'], /--query needs --store URL/],
      [['--store', 'http://127.0.0.1:1', '--query', 'shop.access', '--from', 'yesterday'], /--from takes an ISO-8601 time/],
      [['--store', 'http://127.0.0.1:1', '--query', 'x', '--from', 'now-1h', '--store-credential', 'password'], /--store-credential takes env:NAME or file:PATH/],
      [['--store', 'http://u:p@127.0.0.1:1', '--query', 'x', '--from', 'now-1h'], /--store: must not carry credentials/]
    ]
    for (const [argv, message] of cases) {
      let err = ''
      const code = await runCli(['analyze', ...argv], { stdout: () => undefined, stderr: (t) => (err += t), cwd: dir })
      expect(code, argv.join(' ')).toBe(2)
      expect(err.trim()).toMatch(message)
      expect(err.trim().split('\n')).toHaveLength(1)
    }
  })
})
