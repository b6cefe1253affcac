import { describe, it, expect } from 'vitest'
import type { AppEvent, ProxyErrorEvent } from '../../../shared/model/evidence'
import { ErrorGrouper, isErrorEvent, OTHER_GROUP_ID } from '../../../shared/analysis/groups'
import { normalizeRoute } from '../../../shared/analysis/route'

const T0 = Date.parse('2024-05-01T10:00:00Z')

function app(over: Partial<AppEvent>): AppEvent {
  return {
    kind: 'app', line: 1, lines: 1, offset: 0, time: T0, level: 'error', message: 'boom', errorType: null, errorMessage: null,
    stack: null, requestId: null, method: null, path: null, status: null, logger: null, instance: null, ...over
  }
}

function proxy(over: Partial<ProxyErrorEvent>): ProxyErrorEvent {
  return {
    kind: 'proxy-error', line: 1, lines: 1, offset: 0, time: T0, level: 'error', message: 'connect() failed', reason: 'refused',
    upstream: null, method: null, path: null, client: null, ...over
  }
}

const trace = (line: number): string => `TypeError: Cannot read properties of undefined (reading 'id')
    at getUser (/app/src/users/service.js:${line}:18)
    at Layer.handle [as handle_request] (/app/node_modules/express/lib/router/layer.js:95:5)`

describe('ErrorGrouper', () => {
  it('groups stack traces by fingerprint across shifted line numbers, with endpoints and times', () => {
    const grouper = new ErrorGrouper()
    grouper.add(app({ time: T0, stack: trace(27), errorType: 'TypeError', method: 'GET', path: '/api/users/42?x=1', line: 10 }), 'app.log')
    grouper.add(app({ time: T0 + 60_000, stack: trace(31), method: 'GET', path: '/api/users/77' }), 'app.log')
    grouper.add(app({ time: T0 + 30_000, stack: trace(31), method: 'POST', path: '/api/users' }), 'app.log')
    grouper.add(app({ time: T0 + 90_000, message: 'payment provider timeout after 3000ms', errorType: 'TimeoutError', errorMessage: 'provider timeout after 3000ms' }), 'app.log')
    const groups = grouper.groups(null)
    expect(groups).toHaveLength(2)
    expect(groups[0]).toMatchObject({
      type: 'TypeError',
      message: "Cannot read properties of undefined (reading 'id')",
      count: 3,
      firstSeen: '2024-05-01T10:00:00.000Z',
      lastSeen: '2024-05-01T10:01:00.000Z',
      endpoints: ['GET /api/users/:id', 'POST /api/users'],
      newSinceDeploy: false
    })
    expect(groups[0].sample).toContain('service.js:27')
    expect(grouper.sampleLocation(groups[0].id)).toEqual({ sourceId: 'app.log', line: 10 })
    expect(groups[1]).toMatchObject({ type: 'TimeoutError', count: 1 })
  })

  it('gives the same ids on every run and marks groups first seen after the deploy', () => {
    const feed = (g: ErrorGrouper): void => {
      g.add(app({ time: T0, message: 'order 17 failed: insufficient stock' }), 'a')
      g.add(app({ time: T0 + 5000, message: 'order 18 failed: insufficient stock' }), 'a')
      g.add(app({ time: T0 + 120_000, message: 'cannot reach ledger at 10.0.0.5:8443' }), 'a')
    }
    const a = new ErrorGrouper()
    const b = new ErrorGrouper()
    feed(a)
    feed(b)
    const deployAt = T0 + 60_000
    const groups = a.groups(deployAt)
    expect(groups.map((g) => g.id)).toEqual(b.groups(deployAt).map((g) => g.id))
    expect(groups.map((g) => [g.message, g.count, g.newSinceDeploy])).toEqual([
      ['order <*> failed: insufficient stock', 2, false],
      ['cannot reach ledger at <*>', 1, true]
    ])
    expect(groups.every((g) => /^G[0-9a-f]{12}$/.test(g.id))).toBe(true)
  })

  it('only counts errors: error/fatal levels, exceptions, 5xx statuses, proxy upstream failures', () => {
    expect(isErrorEvent(app({ level: 'info' }))).toBe(false)
    expect(isErrorEvent(app({ level: 'info', status: 503 }))).toBe(true)
    expect(isErrorEvent(app({ level: 'warn', errorType: 'X' }))).toBe(true)
    expect(isErrorEvent(proxy({ level: 'warn', reason: null }))).toBe(false)
    expect(isErrorEvent(proxy({ level: 'warn', reason: 'timeout' }))).toBe(true)
    const grouper = new ErrorGrouper()
    expect(grouper.add(app({ level: 'info', message: 'started' }), 'a')).toBe(false)
    expect(grouper.add(proxy({ message: 'upstream timed out (110: Connection timed out) while reading response header', reason: 'timeout' }), 'n')).toBe(true)
    expect(grouper.groups(null)).toMatchObject([{ type: 'proxy:timeout', count: 1 }])
  })

  it('keeps memory bounded: an "other" group past the cap and a capped endpoint list', () => {
    const grouper = new ErrorGrouper({ maxGroups: 3, maxEndpoints: 2 })
    const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo']
    words.forEach((w, i) => grouper.add(app({ errorType: `${w}Error`, errorMessage: w, path: `/p${i}/x` }), 's'))
    for (const path of ['/a', '/b', '/c']) grouper.add(app({ errorType: 'alphaError', errorMessage: 'alpha', method: 'GET', path }), 's')
    const groups = grouper.groups(null)
    expect(groups).toHaveLength(3)
    expect(groups.find((g) => g.id === OTHER_GROUP_ID)?.count).toBe(3)
    expect(groups.find((g) => g.type === 'alphaError')?.endpoints).toHaveLength(2)
  })

  it('normalizes routes', () => {
    expect(normalizeRoute('/api/orders/123/items/3fa85f64-5717-4562-b3fc-2c963f66afa6?expand=1')).toBe('/api/orders/:id/items/:id')
    expect(normalizeRoute('/files/5f2b8c9d1e0a4b7c/raw')).toBe('/files/:id/raw')
    expect(normalizeRoute('/health')).toBe('/health')
  })
})
