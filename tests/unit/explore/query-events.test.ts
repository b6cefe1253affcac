import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { gzipSync } from 'node:zlib'
import os from 'node:os'
import path from 'node:path'
import { SessionService } from '../../../electron/session/service'
import { dispatch } from '../../../electron/session/dispatch'
import type { QueryEventsRequest } from '../../../shared/contract'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'triage500-explore-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const T0 = Date.UTC(2026, 11, 2, 10, 0, 0)
const stamp = (t: number): string => {
  const d = new Date(t)
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()]
  const p = (n: number) => String(n).padStart(2, '0')
  return `${p(d.getUTCDate())}/${mon}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`
}

/** nginx combined lines: one a second, every 10th a POST /api/orders/<id> answered 500, from two clients. */
function accessLog(n: number): string {
  const out: string[] = []
  for (let i = 0; i < n; i++) {
    const fail = i % 10 === 9
    const req = fail ? `POST /api/orders/${1000 + i} HTTP/1.1` : `GET /api/products/${i % 7}?page=2 HTTP/1.1`
    const client = i % 2 === 0 ? '10.1.0.7' : '192.0.2.44'
    out.push(`${client} - - [${stamp(T0 + i * 1000)}] "${req}" ${fail ? 500 : 200} ${fail ? 87 : 5120} "-" "Mozilla/5.0 (X11; Linux x86_64)"`)
  }
  return out.join('\n') + '\n'
}

/** Spring Boot lines with one folded stack trace. */
const springLog = [
  `2026-12-02T10:00:09.120Z  INFO 4711 --- [nio-8080-exec-1] c.shop.orders.OrderController          : creating order`,
  `2026-12-02T10:00:19.480Z ERROR 4711 --- [nio-8080-exec-3] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() for servlet [dispatcherServlet] threw exception`,
  `java.lang.NullPointerException: Cannot invoke "com.shop.orders.Order.total()" because "order" is null`,
  `\tat com.shop.orders.OrderService.price(OrderService.java:88)`,
  `\tat com.shop.orders.OrderController.create(OrderController.java:41)`,
  `2026-12-02T10:00:29.001Z  WARN 4711 --- [nio-8080-exec-2] c.shop.orders.OrderController          : slow pricing call 2300 ms`
].join('\n') + '\n'

const ask = (over: Partial<QueryEventsRequest> = {}): QueryEventsRequest => ({ query: '', from: null, to: null, cursor: 0, limit: 100, buckets: null, ...over })

async function serviceWith(files: Record<string, string | Buffer>): Promise<SessionService> {
  const service = new SessionService({ follow: false, workers: 0 })
  for (const [name, body] of Object.entries(files)) {
    const file = path.join(dir, name)
    await writeFile(file, body)
    await service.addSource({ path: file })
  }
  await service.idle()
  return service
}

describe('queryEvents', () => {
  it('pages the 5xx of an access log in a range, each row pointing at its raw line', async () => {
    const service = await serviceWith({ 'access.log': accessLog(300) })
    const from = T0 + 100_000
    const to = T0 + 200_000
    const first = await service.queryEvents(ask({ query: 'status>=500', from, to, limit: 4 }))
    expect(first.total).toBe(10)
    expect(first.rows).toHaveLength(4)
    expect(first.rows[0]).toMatchObject({ kind: 'request', status: 500, method: 'POST', path: '/api/orders/1109', line: 110, time: T0 + 109_000 })
    expect(first.rows[0].file).toBe(path.join(dir, 'access.log'))
    expect(first.nextCursor).toBe(4)
    const rest = await service.queryEvents(ask({ query: 'status>=500', from, to, cursor: 8, limit: 4 }))
    expect(rest.rows.map((r) => r.line)).toEqual([190, 200])
    expect(rest.nextCursor).toBeNull()
    // The raw line the row names is the line that was matched.
    const raw = await service.readLines({ sourceId: first.rows[0].sourceId, fromLine: first.rows[0].line, count: 1 })
    expect(raw.lines[0]).toContain('"POST /api/orders/1109 HTTP/1.1" 500')
    await service.close()
  })

  it('counts the filter on the timeline grid over the whole log, not only the range', async () => {
    const service = await serviceWith({ 'access.log': accessLog(120) })
    const res = await service.queryEvents(ask({ query: 'route:/api/orders/:id client:192.0.2.44', buckets: { start: T0, bucketMs: 60_000 }, from: T0, to: T0 + 10_000 }))
    expect(res.buckets.map((b) => [b.t, b.total, b.s500])).toEqual([
      [T0, 6, 6],
      [T0 + 60_000, 6, 6]
    ])
    expect(res.total).toBe(1)
    await service.close()
  })

  it('recomputes error groups for the filter, across an app log beside the access log (gzip too)', async () => {
    const service = await serviceWith({ 'access.log': accessLog(40), 'app.log.gz': gzipSync(springLog) })
    const all = await service.queryEvents(ask({ query: 'kind:app' }))
    expect(all.total).toBe(3)
    expect(all.rows[1]).toMatchObject({ kind: 'app', level: 'error', line: 2, lines: 4 })
    expect(all.groups).toHaveLength(1)
    expect(all.groups[0]).toMatchObject({ type: 'java.lang.NullPointerException', count: 1 })
    const none = await service.queryEvents(ask({ query: '"OrderService.java:99"' }))
    expect(none.groups).toEqual([])
    expect(none.total).toBe(0)
    const stack = await service.queryEvents(ask({ query: '"OrderService.java:88"' }))
    expect(stack.rows.map((r) => r.line)).toEqual([2])
    // Rows of both files come in time order.
    const mixed = await service.queryEvents(ask({ query: '', from: T0 + 8_000, to: T0 + 21_000 }))
    expect(mixed.rows.map((r) => r.time)).toEqual([...mixed.rows.map((r) => r.time)].sort((a, b) => (a ?? 0) - (b ?? 0)))
    expect(mixed.rows.some((r) => r.kind === 'app') && mixed.rows.some((r) => r.kind === 'request')).toBe(true)
    await service.close()
  })

  it('refuses a bad filter in one line through the validated dispatch', async () => {
    const service = await serviceWith({ 'access.log': accessLog(5) })
    const res = await dispatch(service, 'queryEvents', ask({ query: 'status>=abc' }))
    expect(res.ok).toBe(false)
    if (!res.ok) expect(res.error.message).toMatch(/^filter: status>=abc: status takes a number/)
    const bad = await dispatch(service, 'queryEvents', { ...ask(), limit: 100_000 })
    expect(bad.ok).toBe(false)
    await service.close()
  })

  it('names the sources it could not scan instead of answering for them', async () => {
    const service = await serviceWith({ 'noise.log': 'lorem ipsum\ndolor sit amet\n' })
    const res = await service.queryEvents(ask())
    expect(res.total).toBe(0)
    expect(res.skipped).toEqual([expect.objectContaining({ name: 'noise.log', reason: 'no format reads it' })])
    await service.close()
  })
})
