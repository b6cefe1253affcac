import { describe, expect, it } from 'vitest'
import type { AppEvent, FoldedItem, RequestEvent } from '../../../shared/model/evidence'
import { createParser } from '../../../electron/collect/formats'
import { hasSharedData, sharedData } from '../../support/shared-data'
import { fixture, foldFile } from './fold-file'

const byLine = (items: FoldedItem[], line: number): FoldedItem | undefined => items.find((i) => i.line === line)

describe('JSON lines', () => {
  const items = foldFile(fixture('app.jsonl'), 'json-app')

  it('decides per line: a pino-http completed line is a request', () => {
    expect(byLine(items, 1)).toMatchObject({
      kind: 'request', method: 'GET', route: '/api/reports/:id/export', status: 200, durationMs: 12,
      requestId: 'req-1', client: '10.0.0.7', userAgent: 'curl/8.5.0', time: 1709294400000
    } satisfies Partial<RequestEvent>)
  })

  it('a pino-http errored line is an app event that keeps method, path and status', () => {
    expect(byLine(items, 2)).toMatchObject({
      kind: 'app', level: 'error', errorType: 'TypeError', errorMessage: "Cannot read properties of undefined (reading 'rows')",
      method: 'GET', path: '/api/reports/9001/export', status: 500, requestId: 'req-2'
    } satisfies Partial<AppEvent>)
  })

  it('maps bunyan, zap, slog, ECS, logstash-logback and structlog fields', () => {
    expect(byLine(items, 3)).toMatchObject({ level: 'error', errorType: 'Error', errorMessage: 'connect ECONNREFUSED 10.0.0.5:5432', logger: 'billing', time: Date.UTC(2024, 2, 1, 12, 0, 2) })
    expect(byLine(items, 4)).toMatchObject({ level: 'error', errorMessage: 'pq: password authentication failed', requestId: 'r-77', time: 1709294403500 })
    expect((byLine(items, 4) as AppEvent).stack).toContain('handler.go:88')
    expect(byLine(items, 5)).toMatchObject({ level: 'warn', message: 'slow query', requestId: '4bf92f3577b34da6a3ce929d0e0e4736', time: Date.UTC(2024, 2, 1, 11, 0, 4) })
    expect(byLine(items, 6)).toMatchObject({ errorType: 'KeyError', errorMessage: "'PAYMENTS_API_KEY'", method: 'POST', path: '/api/pay', status: 500 })
    expect(byLine(items, 7)).toMatchObject({ level: 'error', errorType: 'java.lang.NullPointerException', errorMessage: 'customer is null', logger: 'c.e.OrderController' })
    expect(byLine(items, 8)).toMatchObject({ message: 'payment failed', errorType: 'ValueError', errorMessage: 'bad amount', requestId: 'r-88' })
    expect(byLine(items, 9)).toMatchObject({ kind: 'request', route: '/api/items/:id', status: 503, durationMs: 4.5 })
    expect(byLine(items, 10)).toMatchObject({ kind: 'app', level: 'info', message: 'winston says hi' })
  })

  it('reports records with no log fields and broken JSON as unparsed', () => {
    expect(byLine(items, 11)?.kind).toBe('unparsed')
    expect(byLine(items, 12)?.kind).toBe('unparsed')
  })
})

describe('logfmt', () => {
  const items = foldFile(fixture('app.logfmt'), 'logfmt')
  it('reads quoted values with escapes, requests and offsets', () => {
    expect(items[0]).toMatchObject({ kind: 'app', level: 'error', message: 'upstream failed: "gateway" down', errorMessage: 'dial tcp 10.0.0.5:5432: connect: connection refused', requestId: 'abc123' })
    expect(items[1]).toMatchObject({ kind: 'request', method: 'GET', route: '/api/items/:id', status: 200, durationMs: 12 })
    expect(items[2]).toMatchObject({ kind: 'app', level: 'warn', time: Date.UTC(2024, 2, 1, 10, 0, 2) })
  })
  it('does not take plain prose for logfmt', () => {
    expect(createParser('logfmt').parse('hello world', 1, 0)).toBeNull()
    expect(createParser('logfmt').parse('a=1 b=2', 1, 0)).toBeNull()
  })
})

describe.skipIf(!hasSharedData)('real structured logs (lnav, bunyan corpus)', () => {
  it('pino: level, time, trace id as request id', () => {
    expect(foldFile(sharedData('lnav', 'logfile_pino.0'), 'json-app')[0]).toMatchObject({
      kind: 'app', level: 'info', message: 'Charge request received.', time: 1745532517537, requestId: 'c759f29f5f1e2162be56f32dd1e77fce'
    })
  })

  it('bunyan: numeric levels and ISO times', () => {
    const items = foldFile(sharedData('lnav', 'logfile_bunyan.0'), 'json-app')
    expect(items).toHaveLength(10)
    expect(items[0]).toMatchObject({ level: 'debug', logger: 'renovate', time: Date.UTC(2023, 2, 24, 14, 26, 16, 243) })
  })

  it('caddy access: request.uri, duration in seconds, User-Agent header', () => {
    const [first] = foldFile(sharedData('lnav', 'logfile_caddy_log.1'), 'json-access') as RequestEvent[]
    expect(first).toMatchObject({ kind: 'request', method: 'GET', status: 200, client: '10.10.10.117', time: 1716723772601 })
    expect(first.durationMs).toBeCloseTo(17.557, 2)
    expect(first.userAgent).toMatch(/^facebookexternalhit/)
  })

  it('cloudflare: Edge fields, nanosecond timestamps, the one 502', () => {
    const items = foldFile(sharedData('lnav', 'logfile_cloudflare.1'), 'json-access') as RequestEvent[]
    expect(items.every((i) => i.kind === 'request')).toBe(true)
    expect(items.filter((i) => i.status === 502)).toHaveLength(1)
    expect(items[0]).toMatchObject({ time: 1712790000100, durationMs: 23.000064, requestId: '87a1b2c3d4e5f001', client: '89.163.242.206' })
  })

  it('ECS: log.level, message, logger', () => {
    const items = foldFile(sharedData('lnav', 'logfile_ecs_log.json'), 'json-app') as AppEvent[]
    expect(items.map((i) => i.level)).toEqual(['debug', 'info', 'warn', 'error', 'fatal'])
    expect(items[0].logger).toBe('app')
  })

  it('logfmt sample: levels and messages', () => {
    const items = foldFile(sharedData('lnav', 'logfile_logfmt.0'), 'logfmt') as AppEvent[]
    expect(items.map((i) => i.level)).toEqual(['error', 'warn', 'info', 'info', 'error'])
  })

  it('bunyan corpus: every file folds without throwing, req/res lines become requests', () => {
    const withReq = foldFile(sharedData('json', 'bunyan-corpus', 'withreq.log'), 'json-app')
    expect(withReq.filter((i) => i.kind === 'request').length).toBeGreaterThan(0)
    // A real crasher: `err.stack` is an array of objects, which must not break the mapping.
    const crasher = foldFile(sharedData('json', 'bunyan-corpus', 'old-crashers', '242.log'), 'json-app')[0] as AppEvent
    expect(crasher).toMatchObject({ kind: 'app', level: 'fatal', errorType: 'TypeError', errorMessage: 'Function.prototype.apply: Arguments list has wrong type', stack: null })
  })
})
