import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { runCli } from '../../../electron/cli/main'
import type { CliIO } from '../../../electron/cli/io'
import { histogramRows } from '../../../electron/cli/table'

function capture(terminal: CliIO['terminal'] = null): CliIO & { out: string; err: string } {
  const io = { out: '', err: '', cwd: process.cwd(), terminal, stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) }
  return io
}

let dir: string
let log: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'triage500-table-'))
  log = path.join(dir, 'access.log')
  // Two hours of nginx combined lines: a quiet hour, then /api/orders/:id failing half the time.
  const lines: string[] = []
  const start = Date.UTC(2026, 10, 3, 9, 0, 0)
  for (let i = 0; i < 7200; i += 3) {
    const t = new Date(start + i * 1000)
    const stamp = `${String(t.getUTCDate()).padStart(2, '0')}/Nov/2026:${String(t.getUTCHours()).padStart(2, '0')}:${String(t.getUTCMinutes()).padStart(2, '0')}:${String(t.getUTCSeconds()).padStart(2, '0')} +0000`
    const failing = i >= 3600 && i % 2 === 0
    const route = i % 5 === 0 ? `/api/orders/${1000 + (i % 97)}` : '/api/catalog'
    const status = failing && route.startsWith('/api/orders') ? 500 : 200
    lines.push(`10.0.0.${i % 50} - - [${stamp}] "GET ${route} HTTP/1.1" ${status} 512 "-" "Mozilla/5.0 (X11; Linux x86_64)"`)
  }
  await writeFile(log, `${lines.join('\n')}\n`)
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('analyze --format table', () => {
  it('is the default on a terminal: verdict, counts, top routes, error histogram, within the width', async () => {
    const io = capture({ columns: 90 })
    expect(await runCli(['analyze', log], io)).toBe(0)
    expect(io.out).toMatch(/^VERDICT {2}\S/m)
    expect(io.out).toContain('requests 2,400')
    expect(io.out).toContain('TOP ROUTES BY 5XX')
    expect(io.out).toMatch(/GET\s+\/api\/orders\/:id\s+/)
    expect(io.out).toContain('5XX OVER TIME')
    for (const line of io.out.split('\n')) expect(line.length).toBeLessThanOrEqual(90)
    // The first hour has no 5xx: its rows carry no bar; the second hour's rows do.
    const bars = io.out.split('\n').filter((l) => /^\d\d:\d\d /.test(l))
    expect(bars.length).toBeGreaterThan(4)
    expect(bars[0]).not.toContain('█')
    expect(bars[bars.length - 1]).toContain('█')
  })

  it('keeps the Markdown report for a pipe and for --out', async () => {
    const io = capture(null)
    expect(await runCli(['analyze', log], io)).toBe(0)
    expect(io.out).toMatch(/^# /m)
    expect(io.out).not.toContain('TOP ROUTES BY 5XX')
  })

  it('honours a narrow terminal without breaking lines past its width', async () => {
    const io = capture({ columns: 60 })
    expect(await runCli(['analyze', '--format', 'table', log], io)).toBe(0)
    for (const line of io.out.split('\n')) expect(line.length, line).toBeLessThanOrEqual(60)
  })

  it('histogram rows keep empty stretches as rows', () => {
    const b = (t: number, total: number, s5xx: number) => ({ t, total, s5xx, s4xx: 0, s500: s5xx, s502: 0, s503: 0, s504: 0, appErrors: 0 })
    const rows = histogramRows([b(0, 10, 1), b(60_000 * 9, 10, 5)], 60_000, 5)
    expect(rows.map((r) => r.t)).toEqual([0, 120_000, 240_000, 360_000, 480_000])
    expect(rows.map((r) => r.s5xx)).toEqual([1, 0, 0, 0, 5])
  })
})

describe('probe --fail', () => {
  let server: http.Server
  let base: string
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const down = req.url === '/down'
      res.writeHead(down ? 503 : 200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(down ? { status: 'DOWN', components: { db: { status: 'DOWN' } } } : { status: 'UP' }))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve))
  })

  it('exits 1 when the check is down, 0 when it is up, and 0 without --fail', async () => {
    expect(await runCli(['probe', '--kind', 'health', '--fail', `${base}/down`], capture())).toBe(1)
    expect(await runCli(['probe', '--kind', 'health', '--fail', `${base}/up`], capture())).toBe(0)
    expect(await runCli(['probe', '--kind', 'health', `${base}/down`], capture())).toBe(0)
  })

  it('exits 1 when no deploy can be read', async () => {
    expect(await runCli(['probe', '--kind', 'deploy', '--fail', `${base}/up`], capture())).toBe(1)
  })
})
