/**
 * One runaway line (a 50 MB payload logged on one line) must neither hang nor cost its size:
 * the line cap holds on every path that reads a file — the CLI, readLogFile on worker threads,
 * and the follower — and the cut lines are counted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { appendFile, mkdtemp, open, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { readLogFile } from '../../../electron/collect/read-file'
import { inspectSourceFile } from '../../../electron/collect/source-file'
import { FileTailer, type TailLine } from '../../../electron/collect/tail'
import { MAX_LINE_BYTES } from '../../../shared/model/line-cap'
import { repoRoot } from '../../support/shared-data'

const run = promisify(execFile)
const cli = path.join(repoRoot, 'out', 'main', 'cli.js')
const workerScript = path.join(repoRoot, 'out', 'main', 'ingest-worker.js')
const built = existsSync(cli) && existsSync(workerScript)
if (!built) console.log('[long-lines.test] out/main is not built: the CLI and worker cases are skipped (npm test builds first)')

const MB = 1 << 20

/** A Spring Boot JSON (logstash encoder) line whose message is a payload dumped whole, `payloadBytes` long. */
function springLinePieces(at: string, payloadBytes: number): { head: string; body: Buffer; tail: string } {
  return {
    head: `{"@timestamp":"${at}","@version":"1","message":"Failed to process order import, payload: `,
    body: Buffer.alloc(payloadBytes, 'A'),
    tail: `","logger_name":"com.shop.orders.ImportController","thread_name":"http-nio-8080-exec-7","level":"ERROR","level_value":40000}\n`
  }
}

const nginxLine = (sec: number, status: number): string =>
  `10.0.3.14 - - [02/Dec/2026:10:00:${String(sec).padStart(2, '0')} +0000] "POST /api/orders/import HTTP/1.1" ${status} 182 "-" "Go-http-client/1.1"\n`

/** Writes the line in pieces, so the test holds one payload buffer, not several copies of it. */
async function appendHugeLine(file: string, at: string, payloadBytes: number): Promise<void> {
  const { head, body, tail } = springLinePieces(at, payloadBytes)
  const fh = await open(file, 'a')
  try {
    await fh.write(head)
    await fh.write(body)
    await fh.write(tail)
  } finally {
    await fh.close()
  }
}

let dir = ''
let oneLine = ''
let twoLines = ''
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'triage500-long-'))
  oneLine = path.join(dir, 'one-50mb-line.log')
  twoLines = path.join(dir, 'two-30mb-lines.log')
  await writeFile(oneLine, '')
  await appendHugeLine(oneLine, '2026-12-02T10:00:00.120Z', 50 * MB)
  await writeFile(twoLines, '')
  // The first a little longer: the halfway point then falls inside it, and the second starts a worker's range.
  await appendHugeLine(twoLines, '2026-12-02T10:00:00.120Z', 30 * MB + 4096)
  await appendHugeLine(twoLines, '2026-12-02T10:00:01.480Z', 30 * MB)
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

interface SourceJson {
  lines: number
}

describe.skipIf(!built)('the CLI on files of huge lines', () => {
  it.each([
    ['a single 50 MB line', () => oneLine, 1],
    ['two lines of 30 MB (split across workers at the newline between them)', () => twoLines, 2]
  ])('analyze finishes on %s and counts every line', async (_what, file, lines) => {
    const { stdout } = await run(process.execPath, [cli, 'analyze', '--format', 'json', file()], { timeout: 120_000, maxBuffer: 16 * MB })
    const out = JSON.parse(stdout) as { sources: SourceJson[] }
    expect(out.sources[0].lines).toBe(lines)
  }, 150_000)
})

describe.skipIf(!built)('readLogFile on worker threads', () => {
  it('reads a single 50 MB line with 2 workers: one line, counted as cut', async () => {
    const r = await readLogFile(await inspectSourceFile(oneLine), { workers: 2, workerScript })
    expect(r.lines).toBe(1)
    expect(r.longLines).toBe(1)
    expect(r.resume.offset).toBe((await inspectSourceFile(oneLine)).sizeBytes)
  }, 120_000)

  it('reads two 30 MB lines with 2 workers, one each, both cut', async () => {
    const r = await readLogFile(await inspectSourceFile(twoLines), { workers: 2, workerScript })
    expect(r.parts).toBe(2)
    expect(r.lines).toBe(2)
    expect(r.longLines).toBe(2)
  }, 120_000)

  it('keeps reading the lines around a huge one: requests before and after it are counted', async () => {
    const file = path.join(dir, 'around.log')
    await writeFile(file, [0, 1, 2].map((s) => nginxLine(s, 200)).join(''))
    // A runaway request line (a query string of 49 MB) between ordinary ones, then 5xx after it.
    await appendFile(file, `10.0.3.14 - - [02/Dec/2026:10:00:03 +0000] "GET /search?q=${'x'.repeat(49 * MB)} HTTP/1.1" 414 0 "-" "curl/8.5.0"\n`)
    await appendFile(file, [4, 5, 6].map((s) => nginxLine(s, 500)).join(''))
    const r = await readLogFile(await inspectSourceFile(file), { workers: 2, workerScript })
    expect(r.lines).toBe(7)
    expect(r.longLines).toBe(1)
    expect(r.format).toBe('nginx-combined')
    expect(r.requests.requests).toBeGreaterThanOrEqual(6)
    await rm(file)
  }, 120_000)
})

describe('following a file that gets a huge line', () => {
  it('delivers the line cut at the cap, marked cut, and the lines after it whole', async () => {
    const file = path.join(dir, 'followed.log')
    await writeFile(file, nginxLine(0, 200))
    const got: TailLine[] = []
    const tailer = new FileTailer(file, { pollMs: 20 }, { onLines: (lines) => got.push(...lines) })
    await tailer.start()
    try {
      // Written in several appends, as a slow writer would: the follower must not hold it whole.
      const { head, body, tail } = springLinePieces('2026-12-02T10:00:01.000Z', 20 * MB)
      await appendFile(file, head)
      for (let i = 0; i < 4; i++) await appendFile(file, body.subarray((i * body.length) / 4, ((i + 1) * body.length) / 4))
      await appendFile(file, tail + nginxLine(2, 500))
      await expect.poll(() => got.length, { timeout: 30_000 }).toBe(2)
    } finally {
      await tailer.stop()
    }
    expect(got[0].cut).toBe(true)
    expect(Buffer.byteLength(got[0].text)).toBeLessThanOrEqual(MAX_LINE_BYTES)
    expect(got[0].text.startsWith('{"@timestamp":"2026-12-02T10:00:01.000Z"')).toBe(true)
    expect(got[0].lineNo).toBe(2)
    expect(got[1]).toEqual({ text: nginxLine(2, 500).trimEnd(), lineNo: 3, offset: got[1].offset, generation: 1 })
    expect(got[1].cut).toBeUndefined()
  }, 60_000)
})
