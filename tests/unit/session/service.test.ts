import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appendFile, chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createWriteStream } from 'node:fs'
import { gzipSync } from 'node:zlib'
import os from 'node:os'
import path from 'node:path'
import { SessionService } from '../../../electron/session/service'
import { dispatch } from '../../../electron/session/dispatch'
import { MemoryIncidentStorage } from '../../../electron/session/incident'
import type { DeployEvent, HealthSample } from '../../../shared/model/evidence'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'triage500-session-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function ready(service: SessionService, id: string) {
  await service.idle()
  const snap = await service.getSnapshot({})
  const s = snap.sources.find((x) => x.id === id)
  if (!s) throw new Error('source vanished')
  return s
}

describe('SessionService sources', () => {
  it('adds a file and counts its lines by streaming, including a last line without newline', async () => {
    const file = path.join(dir, 'a.log')
    await writeFile(file, 'one\ntwo\r\nthree')
    const service = new SessionService({ follow: false })
    const added = await service.addSource({ path: file })
    expect(added.state).toBe('reading')
    const s = await ready(service, added.id)
    expect(s).toMatchObject({ state: 'ready', lines: 3, sizeBytes: 14, name: 'a.log', error: null })
  })

  it('counts a 40 MB file without holding it in memory', async () => {
    const file = path.join(dir, 'big.log')
    const line = '10.0.0.1 - - [10/Oct/2026:13:55:36 +0000] "GET /api/items/1 HTTP/1.1" 200 512 "-" "curl/8.0"\n'
    const lines = Math.ceil((40 << 20) / line.length)
    const out = createWriteStream(file)
    const block = line.repeat(1000)
    for (let i = 0; i < lines / 1000; i++) if (!out.write(block)) await new Promise<void>((r) => out.once('drain', () => r()))
    await new Promise<void>((r) => out.end(r))
    const service = new SessionService()
    const before = process.memoryUsage().rss
    const added = await service.addSource({ path: file })
    const s = await ready(service, added.id)
    expect(s.lines).toBe(Math.ceil(lines / 1000) * 1000)
    expect(process.memoryUsage().rss - before).toBeLessThan(30 << 20)
  })

  it('reads .gz files', async () => {
    const file = path.join(dir, 'c.log.gz')
    await writeFile(file, gzipSync('a\nb\nc\nd\n'))
    const service = new SessionService()
    const s = await ready(service, (await service.addSource({ path: file })).id)
    expect(s.lines).toBe(4)
  })

  it('refuses bad paths in words and keeps what was added', async () => {
    const service = new SessionService()
    const good = path.join(dir, 'good.log')
    await writeFile(good, 'x\n')
    await service.addSource({ path: good })
    await expect(service.addSource({ path: path.join(dir, 'missing.log') })).rejects.toThrow(/missing\.log: no such file/)
    await expect(service.addSource({ path: dir })).rejects.toThrow(/is a directory/)
    const bin = path.join(dir, 'x.bin')
    await writeFile(bin, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2]))
    await expect(service.addSource({ path: bin })).rejects.toThrow(/binary file/)
    await expect(service.addSource({ path: good })).rejects.toThrow(/already added/)
    expect((await service.getSnapshot({})).sources.map((s) => s.name)).toEqual(['good.log'])
  })

  it.skipIf(process.getuid?.() === 0)('refuses an unreadable file (skipped as root: root reads everything)', async () => {
    const file = path.join(dir, 'secret.log')
    await writeFile(file, 'x\n')
    await chmod(file, 0o000)
    const service = new SessionService()
    await expect(service.addSource({ path: file })).rejects.toThrow(/permission denied/)
  })

  it('pages lines by number from disk', async () => {
    const file = path.join(dir, 'paged.log')
    await writeFile(file, Array.from({ length: 5000 }, (_, i) => `line ${i + 1}`).join('\n') + '\n')
    const service = new SessionService()
    const id = (await service.addSource({ path: file })).id
    await ready(service, id)
    const page = await service.readLines({ sourceId: id, fromLine: 4097, count: 3 })
    expect(page.lines).toEqual(['line 4097', 'line 4098', 'line 4099'])
    const tail = await service.readLines({ sourceId: id, fromLine: 4999, count: 10 })
    expect(tail).toEqual({ fromLine: 4999, lines: ['line 4999', 'line 5000'], eof: true })
  })

  it('notifies subscribers with increasing sequence numbers', async () => {
    const service = new SessionService()
    const seen: number[] = []
    service.subscribe((_e, p) => seen.push(p.seq))
    const file = path.join(dir, 'n.log')
    await writeFile(file, 'a\n')
    await service.addSource({ path: file })
    await service.idle()
    await expect.poll(() => seen.length).toBeGreaterThanOrEqual(1)
    expect([...seen].sort((a, b) => a - b)).toEqual(seen)
    await service.close()
  })

  it('follows a file after reading it: appended lines reach the session within 250 ms, a partial line only when complete', async () => {
    const file = path.join(dir, 'live.log')
    const line = (i: number, status: number) => `10.0.0.1 - - [10/Oct/2026:13:55:${String(i).padStart(2, '0')} +0000] "GET /api/pay/${i} HTTP/1.1" ${status} 10 "-" "k6"`
    await writeFile(file, `${line(1, 200)}\n${line(2, 200)}\n${line(3, 500).slice(0, 20)}`)
    const service = new SessionService()
    const id = (await service.addSource({ path: file })).id
    await service.idle()
    const info = async () => (await service.getSnapshot({})).sources.find((s) => s.id === id)
    expect(await info()).toMatchObject({ state: 'tailing', lines: 2, events: 2, format: 'nginx-combined' })
    const started = Date.now()
    await appendFile(file, `${line(3, 500).slice(20)}\n${line(4, 502)}\n`)
    await expect.poll(async () => (await info())?.lines, { interval: 10, timeout: 2000 }).toBe(4)
    expect(Date.now() - started).toBeLessThan(250)
    expect(await info()).toMatchObject({ events: 4, unparsed: 0, lastEventAt: '2026-10-10T13:55:04.000Z' })
    await service.close()
  })
})

describe('SessionService targets', () => {
  it('polls a health endpoint on loopback and shows its state, never its headers', async () => {
    let auth = ''
    const server = createServer((req, res) => {
      auth = String(req.headers.authorization)
      res.writeHead(503, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ status: 'DOWN', components: { db: { status: 'DOWN' }, ping: { status: 'UP' } } }))
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
    const port = (server.address() as AddressInfo).port
    const service = new SessionService()
    try {
      const t = await service.addTarget({ kind: 'health', name: 'orders-db', url: `http://127.0.0.1:${port}/actuator/health`, headers: { Authorization: 'Bearer s3cret' } })
      expect(t).toMatchObject({ name: 'orders-db', hasHeaders: true })
      await expect.poll(async () => (await service.getSnapshot({})).targets[0]?.ok, { timeout: 5000 }).toBe(false)
      const snap = await service.getSnapshot({})
      expect(snap.targets[0]).toMatchObject({ status: 503, components: expect.arrayContaining([{ name: 'db', ok: false, status: 'DOWN' }]) })
      expect(JSON.stringify(snap)).not.toContain('s3cret')
      expect(auth).toBe('Bearer s3cret')
      await expect(service.addTarget({ kind: 'health', name: 'orders-db', url: `http://127.0.0.1:${port}/x` })).rejects.toThrow(/exists already/)
    } finally {
      await service.close()
      await new Promise((r) => server.close(r))
    }
  })
})

/** Memory storage whose first sample save waits for `fail()` and then fails, as a full disk would. */
class FirstSampleFails extends MemoryIncidentStorage {
  calls = 0
  private release: () => void = () => undefined
  private readonly gate = new Promise<void>((resolve) => (this.release = resolve))
  fail(): void {
    this.release()
  }
  override async appendSample(id: string, kind: 'health' | 'deploys', sample: HealthSample | DeployEvent): Promise<void> {
    this.calls++
    if (this.calls === 1) {
      await this.gate
      throw new Error('disk full')
    }
    return super.appendSample(id, kind, sample)
  }
}

describe('SessionService samples', () => {
  it('shows a health sample only once it is saved, and a failed save is the target\'s error', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ status: 'UP' }))
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
    const port = (server.address() as AddressInfo).port
    const storage = new FirstSampleFails()
    const service = new SessionService({ storage })
    try {
      await service.addTarget({ kind: 'health', name: 'api', url: `http://127.0.0.1:${port}/health`, intervalMs: 1000 })
      await expect.poll(() => storage.calls, { timeout: 5000 }).toBe(1)
      // Polled and being saved: not shown yet.
      await expect.poll(async () => (await service.getSnapshot({})).targets[0]?.ok, { timeout: 5000 }).toBe(true)
      expect(service.targets.healthSamples).toHaveLength(0)
      storage.fail()
      await expect.poll(async () => (await service.getSnapshot({})).targets[0]?.lastError, { timeout: 5000 }).toBe('could not save the health sample: disk full')
      expect(service.targets.healthSamples).toHaveLength(0)
      // The next poll saves, so it shows, and the error goes.
      await expect.poll(() => service.targets.healthSamples.length, { timeout: 5000 }).toBe(1)
      await service.targets.settled()
      const { id } = await service.getIncident({})
      expect((await storage.readSamples(id)).health).toEqual(service.targets.healthSamples)
      expect((await service.getSnapshot({})).targets[0]?.lastError).toBeNull()
    } finally {
      await service.close()
      await new Promise((r) => server.close(r))
    }
  })
})

describe('dispatch', () => {
  it('wraps results and errors in envelopes, validating payloads', async () => {
    const service = new SessionService()
    expect(await dispatch(service, 'nope', {})).toMatchObject({ ok: false, error: { code: 'unknown-channel' } })
    expect(await dispatch(service, 'addSource', { path: 3 })).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringContaining('path') } })
    expect(await dispatch(service, 'addSource', { path: '/definitely/not/here.log' })).toEqual({
      ok: false,
      error: { code: 'bad-input', message: '/definitely/not/here.log: no such file' }
    })
    const ok = await dispatch(service, 'getSnapshot', {})
    expect(ok.ok).toBe(true)
  })
})

describe('SessionService pause', () => {
  it('pauses following and, on resume, reads what was written meanwhile, losing nothing', async () => {
    const file = path.join(dir, 'paused.log')
    const line = (i: number) => `10.0.0.1 - - [10/Oct/2026:13:56:${String(i).padStart(2, '0')} +0000] "GET /p/${i} HTTP/1.1" 200 10 "-" "k6"`
    await writeFile(file, `${line(1)}\n`)
    const service = new SessionService()
    const id = (await service.addSource({ path: file })).id
    await service.idle()
    const info = async () => (await service.getSnapshot({})).sources.find((s) => s.id === id)
    expect((await service.pauseSource({ id, paused: true })).state).toBe('paused')
    await appendFile(file, `${line(2)}\n${line(3)}\n`)
    await new Promise((r) => setTimeout(r, 400))
    expect((await info())?.lines).toBe(1)
    expect((await service.pauseSource({ id, paused: false })).state).toBe('tailing')
    await expect.poll(async () => (await info())?.lines, { timeout: 3000 }).toBe(3)
    await expect(service.pauseSource({ id: 'nope', paused: true })).rejects.toThrow(/no source/)
    await service.close()
  })
})

describe('SessionService format override', () => {
  it('re-reads a source as the format the engineer chose, and detects again on request', async () => {
    const file = path.join(dir, 'override.log')
    await writeFile(file, '10.0.0.1 - - [10/Oct/2026:13:55:36 +0000] "GET /x HTTP/1.1" 200 10 "-" "k6"\n')
    const service = new SessionService({ follow: false })
    const id = (await service.addSource({ path: file, format: 'logfmt' })).id
    await service.idle()
    const info = async () => (await service.getSnapshot({})).sources.find((s) => s.id === id)
    expect(await info()).toMatchObject({ format: 'logfmt', formatForced: true, unparsed: 1 })
    await service.setSourceFormat({ id, format: null })
    await service.idle()
    expect(await info()).toMatchObject({ format: 'nginx-combined', formatForced: false, events: 1, unparsed: 0 })
    expect((await service.getIncident({})).sources[0].format).toBeUndefined()
    await service.close()
  })
})
