import { describe, expect, it } from 'vitest'
import { LinePipeline } from '../../../electron/collect/ingest'
import { RequestAggregate } from '../../../shared/analysis/aggregate'

const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const p2 = (n: number): string => String(n).padStart(2, '0')
const clf = (ms: number): string => {
  const d = new Date(ms)
  return `${p2(d.getUTCDate())}/${MON[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`
}
const accessLine = (ms: number, status: number, i: number): string =>
  `10.0.${i % 200}.${i % 250} - - [${clf(ms)}] "GET /api/orders/${1000 + (i % 50)} HTTP/1.1" ${status} ${status >= 500 ? 157 : 2312} "-" "okhttp/4.12.0"`

const END = Date.UTC(2026, 11, 2, 12, 0, 0)

/** A whole-file read of `hours` of history at one request a second, ending at END. */
function historyRead(hours: number): ReturnType<LinePipeline['end']> {
  const p = new LinePipeline({ format: 'nginx-combined', sourceKey: '/var/log/nginx/access.log' })
  const lines: string[] = []
  for (let t = END - hours * 3600_000, i = 0; t < END; t += 1000, i++) lines.push(accessLine(t, i % 500 === 0 ? 500 : 200, i))
  p.push(Buffer.from(lines.join('\n') + '\n'))
  return p.end()
}

/** The same batch a tail hands over: 2 s of 100 lines/s after END, every 10th a 502. */
function appendBatch(p: LinePipeline): void {
  for (let i = 0; i < 200; i++) p.pushLine(accessLine(END + 10 * i, i % 10 === 0 ? 502 : 200, i), 1_000_000 + i, 0)
}

/** A tail continuing a read, as LogSource starts it. */
const tailAfter = (base: ReturnType<LinePipeline['end']> | null): LinePipeline =>
  new LinePipeline({ format: 'nginx-combined', sourceKey: '/var/log/nginx/access.log', ...(base ? { continueRequests: base.requests } : {}) })

describe('live evidence is updated in place', () => {
  it('a batch after 12 hours of history touches the same per-second rows as after none', () => {
    const fresh = tailAfter(null)
    const aged = tailAfter(historyRead(12))
    expect(aged.acc.aggregate.toData().seconds.length).toBeGreaterThan(43_000)
    const before = { fresh: fresh.acc.aggregate.rowWrites, aged: aged.acc.aggregate.rowWrites }
    appendBatch(fresh)
    appendBatch(aged)
    const work = { fresh: fresh.acc.aggregate.rowWrites - before.fresh, aged: aged.acc.aggregate.rowWrites - before.aged }
    expect(work.fresh).toBe(200)
    expect(work.aged).toBe(work.fresh)
  })

  it('adopting the read costs no copy of its rows, and reading the live view copies nothing', () => {
    const base = historyRead(2)
    const rows = base.requests.seconds
    const tail = tailAfter(base)
    const view = tail.snapshot().requests.seconds
    // The tail counts into the read's rows themselves: no second of history was re-created.
    expect(tail.acc.aggregate.rowWrites).toBe(0)
    expect(view[0]).toBe(rows[0])
    expect(view[rows.length - 1]).toBe(rows[rows.length - 1])
    appendBatch(tail)
    const after = tail.snapshot().requests.seconds
    expect(after).toBe(view)
    expect(after.length).toBe(rows.length + 2)
    expect(after[after.length - 1][0]).toBe(Math.floor((END + 1990) / 1000))
  })

  it('keeps rows in second order when lines arrive late, and counts them where they belong', () => {
    const agg = new RequestAggregate()
    const req = (ms: number, status: number) => ({ kind: 'request', line: 1, lines: 1, offset: 0, time: ms, method: 'GET', path: '/a', route: '/a', status, bytes: null, durationMs: null, requestId: null, client: null, userAgent: null, upstreamStatus: null, instance: null }) as const
    for (const s of [10, 11, 14, 12, 9, 14, 13]) agg.add(req(s * 1000, s === 12 ? 500 : 200))
    const rows = agg.toData().seconds
    expect(rows.map((r) => r[0])).toEqual([9, 10, 11, 12, 13, 14])
    expect(rows.find((r) => r[0] === 14)?.[1]).toBe(2)
    expect(rows.find((r) => r[0] === 12)?.[2]).toBe(1)
  })

  it('merging sources shares the rows only one of them holds and sums the seconds both hold', () => {
    const a = new RequestAggregate()
    const b = new RequestAggregate()
    const req = (ms: number) => ({ kind: 'request', line: 1, lines: 1, offset: 0, time: ms, method: 'GET', path: '/a', route: '/a', status: 200, bytes: null, durationMs: null, requestId: null, client: null, userAgent: null, upstreamStatus: null, instance: null }) as const
    for (const s of [1, 2, 3]) a.add(req(s * 1000))
    for (const s of [3, 4]) b.add(req(s * 1000))
    const da = a.toData()
    const db = b.toData()
    const merged = RequestAggregate.mergeData([da, db])
    expect(merged.seconds.map((r) => [r[0], r[1]])).toEqual([[1, 1], [2, 1], [3, 2], [4, 1]])
    expect(merged.seconds[0]).toBe(da.seconds[0])
    expect(merged.seconds[3]).toBe(db.seconds[1])
    // The sources' own rows are left as they were.
    expect(da.seconds[2][1]).toBe(1)
    expect(merged.requests).toBe(5)
  })
})
