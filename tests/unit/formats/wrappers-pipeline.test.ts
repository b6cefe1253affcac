/**
 * Wrapped formats through the real reading pipeline (readLogFile → LinePipeline → EventFolder):
 * detected ids, exact counts from each fixture's expect file, physical line accounting, and
 * wrapped files built from real payload lines of tests/fixtures/formats in real wrapper syntax.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { readdirSync, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FoldedItem, LogFormatId } from '../../../shared/model/evidence'
import { createParser, formatDefinition, formatFamily, isKnownFormat } from '../../../electron/collect/formats'
import { cutAfter } from '../../../electron/collect/formats/wrapped'
import { mergeResults, type IngestResult } from '../../../electron/collect/ingest'
import { readLogFile, runWorkerJob, splitRanges, type ReadResult, type WorkerMessage } from '../../../electron/collect/read-file'
import { inspectSourceFile } from '../../../electron/collect/source-file'
import { hasSharedData, sharedData } from '../../support/shared-data'

const WRAPPED = path.resolve(__dirname, '../../fixtures/logs/wrappers')
const FORMATS = path.resolve(__dirname, '../../fixtures/formats')

interface Expect {
  wrapper: string
  payloadFormat: string | null
  records: number
  payloads: number
  requests: number | null
  statusCounts: Record<string, number> | null
  events: number | null
}

const HAPROXY = formatDefinition('haproxy-http') !== undefined

/** The id each fixture must be detected as (syslog's plain-text reading is the registered `syslog`). */
const IDS: Record<string, LogFormatId> = {
  'compose.log': 'compose',
  'cri-calico.log': 'cri+text-app',
  'cri-kubelet.log': 'cri',
  'docker-apache.log': 'docker+common',
  'docker-redis.log': 'docker',
  'docker-split.log': 'docker',
  'journald-json.log': 'journald',
  'kubectl-prefix.log': 'kubectl',
  // haproxy-http is another branch's definition: until it lands the payloads are plain text.
  'syslog-haproxy.log': HAPROXY ? 'syslog+haproxy-http' : 'syslog',
  'syslog5424.log': 'syslog'
}

async function read(file: string, workers = 1): Promise<{ result: ReadResult; items: FoldedItem[] }> {
  const items: FoldedItem[] = []
  const result = await readLogFile(await inspectSourceFile(file), { workers, onItem: (item) => items.push(item) })
  return { result, items }
}

function physicalLines(text: string): number {
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0)
}

/** Every physical line is in exactly one item: in file order, each item starts where the one before ended. */
function expectEveryLineOnce(items: readonly FoldedItem[], lines: number): void {
  let next = 1
  for (const item of items) {
    expect(item.line).toBe(next)
    next += item.lines
  }
  expect(next - 1).toBe(lines)
}

function statusCounts(items: readonly FoldedItem[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const item of items) if (item.kind === 'request') counts[item.status] = (counts[item.status] ?? 0) + 1
  return counts
}

describe('wrapped fixtures through readLogFile', () => {
  const fixtures = readdirSync(WRAPPED).filter((f) => f.endsWith('.log'))

  it('every fixture has its expected id', () => {
    expect(fixtures.sort()).toEqual(Object.keys(IDS).sort())
  })

  for (const file of fixtures) {
    const expected = JSON.parse(readFileSync(path.join(WRAPPED, file.replace(/\.log$/, '.expect.json')), 'utf8')) as Expect
    it(`${file} → ${IDS[file]}: ${expected.records} lines, exact counts, every physical line counted once`, async () => {
      const { result, items } = await read(path.join(WRAPPED, file))
      expect(result.format).toBe(IDS[file])
      expect(result.lines).toBe(expected.records)
      expect(result.unparsed).toBe(0)
      // Plain-text payloads are one event each; the expect files state events where it is not that.
      expect(result.events).toBe(expected.events ?? expected.payloads)
      expectEveryLineOnce(items, expected.records)
      if (expected.requests !== null && (HAPROXY || file !== 'syslog-haproxy.log')) {
        expect(items.filter((i) => i.kind === 'request').length).toBe(expected.requests)
        expect(statusCounts(items)).toEqual(expected.statusCounts)
      }
    })
  }

  it('joined partial records are one event spanning their records, with the first record’s time', async () => {
    const split = await read(path.join(WRAPPED, 'docker-split.log'))
    expect(split.items.map((i) => [i.kind, i.line, i.lines, i.kind === 'app' ? i.message : null])).toEqual([
      ['app', 1, 3, '2020-03-24 Single line'],
      ['app', 4, 3, '2020-03-24 Another single line']
    ])
    const calico = await read(path.join(WRAPPED, 'cri-calico.log'))
    expect(calico.items[4]).toMatchObject({ kind: 'app', line: 5, lines: 2, level: 'info', time: Date.UTC(2017, 9, 12, 13, 32, 21, 212) })
  })

  it('the wrapper fills what the payload does not say: time, instance, level, logger', async () => {
    const kubectl = await read(path.join(WRAPPED, 'kubectl-prefix.log'))
    expect(kubectl.items[3]).toMatchObject({ kind: 'app', instance: 'test-pod-1/test-container-1', message: 'test log content from source 1' })
    const journald = await read(path.join(WRAPPED, 'journald-json.log'))
    expect(journald.items[1]).toMatchObject({ kind: 'app', level: 'error', logger: 'pulseaudio', instance: 'millennium-falcon', time: 1719859366807 })
    // Payloads with their own time keep it (the calico header's time, not the CRI record's).
    const calico = await read(path.join(WRAPPED, 'cri-calico.log'))
    expect(calico.items[0]).toMatchObject({ time: Date.UTC(2017, 8, 12, 22, 32, 21, 212) })
    // Apache common lines carry no instance; docker's json-file names none either.
    const redis = await read(path.join(WRAPPED, 'docker-redis.log'))
    expect(redis.items[0]).toMatchObject({ time: Date.UTC(2017, 10, 9, 13, 27, 36, 277) })
    const syslog = await read(path.join(WRAPPED, 'syslog5424.log'))
    expect(syslog.items[0]).toMatchObject({ kind: 'app', instance: 'leyal_test4', logger: 'mgd', level: 'info' })
  })
})

describe('format ids of wrapped formats', () => {
  it('are known, take their payload’s family and build parsers', () => {
    expect(isKnownFormat('cri+nginx-combined')).toBe(true)
    expect(isKnownFormat('docker+json-app')).toBe(true)
    expect(isKnownFormat('cri')).toBe(true)
    expect(isKnownFormat('cri+no-such-format')).toBe(false)
    expect(isKnownFormat('no-such-wrapper+json-app')).toBe(false)
    // The syslog wrappers' plain-text reading is the registered `syslog`, not a second id.
    expect(isKnownFormat('syslog5424')).toBe(false)
    expect(formatFamily('docker+json-access')).toBe('access')
    expect(formatFamily('cri+nginx-error')).toBe('proxy-error')
    expect(formatFamily('kubectl')).toBe('app')
    expect(() => createParser('cri+no-such-format')).toThrow('unknown log format "cri+no-such-format"')
  })

  it('a parser used line by line unwraps each physical line itself', () => {
    const parser = createParser('docker+common')
    const [line] = readFileSync(path.join(WRAPPED, 'docker-apache.log'), 'utf8').split('\n')
    expect(parser.parse(line, 1, 0)).toMatchObject({ kind: 'request', status: 500, path: '/intra-abdominally' })
    expect(parser.parse('20.38.166.115 - - [21/Feb/2018:17:26:53 +0000] "GET / HTTP/1.0" 500 2216', 1, 0)).toBeNull()
  })
})

/**
 * Wrapped files built from real payload lines. Each entry: the plain fixture, how its lines are
 * wrapped, and which lines are split into partial records (line index → number of pieces).
 */
let dir = ''

const CRI_TIME = '2024-03-01T12:00:00.000000001Z'

/** CRI records for one payload: `pieces` records, all but the last tagged P. */
function criRecords(payload: string, pieces: number): string[] {
  const size = Math.ceil(payload.length / pieces)
  const out: string[] = []
  for (let k = 0; k < pieces; k++) out.push(`${CRI_TIME} stdout ${k < pieces - 1 ? 'P' : 'F'} ${payload.slice(k * size, (k + 1) * size)}`)
  return out
}

/** docker json-file records for one payload: only the last piece ends in \n. */
function dockerRecords(payload: string, pieces: number): string[] {
  const size = Math.ceil(payload.length / pieces)
  const out: string[] = []
  for (let k = 0; k < pieces; k++) {
    const log = payload.slice(k * size, (k + 1) * size) + (k === pieces - 1 ? '\n' : '')
    out.push(JSON.stringify({ log, stream: 'stderr', time: `2024-03-01T12:00:0${k}.000000000Z` }))
  }
  return out
}

async function wrapFixture(source: string, name: string, records: (payload: string, pieces: number) => string[], splits: Record<number, number>): Promise<string> {
  const lines = (await readFile(path.join(FORMATS, source), 'utf8')).split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  const out = lines.flatMap((line, i) => records(line, splits[i] ?? 1))
  const file = path.join(dir, name)
  await writeFile(file, out.join('\n') + '\n')
  return file
}

/** What reading must not change: the events' kinds and content (lines and wrapper fields aside). */
function content(items: readonly FoldedItem[]): unknown[] {
  return items.map((item) => {
    if (item.kind === 'request') return [item.kind, item.time, item.method, item.path, item.status, item.bytes, item.client, item.userAgent]
    if (item.kind === 'app') return [item.kind, item.level, item.message, item.errorType, item.errorMessage, item.stack, item.requestId]
    if (item.kind === 'proxy-error') return [item.kind, item.time, item.message, item.reason]
    if (item.kind === 'directive') return [item.kind]
    return [item.kind, item.text]
  })
}

describe('wrapped files built from real payload lines', () => {
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'triage500-wrapped-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  interface Case {
    source: string
    name: string
    wrap: (payload: string, pieces: number) => string[]
    /** Plain line index → records it is split into. */
    splits: Record<number, number>
    plain: LogFormatId
    id: LogFormatId
  }
  const cases: Case[] = [
    // Line 0 split in 3 records; the unparsed last line in 2: it is still one unparsed line of 2 records.
    { source: 'combined-extras.log', name: 'cri-nginx.log', wrap: criRecords, splits: { 0: 3, 6: 2 }, plain: 'nginx-combined', id: 'cri+nginx-combined' },
    { source: 'app.jsonl', name: 'docker-app.log', wrap: dockerRecords, splits: { 1: 2, 2: 4 }, plain: 'json-app', id: 'docker+json-app' },
    // A Java and a Python trace, each frame its own CRI record: folded as in the plain file.
    { source: 'logback.log', name: 'cri-logback.log', wrap: criRecords, splits: { 1: 2, 3: 2 }, plain: 'text-app', id: 'cri+text-app' }
  ]

  for (const c of cases) {
    it(`${c.name}: ${c.plain} lines in ${c.id.split('+')[0]} records read as ${c.id}, like the plain file`, async () => {
      const file = await wrapFixture(c.source, c.name, c.wrap, c.splits)
      const physical = physicalLines(await readFile(file, 'utf8'))
      const plain = await read(path.join(FORMATS, c.source))
      const wrapped = await read(file)
      expect(plain.result.format).toBe(c.plain)
      expect(wrapped.result.format).toBe(c.id)
      expect(wrapped.result.lines).toBe(physical)
      expect(content(wrapped.items)).toEqual(content(plain.items))
      expect(wrapped.result.events).toBe(plain.result.events)
      expect(wrapped.result.errorEventsSeen).toBe(plain.result.errorEventsSeen)
      expectEveryLineOnce(wrapped.items, physical)
      // Each item spans the records of the plain lines it folded.
      const extra = Object.values(c.splits).reduce((n, pieces) => n + pieces - 1, 0)
      expect(physical).toBe(plain.result.lines + extra)
      expect(wrapped.items.map((i) => i.lines)).toEqual(plain.items.map((item) => {
        let records = 0
        for (let l = item.line - 1; l < item.line - 1 + item.lines; l++) records += c.splits[l] ?? 1
        return records
      }))
    })
  }

  it('exact counts: cri-nginx.log has 6 requests and 1 unparsed line of 2 records', async () => {
    const { result, items } = await read(path.join(dir, 'cri-nginx.log'))
    expect([result.lines, result.events, result.unparsed]).toEqual([10, 6, 2])
    expect(statusCounts(items)).toEqual({ 500: 1, 201: 1, 200: 1, 404: 1, 400: 1, 301: 1 })
    expect(items[0]).toMatchObject({ kind: 'request', line: 1, lines: 3, status: 500, path: '/api/reports/8812/export?format=csv' })
    expect(items[6]).toMatchObject({ kind: 'unparsed', line: 9, lines: 2, text: 'not an access line' })
  })

  it('docker-app.log: JSON app lines keep their own time; split records join back into valid JSON', async () => {
    const { result, items } = await read(path.join(dir, 'docker-app.log'))
    // 12 payload lines in 16 records; app.jsonl's 2 lines no JSON format reads stay unparsed.
    expect([result.lines, result.events, result.unparsed]).toEqual([16, 10, 2])
    expect(items[1]).toMatchObject({ line: 2, lines: 2, time: 1709294401000 })
    expect(items[2]).toMatchObject({ kind: 'app', line: 4, lines: 4, errorType: 'Error', instance: 'b1' })
  })
})

describe('wrapped files split across workers', () => {
  let file = ''
  let records: string[] = []
  beforeAll(async () => {
    const lines = readFileSync(path.join(FORMATS, 'combined-extras.log'), 'utf8').split('\n').slice(0, 6)
    // Every request split in two records (P then F), 2,400 times over.
    records = Array.from({ length: 400 }, () => lines.flatMap((line) => criRecords(line, 2))).flat()
    file = path.join(await mkdtemp(path.join(os.tmpdir(), 'triage500-wrapped-workers-')), 'cri-split.log')
    await writeFile(file, records.join('\n') + '\n')
  })
  afterAll(async () => {
    await rm(path.dirname(file), { recursive: true, force: true })
  })

  it('cuts never fall between a partial record and the record completing it', async () => {
    const size = Buffer.byteLength(records.join('\n') + '\n')
    const lineBefore = (cut: number): string => {
      const text = readFileSync(file).subarray(0, cut - 1).toString('utf8')
      return text.slice(text.lastIndexOf('\n') + 1)
    }
    const isPartial = (line: string): boolean => / stdout P /.test(line)
    // Without the rule some cut lands after a P record (so this test can fail)…
    const naive = await splitRanges(file, size, 8)
    expect(naive.slice(1).some(([start]) => isPartial(lineBefore(start)))).toBe(true)
    // …with it none does.
    const ranges = await splitRanges(file, size, 8, cutAfter('cri+nginx-combined'))
    expect(ranges.length).toBe(8)
    for (const [start] of ranges.slice(1)) expect(isPartial(lineBefore(start))).toBe(false)
    expect(cutAfter('nginx-combined')).toBeNull()

    // Each range read as a worker reads it: the parts add up to the whole file read on one thread.
    const parts: IngestResult[] = []
    for (const [start, end] of ranges) {
      const messages: WorkerMessage[] = []
      await runWorkerJob({ path: file, start, end, format: 'cri+nginx-combined', fieldMap: null, holdPartialLastLine: false }, (m) => messages.push(m))
      const done = messages.find((m) => m.type === 'done')
      if (done?.type !== 'done') throw new Error('worker job ended without a result')
      parts.push(done.result)
    }
    const merged = mergeResults(parts)
    const whole = (await read(file)).result
    expect(whole.format).toBe('cri+nginx-combined')
    expect([merged.lines, merged.events, merged.unparsed]).toEqual([4800, 2400, 0])
    expect([whole.lines, whole.events, whole.unparsed]).toEqual([4800, 2400, 0])
  })
})

describe.skipIf(!hasSharedData)('wrapped files in ../shared/data (lnav test logs)', () => {
  it('caddy JSON behind docker compose prefixes: compose+json-app, the service as instance', async () => {
    const { result, items } = await read(sharedData('lnav', 'logfile_caddy_log.0'))
    expect(result.format).toBe('compose+json-app')
    expect([result.lines, result.events, result.unparsed]).toEqual([39, 39, 0])
    // Two records name their own instance (their payload's field wins); the rest take the service.
    expect(items.filter((i) => (i.kind === 'app' || i.kind === 'request') && i.instance === 'caddy').length).toBe(37)
    expectEveryLineOnce(items, 39)
  })

  it('compose output with lines outside the frame: compose, the stray lines unparsed, every line counted', async () => {
    const { result, items } = await read(sharedData('lnav', 'logfile_docker_compose_with_noise.0'))
    expect(result.format).toBe('compose')
    expect([result.lines, result.events, result.unparsed]).toEqual([25, 16, 2])
    expect(items.filter((i) => i.kind === 'unparsed').map((i) => [i.line, i.kind === 'unparsed' ? i.text : ''])).toEqual([
      [22, 'out of frame line 1'],
      [23, 'out of frame line 2']
    ])
    expectEveryLineOnce(items, 25)
  })
})
