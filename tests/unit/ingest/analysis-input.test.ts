import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { readLogFiles } from '../../../electron/collect/read-files'
import { analysisInput, joinRequests } from '../../../electron/session/analysis-input'
import type { AppEvent, RequestEvent } from '../../../shared/model/evidence'
import { BUCKET } from '../../../shared/analysis/aggregate'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'triage500-input-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('analysisInput', () => {
  it('counts each request once when the proxy access log and the app (pino-http) both log it, keeping the app errors', async () => {
    const access: string[] = []
    const app: string[] = []
    for (let i = 0; i < 40; i++) {
      const status = i % 4 === 0 ? 500 : 200
      const t = Date.UTC(2026, 9, 10, 13, 55, i)
      access.push(`10.0.0.1 - - [10/Oct/2026:13:55:${String(i).padStart(2, '0')} +0000] "GET /api/orders/${i} HTTP/1.1" ${status} 12 "-" "k6"`)
      app.push(JSON.stringify({ level: status === 500 ? 50 : 30, time: t, reqId: `r${i}`, req: { method: 'GET', url: `/api/orders/${i}` }, res: { statusCode: status }, responseTime: 3, msg: status === 500 ? 'request errored' : 'request completed', ...(status === 500 ? { err: { type: 'TypeError', message: 'x is undefined', stack: 'TypeError: x is undefined\n    at h (/srv/app/a.js:1:1)' } } : {}) }))
    }
    await writeFile(path.join(dir, 'access.log'), access.join('\n') + '\n')
    await writeFile(path.join(dir, 'app.log'), app.join('\n') + '\n')
    const readings = await readLogFiles([path.join(dir, 'access.log'), path.join(dir, 'app.log')])
    const both = readings.reduce((n, r) => n + r.result.requests.requests, 0)
    expect(both).toBeGreaterThan(40)
    const input = analysisInput(readings, [], [])
    expect(input.requests.requests).toBe(40)
    expect(input.requests.statusCounts[500]).toBe(10)
    const appErrors = input.requests.seconds.reduce((n, [, ...c]) => n + (c[BUCKET.appErrors] ?? 0), 0)
    expect(appErrors).toBe(10)
  })
})

describe('joinRequests', () => {
  const req = (over: Partial<RequestEvent>): RequestEvent => ({
    kind: 'request', line: 1, lines: 1, offset: 0, time: 1000, method: 'GET', path: '/api/a/1', route: '/api/a/:id', status: 502,
    bytes: null, durationMs: null, requestId: null, client: null, userAgent: null, upstreamStatus: null, instance: null, ...over
  })
  const err = (over: Partial<AppEvent>): AppEvent => ({
    kind: 'app', line: 1, lines: 1, offset: 0, time: 1500, level: 'error', message: 'boom', errorType: 'Error', errorMessage: 'boom',
    stack: null, requestId: null, method: null, path: null, status: null, logger: null, instance: null, ...over
  })
  it('gives an app error the endpoint and status of its request, by id or by time and endpoint', () => {
    const failing = [req({ requestId: 'abc', path: '/api/pay/7', status: 500 }), req({ time: 9000, path: '/api/cart', status: 503 })]
    const [byId, byTime, tooFar, alone] = joinRequests(
      [err({ requestId: 'abc' }), err({ time: 9500, method: 'GET', path: '/api/cart' }), err({ time: 20_000, method: 'GET', path: '/api/cart' }), err({})],
      failing
    )
    expect(byId).toMatchObject({ method: 'GET', path: '/api/pay/7', status: 500 })
    expect(byTime).toMatchObject({ status: 503 })
    expect(tooFar.status).toBeNull()
    expect(alone).toMatchObject({ method: null, path: null, status: null })
  })
})
