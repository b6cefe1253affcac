import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { gzipSync } from 'node:zlib'
import os from 'node:os'
import path from 'node:path'
import { readLogFile, splitRanges, detectFileFormat } from '../../../electron/collect/read-file'
import { inspectSourceFile } from '../../../electron/collect/source-file'
import { readLinesAt } from '../../../electron/collect/line-index'
import { hasSharedData, sharedData } from '../../support/shared-data'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'triage500-read-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const access = (i: number, status: number, sec = i % 60) =>
  `10.0.0.${i % 250} - - [10/Oct/2026:13:55:${String(sec).padStart(2, '0')} +0000] "GET /api/orders/${1000 + i}?x=1 HTTP/1.1" ${status} ${200 + i} "-" "curl/8.0"`

async function file(name: string, body: string | Buffer): Promise<string> {
  const p = path.join(dir, name)
  await writeFile(p, body)
  return p
}

describe('readLogFile', () => {
  it('detects the format and counts requests, statuses, unparsed lines and the time window', async () => {
    const lines = Array.from({ length: 300 }, (_, i) => access(i, i % 100 === 0 ? 500 : 200))
    lines.splice(150, 0, 'this line is garbage')
    const p = await file('access.log', lines.join('\n') + '\n')
    const r = await readLogFile(await inspectSourceFile(p))
    expect(r.format).toBe('nginx-combined')
    expect(r.lines).toBe(301)
    expect(r.events).toBe(300)
    expect(r.unparsed).toBe(1)
    expect(r.unparsedSamples[0]).toMatchObject({ line: 151, text: 'this line is garbage' })
    expect(r.requests.requests).toBe(300)
    expect(r.requests.statusCounts[500]).toBe(3)
    expect(r.requests.failing.map((e) => e.line)).toEqual([1, 101, 202])
    expect(new Date(r.timeFrom ?? 0).toISOString()).toBe('2026-10-10T13:55:00.000Z')
    expect(new Date(r.timeTo ?? 0).toISOString()).toBe('2026-10-10T13:55:59.000Z')
    const route = r.requests.routes.find((x) => x.route === '/api/orders/:id')
    expect(route).toMatchObject({ method: 'GET', total: 300, s5xx: 3 })
  })

  it('reads .gz files the same way', async () => {
    const body = Array.from({ length: 50 }, (_, i) => access(i, 502)).join('\n')
    const p = await file('access.log.gz', gzipSync(body))
    const r = await readLogFile(await inspectSourceFile(p))
    expect(r).toMatchObject({ format: 'nginx-combined', lines: 50, events: 50, unparsed: 0 })
    expect(r.requests.statusCounts[502]).toBe(50)
  })

  it('keeps folded stack traces as one error event each, with exact line numbers', async () => {
    const app = [
      '2026-10-10 13:55:00.001 INFO [main] com.shop.Api - started',
      '2026-10-10 13:55:01.002 ERROR [http-1] com.shop.Checkout - payment failed',
      'java.lang.IllegalStateException: card declined',
      '\tat com.shop.Checkout.pay(Checkout.java:42)',
      '\tat com.shop.Api.handle(Api.java:7)',
      '2026-10-10 13:55:02.003 INFO [main] com.shop.Api - ok'
    ]
    const p = await file('app.log', app.join('\n') + '\n')
    const r = await readLogFile(await inspectSourceFile(p))
    expect(r.format).toBe('text-app')
    expect(r.lines).toBe(6)
    expect(r.events).toBe(3)
    expect(r.errorEvents).toHaveLength(1)
    expect(r.errorEvents[0]).toMatchObject({ line: 2, lines: 4, errorType: 'java.lang.IllegalStateException' })
  })

  it('pages lines back from disk with the index it built', async () => {
    const p = await file('paged.log', Array.from({ length: 5000 }, (_, i) => access(i, 200)).join('\n') + '\n')
    const info = await inspectSourceFile(p)
    const r = await readLogFile(info)
    const page = await readLinesAt(info, r.index, 4100, 2)
    expect(page.lines).toEqual([access(4099, 200), access(4100, 200)])
  })

  it('splits a file only at line starts that are not continuation lines', async () => {
    const body = ['a', 'b', '  cont1', '  cont2', 'c', 'd'].join('\n') + '\n'
    const p = await file('split.log', body)
    const ranges = await splitRanges(p, body.length, 3)
    for (const [start] of ranges.slice(1)) {
      expect(body[start - 1]).toBe('\n')
      expect(body[start]).not.toBe(' ')
    }
    expect(ranges[0][0]).toBe(0)
    expect(ranges[ranges.length - 1][1]).toBe(body.length)
  })

  it.skipIf(!hasSharedData)('reads Elastic’s real access log: 10,000 requests, three 500s, nothing unparsed', async () => {
    const info = await inspectSourceFile(sharedData('nginx', 'elastic-examples_apache_access_combined_10k.log'))
    expect((await detectFileFormat(info)).format).toBe('nginx-combined')
    const r = await readLogFile(info)
    expect(r).toMatchObject({ lines: 10_000, events: 10_000, unparsed: 0 })
    expect(r.requests.statusCounts[500]).toBe(3)
  })
})

describe('error group sample locations', () => {
  it('points each group at the file and line of its sample', async () => {
    const app = [
      '2026-10-10 13:55:00.001 INFO [main] com.shop.Api - started',
      '2026-10-10 13:55:01.002 ERROR [http-1] com.shop.Checkout - payment failed',
      'java.lang.IllegalStateException: card declined',
      '\tat com.shop.Checkout.pay(Checkout.java:42)'
    ]
    const p = await file('located.log', app.join('\n') + '\n')
    const r = await readLogFile(await inspectSourceFile(p))
    expect(r.errorGroups).toHaveLength(1)
    expect(r.groupLocations[r.errorGroups[0].id]).toEqual({ path: p, line: 2 })
  })
})

describe('paging lines of a file with bare CR terminators', () => {
  it('pages to the same line numbers the reader counted', async () => {
    const p = await file('cr-only.log', Array.from({ length: 3000 }, (_, i) => `entry ${i + 1}`).join('\r') + '\r')
    const info = await inspectSourceFile(p)
    const r = await readLogFile(info)
    expect(r.lines).toBe(3000)
    expect((await readLinesAt(info, r.index, 2500, 2)).lines).toEqual(['entry 2500', 'entry 2501'])
    expect(await readLinesAt(info, r.index, 2999, 5)).toEqual({ lines: ['entry 2999', 'entry 3000'], eof: true })
  })
})

describe('splitRanges on one giant line', () => {
  it('ends when the last probe holds a single byte (a 50 MB one-line file used to spin forever)', async () => {
    // From the midpoint the 64 KiB probes advance 65,535 bytes each: this size leaves exactly one byte for the last one.
    const size = 2 * (65_535 * 3 + 1)
    const file = path.join(dir, 'one-line.log')
    await writeFile(file, `${'x'.repeat(size - 1)}\n`)
    expect(await splitRanges(file, size, 2)).toEqual([[0, size]])
  })
})
