/**
 * Issue #18.7: following a file the writer fills faster than it is read keeps the event loop
 * turning between bounded batches, queues nothing in memory, and says how far behind it is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { FileTailer, READ_CHUNK_BYTES, type TailLine } from '../../../electron/collect/tail'
import { DEFAULT_MAX_LINE_BYTES } from '../../../electron/collect/lines'
import { SessionService } from '../../../electron/session/service'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'triage500-live-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const access = (i: number): string =>
  `10.0.0.${i % 250} - - [10/Oct/2026:13:55:${String(i % 60).padStart(2, '0')} +0000] "GET /api/orders/${i} HTTP/1.1" ${i % 50 === 0 ? 500 : 200} 512 "-" "Mozilla/5.0 (X11; Linux x86_64)"`

function accessBody(from: number, n: number): string {
  let s = ''
  for (let i = from; i < from + n; i++) s += access(i) + '\n'
  return s
}

describe('FileTailer pace', () => {
  it('delivers a large backlog in bounded batches with a turn of the event loop between them, and reports the bytes not read yet', async () => {
    const file = path.join(dir, 'backlog.log')
    const body = accessBody(0, 30_000)
    const total = Buffer.byteLength(body)
    await writeFile(file, body)
    const batches: { bytes: number; behind: number; turnsBefore: number }[] = []
    let turns = 0
    let lines = 0
    let resolveDone: () => void = () => undefined
    const done = new Promise<void>((r) => (resolveDone = r))
    const tailer: FileTailer = new FileTailer(file, { fromStart: true, watch: false }, {
      onLines: (batch: TailLine[]) => {
        const bytes = batch.reduce((n, l) => n + Buffer.byteLength(l.text) + 1, 0)
        batches.push({ bytes, behind: tailer.behindBytes(), turnsBefore: turns })
        // Counts the loop's turns: a batch right after another without a turn between would not see it move.
        setImmediate(() => turns++)
        lines += batch.length
        if (lines === 30_000) resolveDone()
      }
    })
    await tailer.start()
    await done
    await tailer.stop()
    expect(batches.length).toBeGreaterThan(10)
    // One read's lines, plus the line an earlier read left unfinished.
    for (const b of batches) expect(b.bytes).toBeLessThanOrEqual(READ_CHUNK_BYTES + DEFAULT_MAX_LINE_BYTES)
    for (let i = 1; i < batches.length; i++) expect(batches[i].turnsBefore, `batch ${i}`).toBeGreaterThan(batches[i - 1].turnsBefore)
    // The first batch knew most of the file was still unread; once read, nothing is behind.
    expect(batches[0].behind).toBe(total - READ_CHUNK_BYTES)
    expect(batches[batches.length - 1].behind).toBe(0)
    expect(tailer.behindBytes()).toBe(0)
  })
})

describe('a followed source', () => {
  it('reads appends into its counts and is not behind once it has caught up', async () => {
    const file = path.join(dir, 'followed.log')
    await writeFile(file, accessBody(0, 100))
    const service = new SessionService({ follow: true })
    try {
      const id = (await service.addSource({ path: file })).id
      await service.idle()
      const card = async () => (await service.getSnapshot({})).sources.find((s) => s.id === id)
      expect(await card()).toMatchObject({ state: 'tailing', lines: 100, behindBytes: 0 })
      await appendFile(file, accessBody(100, 20_000))
      await expect.poll(async () => (await card())?.lines, { interval: 50, timeout: 20_000 }).toBe(20_100)
      const after = await card()
      expect(after).toMatchObject({ events: 20_100, eventLines: 20_100, unparsed: 0, behindBytes: 0 })
      // The tail continues the read's request counts: each request counted once, 1 in 50 a 500.
      const analysis = await service.getAnalysis({})
      expect(analysis?.v1.requests).toBe(20_100)
      expect(analysis?.v1.statusCounts['500']).toBe(20_100 / 50)
    } finally {
      await service.close()
    }
  })
})
