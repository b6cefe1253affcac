import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createWriteStream } from 'node:fs'
import { gzipSync } from 'node:zlib'
import os from 'node:os'
import path from 'node:path'
import { SessionService } from '../../../electron/session/service'
import { dispatch } from '../../../electron/session/dispatch'

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
    const service = new SessionService()
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
    expect(seen.length).toBeGreaterThanOrEqual(2)
    expect([...seen].sort((a, b) => a - b)).toEqual(seen)
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
