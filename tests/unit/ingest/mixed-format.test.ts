/**
 * Issue #18.7: in a mixed-format file every physical line is counted exactly once, as a line of an
 * event (its folded lines included), a directive or an unparsed line, whatever format reads it,
 * whichever way it is read (one thread, parts merged, a session's source card, the CLI).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { gzipSync } from 'node:zlib'
import os from 'node:os'
import path from 'node:path'
import type { FoldedItem } from '../../../shared/model/evidence'
import { readLogFile, runWorkerJob, splitRanges, type WorkerMessage } from '../../../electron/collect/read-file'
import { type IngestResult, mergeResults } from '../../../electron/collect/ingest'
import { inspectSourceFile } from '../../../electron/collect/source-file'
import { FORMAT_DEFINITIONS } from '../../../electron/collect/formats'
import { SessionService } from '../../../electron/session/service'
import { runCli } from '../../../electron/cli/main'
import { AnalysisV1 } from '../../../shared/contract/analysis'
import { repoRoot } from '../../support/shared-data'

let dir: string
let mixed: string
let physicalLines: number

const two = (n: number): string => String(n % 60).padStart(2, '0')

/** 100 nginx combined lines, 100 JSON app lines and 100 Python tracebacks or text lines, interleaved. */
function mixedLines(): string[] {
  const out: string[] = []
  for (let i = 0; i < 100; i++) {
    out.push(`10.0.0.${i % 250} - - [10/Oct/2026:13:55:${two(i)} +0000] "GET /api/orders/${i} HTTP/1.1" ${i % 10 === 0 ? 500 : 200} 512 "-" "curl/8.0"`)
    out.push(JSON.stringify({ time: `2026-10-10T13:55:${two(i)}Z`, level: i % 7 === 0 ? 'error' : 'info', msg: `order ${i} handled`, request_id: `r${i}` }))
    if (i % 4 === 0) out.push('Traceback (most recent call last):', '  File "app.py", line 12, in handle', '    do()', `ValueError: bad order ${i}`)
    else if (i % 4 === 1) out.push(`2026-10-10 13:55:${two(i)},123 ERROR worker: job ${i} failed`)
    else if (i % 4 === 2) out.push('')
    else out.push(`#Fields: date time cs-method cs-uri-stem sc-status`, `plain note ${i}`)
  }
  return out
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'triage500-mixed-'))
  mixed = path.join(dir, 'mixed.log')
  const lines = mixedLines()
  physicalLines = lines.length
  await writeFile(mixed, lines.join('\n') + '\n')
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** The accounting every reading must satisfy. */
function expectEveryLineOnce(r: Pick<IngestResult, 'lines' | 'eventLines' | 'directiveLines' | 'unparsed'>, lines = physicalLines): void {
  expect(r.lines).toBe(lines)
  expect(r.eventLines + r.directiveLines + r.unparsed).toBe(r.lines)
}

describe('a mixed-format file', () => {
  it('is read with every line in exactly one item, and the counts add up to the lines', async () => {
    const items: FoldedItem[] = []
    const r = await readLogFile(await inspectSourceFile(mixed), { onItem: (item) => items.push(item) })
    expect(items.reduce((n, item) => n + item.lines, 0)).toBe(physicalLines)
    const events = items.filter((i) => i.kind !== 'unparsed' && i.kind !== 'directive')
    expect(r.events).toBe(events.length)
    expect(r.eventLines).toBe(events.reduce((n, i) => n + i.lines, 0))
    expect(r.unparsed).toBe(items.filter((i) => i.kind === 'unparsed').reduce((n, i) => n + i.lines, 0))
    expectEveryLineOnce(r)
    // Lines folded into events are counted in them: more event lines than events.
    expect(r.eventLines).toBeGreaterThan(r.events)
  })

  it('adds up under every format the reader knows', async () => {
    const info = await inspectSourceFile(mixed)
    for (const def of FORMAT_DEFINITIONS) {
      const items: FoldedItem[] = []
      const r = await readLogFile(info, { format: def.id, onItem: (item) => items.push(item) })
      expect(items.reduce((n, item) => n + item.lines, 0), def.id).toBe(physicalLines)
      expect(r.eventLines + r.directiveLines + r.unparsed, def.id).toBe(physicalLines)
    }
  })

  it('counts W3C directive lines as read, apart from events and unparsed lines', async () => {
    const r = await readLogFile(await inspectSourceFile(path.join(repoRoot, 'tests/fixtures/logs/iis-w3c/beats-iis-test.log')))
    expect(r.format).toBe('iis-w3c')
    expect(r.directiveLines).toBeGreaterThan(0)
    expectEveryLineOnce(r, r.lines)
  })

  it('adds up when read in parts and merged (the worker path)', async () => {
    const info = await inspectSourceFile(mixed)
    const format = (await readLogFile(info)).format
    const ranges = await splitRanges(mixed, info.sizeBytes, 3)
    expect(ranges.length).toBe(3)
    const parts: IngestResult[] = []
    for (const [start, end] of ranges) {
      let done: IngestResult | null = null
      await runWorkerJob({ path: mixed, start, end, format, fieldMap: null, holdPartialLastLine: false }, (msg: WorkerMessage) => {
        if (msg.type === 'done') done = msg.result
      })
      expect(done).not.toBeNull()
      if (done) parts.push(done)
    }
    expectEveryLineOnce(mergeResults(parts))
  })

  it('reads the same in one worker given the whole file, detecting its format there, plain or gzip', async () => {
    const here = await readLogFile(await inspectSourceFile(mixed))
    const gz = path.join(dir, 'mixed.log.gz')
    await writeFile(gz, gzipSync(await readFile(mixed)))
    for (const [file, gzip] of [[mixed, false], [gz, true]] as const) {
      let done: IngestResult | null = null
      await runWorkerJob({ path: file, start: 0, end: (await stat(file)).size, gzip, format: null, fieldMap: null, holdPartialLastLine: false }, (msg: WorkerMessage) => {
        if (msg.type === 'done') done = msg.result
      })
      expect(done, file).toMatchObject({ format: here.format, lines: here.lines, events: here.events, eventLines: here.eventLines, unparsed: here.unparsed })
    }
  })

  it('shows on its source card as events over their lines plus unparsed lines, covering every line', async () => {
    const service = new SessionService({ follow: false })
    try {
      await service.addSource({ path: mixed })
      await service.idle()
      const [card] = (await service.getSnapshot({})).sources
      expect(card.state).toBe('ready')
      expectEveryLineOnce(card)
      expect(card.events).toBeGreaterThan(0)
    } finally {
      await service.close()
    }
  })

  it('says the same in `analyze --format json`', async () => {
    const io = { out: '', err: '', cwd: dir, stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) }
    expect(await runCli(['analyze', '--format', 'json', mixed], io)).toBe(0)
    const [source] = AnalysisV1.strict().parse(JSON.parse(io.out)).sources
    expectEveryLineOnce(source)
  })
})
