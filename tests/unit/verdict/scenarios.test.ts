import { describe, expect, it } from 'vitest'
import { readLogFiles } from '../../../electron/collect/read-files'
import { buildAnalysisSnapshot } from '../../../electron/session/analysis'
import { AnalysisSnapshot } from '../../../shared/contract/analysis'
import { hasSharedData, sharedData, sharedDataSkipReason } from '../../support/shared-data'
import type { AnalysisV1 } from '../../../shared/contract/analysis'
import { access, app, type AppError, errorsFor, fail, min, prng, type Req, runScenario, type ScenarioResult, T0, traffic } from './scenario'

const reasonsOk = (v1: AnalysisV1): void => {
  expect(v1.verdict).not.toBeNull()
  expect(v1.verdict?.reasons.length).toBeGreaterThan(0)
  // The lead reason quantifies: rates, counts, times.
  expect(v1.verdict?.reasons[0]).toMatch(/\d/)
  expect(v1.verdict?.confidence).toBeGreaterThan(0)
  expect(v1.verdict?.confidence).toBeLessThanOrEqual(1)
}

const playbooks = (r: ScenarioResult): string[] => r.snapshot.findings.map((f) => f.playbook)

/** A little background noise every healthy service has: a rare 500 with a validation error. */
const noise = (reqs: Req[], rate = 0.002, seed = 3): AppError[] =>
  errorsFor(
    fail(reqs, (r, rnd) => (r.status === 200 && rnd() < rate ? 500 : null), seed),
    () => ({ type: 'ValidationError', message: 'cart state is inconsistent' })
  )

describe('rollback', () => {
  it('nginx + pino: a TypeError after v2.14.0 on two routes', async () => {
    const reqs = traffic({ minutes: 60, perSecond: 6 })
    const background = noise(reqs)
    const broken = fail(reqs, (r, rnd) => (r.time >= min(31) + 20_000 && (r.path.startsWith('/api/cart') || r.path === '/api/checkout') && rnd() < 0.6 ? 500 : null))
    const errors = [...background, ...errorsFor(broken, () => ({ type: 'TypeError', message: "Cannot read properties of undefined (reading 'price')" }))].sort((a, b) => a.time - b.time)
    const r = await runScenario({
      logs: { 'access.log': access.nginx(reqs), 'app.log': app.pino(errors) },
      deploys: [{ version: 'v2.14.0', at: min(31), commit: 'a1b2c3d' }]
    })
    reasonsOk(r.v1)
    expect(r.v1.verdict?.playbook).toBe('rollback')
    expect(r.v1.suspectDeploy?.version).toBe('v2.14.0')
    expect(r.v1.suspectDeploy?.errorRateBefore).toBeLessThan(0.01)
    expect(r.v1.suspectDeploy?.errorRateAfter).toBeGreaterThan(0.1)
    const typeError = r.v1.errorGroups.find((g) => g.type === 'TypeError')
    expect(typeError?.newSinceDeploy).toBe(true)
    expect(r.v1.errorGroups.find((g) => g.type === 'ValidationError')?.newSinceDeploy).toBe(false)
    expect(r.v1.verdict?.reasons.join(' ')).toContain('v2.14.0')
    expect(r.snapshot.baseline.onset).toBeGreaterThanOrEqual(min(31))
    expect(r.snapshot.baseline.onset).toBeLessThan(min(32))
    expect(r.v1.replay?.url).toMatch(/^http:\/\/localhost\/api\/(cart|checkout)/)
  })

  it('JSON access + logback: NullPointerException after the second of two deploys', async () => {
    const reqs = traffic({ minutes: 50, perSecond: 4, seed: 21 })
    const broken = fail(reqs, (r, rnd) => (r.time >= min(38) && r.path !== '/health' && rnd() < 0.35 ? 500 : null))
    const errors = errorsFor(broken, () => ({ type: 'java.lang.NullPointerException', message: 'Cannot invoke "com.example.shop.Price.amount()" because "price" is null' }))
    const r = await runScenario({
      logs: { 'requests.jsonl': access.json(reqs), 'spring.log': app.logback(errors) },
      deploys: [
        { version: 'v2.13.0', at: min(5), env: 'prod' },
        { version: 'v2.14.0', at: min(36), env: 'prod' }
      ]
    })
    reasonsOk(r.v1)
    expect(r.v1.verdict?.playbook).toBe('rollback')
    expect(r.v1.suspectDeploy?.version).toBe('v2.14.0')
    expect(r.v1.errorGroups[0].newSinceDeploy).toBe(true)
  })

  it('app log only (Python tracebacks): errors burst after the deploy', async () => {
    const rnd = prng(5)
    const errors: AppError[] = []
    for (let t = T0; t < min(40); t += 1000) {
      const rate = t >= min(22) ? 0.8 : 0.004
      if (rnd() < rate) errors.push({ time: t + 17, req: null, type: 'AttributeError', message: "'NoneType' object has no attribute 'currency'" })
    }
    errors.push({ time: min(3), req: null, type: 'TimeoutError', message: 'warm-up call timed out', level: 'warn' })
    const r = await runScenario({ logs: { 'app.log': app.python(errors.sort((a, b) => a.time - b.time)) }, deploys: [{ version: '4.2.0', at: min(21) + 30_000 }] })
    reasonsOk(r.v1)
    expect(r.v1.verdict?.playbook).toBe('rollback')
    expect(r.v1.suspectDeploy?.version).toBe('4.2.0')
    expect(r.v1.suspectDeploy?.errorRateAfter).toBeGreaterThan(r.v1.suspectDeploy?.errorRateBefore ?? Infinity)
    expect(r.v1.replay).toBeNull()
  })
})

describe('app logs that carry their requests (pino-http, no access log)', () => {
  it('rollback: failed requests are counted against all requests', async () => {
    const reqs = traffic({ minutes: 40, perSecond: 4, seed: 73 })
    fail(reqs, (r, rnd) => (r.time >= min(25) && r.path.startsWith('/api/orders') && rnd() < 0.7 ? 500 : r.time >= min(25) && rnd() < 0.05 ? 500 : null))
    const r = await runScenario({
      logs: { 'app.log': app.pinoHttp(reqs, () => ({ type: 'RangeError', message: 'Invalid time value' })) },
      deploys: [{ version: 'v9.3.1', at: min(24) + 40_000 }]
    })
    reasonsOk(r.v1)
    expect(r.v1.verdict?.playbook).toBe('rollback')
    expect(r.v1.suspectDeploy?.errorRateAfter).toBeGreaterThan(0.05)
    expect(r.v1.suspectDeploy?.errorRateAfter).toBeLessThan(1)
    expect(r.v1.replay?.url).toMatch(/^http:\/\/localhost\/api\/orders\/\d+$/)
  })
})

describe('dependency', () => {
  it('health file: postgres down while the 5xx happen (nginx + structlog)', async () => {
    const reqs = traffic({ minutes: 45, perSecond: 5, seed: 9 })
    const broken = fail(reqs, (r, rnd) => (r.time >= min(20) && r.time < min(33) && r.path !== '/health' && rnd() < 0.5 ? 500 : null))
    const errors = errorsFor(broken, () => ({ type: 'InternalServerError', message: 'request could not be completed' }))
    const health = []
    for (let t = T0; t < min(45); t += 30_000) health.push({ at: t + 5000, target: 'postgres', ok: !(t >= min(19.5) && t < min(33)), latencyMs: 3, ...(t >= min(19.5) && t < min(33) ? { detail: 'connection refused' } : {}) })
    for (let t = T0; t < min(45); t += 30_000) health.push({ at: t + 7000, target: 'redis', ok: true, latencyMs: 1 })
    const r = await runScenario({ logs: { 'access.log': access.nginx(reqs), 'app.jsonl': app.structlog(errors) }, health })
    reasonsOk(r.v1)
    expect(r.v1.verdict?.playbook).toBe('dependency')
    expect(r.v1.dependency?.target).toBe('postgres')
    expect(Date.parse(r.v1.dependency?.from ?? '')).toBeGreaterThanOrEqual(min(19))
    expect(Date.parse(r.v1.dependency?.to ?? '')).toBeLessThanOrEqual(min(34))
    expect(r.snapshot.health.find((h) => h.target === 'postgres')?.bands.some((b) => !b.ok)).toBe(true)
  })

  it('error signatures: Redis connection refused in pino errors, no health file (apache access)', async () => {
    const reqs = traffic({ minutes: 40, perSecond: 5, seed: 13 })
    const broken = fail(reqs, (r, rnd) => (r.time >= min(12) && r.time < min(30) && rnd() < 0.4 ? 500 : null))
    const errors = errorsFor(broken, () => ({ type: 'Error', message: 'Redis connection to redis:6379 failed - connect ECONNREFUSED 172.18.0.3:6379' }))
    const r = await runScenario({ logs: { 'access.log': access.apache(reqs), 'app.log': app.pino(errors) } })
    reasonsOk(r.v1)
    expect(r.v1.verdict?.playbook).toBe('dependency')
    expect(r.v1.dependency?.target).toBe('redis:6379')
  })

  it('error signatures: Go service cannot reach postgres by IP (zap, JSON access)', async () => {
    const reqs = traffic({ minutes: 30, perSecond: 4, seed: 17 })
    const broken = fail(reqs, (r, rnd) => (r.time >= min(10) && rnd() < 0.5 ? 500 : null))
    const errors = errorsFor(broken, () => ({ type: 'error', message: 'dial tcp 10.0.4.12:5432: connect: connection refused' }))
    const r = await runScenario({ logs: { 'access.jsonl': access.json(reqs), 'app.jsonl': app.zap(errors) } })
    expect(r.v1.verdict?.playbook).toBe('dependency')
    expect(r.v1.dependency?.target).toBe('postgres')
  })
})

describe('dependency long after a deploy', () => {
  it('a deploy an hour before the rise is not the suspect; the failing health target is', async () => {
    const reqs = traffic({ minutes: 90, perSecond: 3, seed: 79 })
    const broken = fail(reqs, (r, rnd) => (r.time >= min(70) && r.time < min(80) && rnd() < 0.6 ? 504 : null))
    const errors = errorsFor(broken, () => ({ type: 'context.DeadlineExceeded', message: 'Post "http://payments-api/v1/charge": context deadline exceeded' }))
    const health = []
    for (let t = T0; t < min(90); t += 60_000) health.push({ at: t, target: 'payments-api', ok: !(t >= min(69) && t < min(80)), status: t >= min(69) && t < min(80) ? 503 : 200 })
    const r = await runScenario({ logs: { 'access.log': access.nginx(reqs), 'app.jsonl': app.zap(errors) }, deploys: [{ version: 'v5.0.0', at: min(10) }], health })
    reasonsOk(r.v1)
    expect(r.v1.verdict?.playbook).toBe('dependency')
    expect(r.v1.dependency?.target).toBe('payments-api')
    expect(r.v1.suspectDeploy).toBeNull()
    expect(r.v1.errorGroups.every((g) => !g.newSinceDeploy || g.firstSeen === null || Date.parse(g.firstSeen) >= min(10))).toBe(true)
  })
})

describe('config', () => {
  it('Node: a missing environment variable on every payment (nginx + pino)', async () => {
    const reqs = traffic({ minutes: 30, perSecond: 5, seed: 23 })
    const broken = fail(reqs, (r, rnd) => (r.time >= min(8) && r.path !== '/health' && rnd() < 0.3 ? 500 : null))
    const errors = errorsFor(broken, () => ({ type: 'Error', message: 'Missing required environment variable: PAYMENTS_API_KEY' }))
    const r = await runScenario({ logs: { 'access.log': access.nginx(reqs), 'app.log': app.pino(errors) } })
    reasonsOk(r.v1)
    expect(r.v1.verdict?.playbook).toBe('config')
    expect(r.v1.missingConfig).toEqual(['PAYMENTS_API_KEY'])
  })

  it('Spring: an unresolved placeholder (JSON access + logback)', async () => {
    const reqs = traffic({ minutes: 30, perSecond: 5, seed: 29 })
    const broken = fail(reqs, (r, rnd) => (r.time >= min(4) && r.path !== '/health' && rnd() < 0.45 ? 500 : null))
    const errors = errorsFor(broken, () => ({
      type: 'java.lang.IllegalArgumentException',
      message: 'Could not resolve placeholder \'payments.api.key\' in value "${payments.api.key}"'
    }))
    const r = await runScenario({ logs: { 'access.jsonl': access.json(reqs), 'spring.log': app.logback(errors) } })
    reasonsOk(r.v1)
    expect(r.v1.verdict?.playbook).toBe('config')
    expect(r.v1.missingConfig).toEqual(['payments.api.key'])
  })

  it('Python, app log only: KeyError on os.environ names the variable', async () => {
    const errors: AppError[] = []
    for (let i = 0; i < 40; i++) errors.push({ time: min(2) + i * 20_000, req: null, type: 'KeyError', message: "'DATABASE_URL'" })
    const r = await runScenario({ logs: { 'app.log': app.python(errors) } })
    reasonsOk(r.v1)
    expect(r.v1.verdict?.playbook).toBe('config')
    expect(r.v1.missingConfig).toEqual(['DATABASE_URL'])
  })
})

describe('endpoint', () => {
  const exportRoute = { method: 'GET', path: (r: () => number) => `/api/reports/${1000 + Math.floor(r() * 8000)}/export?format=csv`, weight: 8 }

  it('nginx + pino: one export route fails, the rest is fine', async () => {
    const reqs = traffic({ minutes: 40, perSecond: 5, seed: 31, routes: [...DEFAULT_ROUTES_WITH(exportRoute)] })
    const broken = fail(reqs, (r, rnd) => (r.path.startsWith('/api/reports/') && rnd() < 0.4 ? 500 : null))
    const errors = errorsFor(broken, () => ({ type: 'TypeError', message: "Cannot read properties of undefined (reading 'rows')" }))
    const r = await runScenario({ logs: { 'access.log': access.nginx(reqs), 'app.log': app.pino(errors) } })
    reasonsOk(r.v1)
    expect(r.v1.verdict?.playbook).toBe('endpoint')
    expect(r.v1.endpoint).toMatchObject({ method: 'GET', route: '/api/reports/:id/export' })
    expect(r.v1.endpoint?.shareOfErrors).toBeGreaterThan(0.9)
    expect(r.v1.replay?.method).toBe('GET')
    expect(r.v1.replay?.url).toMatch(/^http:\/\/localhost\/api\/reports\/\d+\/export\?format=csv$/)
    expect(r.v1.replay?.curl).toMatch(/^curl -sS -X GET 'http:\/\/localhost\/api\/reports\/\d+\/export\?format=csv' -H 'X-Request-Id: req-[0-9a-f]+'/)
  })

  it('JSON access only: POST /api/orders fails; its replay is shown with a warning, never as replayable', async () => {
    const routes = [...DEFAULT_ROUTES_WITH({ method: 'POST', path: () => '/api/orders', weight: 10 })]
    const reqs = traffic({ minutes: 30, perSecond: 4, seed: 37, routes })
    fail(reqs, (r, rnd) => (r.method === 'POST' && r.path === '/api/orders' && rnd() < 0.5 ? 500 : null))
    const r = await runScenario({ logs: { 'access.jsonl': access.json(reqs) } })
    reasonsOk(r.v1)
    expect(r.v1.verdict?.playbook).toBe('endpoint')
    expect(r.v1.endpoint).toMatchObject({ method: 'POST', route: '/api/orders' })
    expect(r.v1.replay?.method).toBe('POST')
    expect(r.v1.replay?.curl).toMatch(/^# POST is not idempotent/)
  })
})

describe('intermittent', () => {
  it('traffic: 5xx come at the load peaks', async () => {
    const period = 12 * 60_000
    const load = (t: number): number => 6 + 5 * Math.sin((2 * Math.PI * (t - T0)) / period)
    const reqs = traffic({ minutes: 90, perSecond: load, seed: 41 })
    const broken = fail(reqs, (r, rnd) => (rnd() < Math.max(0, (load(r.time) - 9) / 12) ? 503 : null))
    const errors = errorsFor(broken, () => ({ type: 'ResourceExhausted', message: 'worker pool saturated: 64/64 busy' }))
    const r = await runScenario({ logs: { 'access.log': access.nginx(reqs), 'app.log': app.structlog(errors) } })
    reasonsOk(r.v1)
    expect(r.v1.verdict?.playbook).toBe('intermittent')
    expect(r.v1.intermittent?.pattern).toBe('traffic')
  })

  it('data: a few user ids fail on every route, the rest succeed', async () => {
    const bad = ['4242', '777']
    const user = (rnd: () => number): string => (rnd() < 0.04 ? bad[Math.floor(rnd() * 2)] : String(1000 + Math.floor(rnd() * 3000)))
    const routes = [
      { method: 'GET', path: (r: () => number) => `/api/users/${user(r)}/profile`, weight: 10 },
      { method: 'GET', path: (r: () => number) => `/api/orders?user_id=${user(r)}`, weight: 10 },
      { method: 'GET', path: (r: () => number) => `/api/users/${user(r)}/invoices`, weight: 10 },
      { method: 'GET', path: () => '/api/products', weight: 10 }
    ]
    const reqs = traffic({ minutes: 60, perSecond: 5, seed: 43, routes })
    const broken = fail(reqs, (r) => (bad.some((id) => r.path.includes(`/${id}/`) || r.path.endsWith(`=${id}`)) ? 500 : null))
    const errors = errorsFor(broken, () => ({ type: 'java.lang.IllegalStateException', message: 'invoice currency missing for account' }))
    const r = await runScenario({ logs: { 'access.log': access.apache(reqs), 'app.log': app.logback(errors) } })
    reasonsOk(r.v1)
    expect(r.v1.verdict?.playbook).toBe('intermittent')
    expect(r.v1.intermittent?.pattern).toBe('data')
    expect([...(r.v1.intermittent?.keys ?? [])].sort()).toEqual(['user_id=4242', 'user_id=777'])
  })

  it('time-of-day: bursts at hh:00–hh:04 every hour, before the last deploy', async () => {
    const from = Date.parse('2026-03-14T10:30:00Z')
    const reqs = traffic({ from, minutes: 240, perSecond: 3, seed: 47 })
    const broken = fail(reqs, (r, rnd) => (new Date(r.time).getUTCMinutes() < 4 && rnd() < 0.4 ? 500 : null))
    const errors = errorsFor(broken, () => ({ type: 'Error', message: 'report generation lock held by nightly-export' }))
    const r = await runScenario({
      logs: { 'access.log': access.nginx(reqs), 'app.log': app.pino(errors) },
      deploys: [{ version: 'v7.1.0', at: Date.parse('2026-03-14T12:55:00Z') }]
    })
    reasonsOk(r.v1)
    expect(r.v1.verdict?.playbook).toBe('intermittent')
    expect(r.v1.intermittent?.pattern).toBe('time-of-day')
    expect(r.v1.suspectDeploy).toBeNull()
    expect(r.v1.verdict?.reasons.join(' ')).toMatch(/hh:00–hh:0\d every hour/)
  })
})

describe('upstream and unavailable', () => {
  it('upstream: 502s with connect() refused in the nginx error log, app silent', async () => {
    const reqs = traffic({ minutes: 40, perSecond: 5, seed: 53 })
    const broken = fail(reqs, (r, rnd) => (r.time >= min(20) && r.time < min(28) && rnd() < 0.9 ? 502 : null))
    const pad = (n: number): string => String(n).padStart(2, '0')
    const errorLog = broken
      .map((q) => {
        const d = new Date(q.time)
        return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} [error] 31#31: *${q.time % 100000} connect() failed (111: Connection refused) while connecting to upstream, client: ${q.client}, server: shop, request: "${q.method} ${q.path} HTTP/1.1", upstream: "http://10.0.3.7:8080${q.path}", host: "shop.example.com"`
      })
      .join('\n')
    const r = await runScenario({ logs: { 'access.log': access.nginx(reqs), 'error.log': `${errorLog}\n` } })
    reasonsOk(r.v1)
    expect(r.v1.verdict?.playbook).toBe('upstream')
    expect(r.v1.verdict?.reasons.join(' ')).toMatch(/connection refused/)
  })

  it('unavailable: 503 during a maintenance window, app logs only the maintenance warning', async () => {
    const reqs = traffic({ minutes: 40, perSecond: 5, seed: 59 })
    fail(reqs, (r) => (r.time >= min(15) && r.time < min(25) && r.path !== '/health' ? 503 : null))
    const notes: AppError[] = [{ time: min(15) - 2000, req: null, type: 'Maintenance', message: 'maintenance mode enabled: answering 503 with Retry-After: 600', level: 'warn' }]
    const r = await runScenario({ logs: { 'access.log': access.nginx(reqs), 'app.log': app.logback(notes) } })
    reasonsOk(r.v1)
    expect(r.v1.verdict?.playbook).toBe('unavailable')
  })
})

describe('no incident', () => {
  it('a few sporadic 500s in thousands of requests is none', async () => {
    const reqs = traffic({ minutes: 60, perSecond: 4, seed: 61 })
    const sporadic = new Set([1000, 5000, 9000, 13_000])
    reqs.forEach((q, i) => {
      if (sporadic.has(i)) q.status = 500
    })
    const r = await runScenario({ logs: { 'access.log': access.nginx(reqs) } })
    reasonsOk(r.v1)
    expect(r.v1.verdict?.playbook).toBe('none')
    expect(r.snapshot.findings).toHaveLength(1)
    expect(r.v1.replay?.method).toBe('GET')
  })
})

describe.skipIf(!hasSharedData)('real data', () => {
  if (!hasSharedData) console.log(sharedDataSkipReason)
  it('the Elastic access log (3 sporadic 500s in 10,000 requests) is no incident', async () => {
    const snapshot = AnalysisSnapshot.parse(buildAnalysisSnapshot(await readLogFiles([sharedData('nginx', 'elastic-examples_apache_access_combined_10k.log')]), [], []))
    expect(snapshot.v1.verdict?.playbook).toBe('none')
    expect(snapshot.v1.statusCounts['500']).toBe(3)
    expect(snapshot.findings.map((f) => f.playbook)).toEqual(['none'])
    expect(snapshot.baseline.onset).toBeNull()
    expect(snapshot.timeline.buckets.length).toBeGreaterThanOrEqual(60)
    expect(snapshot.timeline.buckets.length).toBeLessThanOrEqual(241)
  })
})

describe('precedence and determinism', () => {
  it('a deploy right before the rise wins over a failing dependency, which stays a secondary finding', async () => {
    const reqs = traffic({ minutes: 40, perSecond: 5, seed: 67 })
    const broken = fail(reqs, (r, rnd) => (r.time >= min(21) && rnd() < 0.5 ? 500 : null))
    const errors = errorsFor(broken, () => ({ type: 'Error', message: 'connect ECONNREFUSED 10.0.0.5:5432' }))
    const health = []
    for (let t = T0; t < min(40); t += 20_000) health.push({ at: t, target: 'orders-db', ok: t < min(21) })
    const r = await runScenario({
      logs: { 'access.log': access.nginx(reqs), 'app.log': app.pino(errors) },
      deploys: [{ version: 'v3.0.0', at: min(20) + 10_000 }],
      health
    })
    expect(playbooks(r).slice(0, 2)).toEqual(['rollback', 'dependency'])
    expect(r.v1.verdict?.playbook).toBe('rollback')
    expect(r.v1.suspectDeploy?.version).toBe('v3.0.0')
    expect(r.v1.dependency?.target).toBe('orders-db')
  })

  it('the same input gives the same output', async () => {
    const reqs = traffic({ minutes: 30, perSecond: 5, seed: 71 })
    const broken = fail(reqs, (r, rnd) => (r.time >= min(12) && rnd() < 0.3 ? 500 : null))
    const files = { logs: { 'access.log': access.nginx(reqs), 'app.log': app.pino(errorsFor(broken, () => ({ type: 'TypeError', message: 'x is not a function' }))) }, deploys: [{ version: 'v1', at: min(11) }] }
    const a = await runScenario(files)
    const b = await runScenario(files)
    // Each run writes its files to another temp folder: compare everything but the paths.
    const lines = (x: ScenarioResult) => Object.fromEntries(Object.entries(x.snapshot.groupLocations).map(([id, at]) => [id, at.line]))
    const strip = (x: ScenarioResult): unknown => ({ ...x.snapshot, computeMs: 0, v1: { ...x.snapshot.v1, sources: [] }, groupLocations: lines(x) })
    expect(strip(b)).toEqual(strip(a))
    expect({ ...b.v1, sources: [] }).toEqual({ ...a.v1, sources: [] })
  })
})

function DEFAULT_ROUTES_WITH(extra: { method: string; path: (r: () => number) => string; weight: number }) {
  return [
    { method: 'GET', path: (r: () => number) => `/api/products/${1 + Math.floor(r() * 500)}`, weight: 30 },
    { method: 'GET', path: () => '/api/products', weight: 15 },
    { method: 'GET', path: (r: () => number) => `/api/cart/${1000 + Math.floor(r() * 900)}`, weight: 15 },
    { method: 'GET', path: () => '/health', weight: 10 },
    extra
  ]
}

describe('upstream from an ingress-nginx log alone', () => {
  it('502/504 with no app log and no proxy error log: the proxy got no answer (upstream)', async () => {
    const lines: string[] = []
    let seed = 5
    const rnd = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647)
    for (let s = 0; s < 1800; s++)
      for (let k = 0; k < 3; k++) {
        const failing = s > 900 && s < 1300 && rnd() < 0.4
        const status = failing ? (rnd() < 0.5 ? 502 : 504) : 200
        const t = new Date(Date.UTC(2026, 2, 14, 9, 0, s))
        const ts = `${String(t.getUTCDate()).padStart(2, '0')}/Mar/2026:${t.toISOString().slice(11, 19)} +0000`
        lines.push(`192.168.1.7 - - [${ts}] "GET /api/v1/items/${k} HTTP/1.1" ${status} 123 "-" "okhttp/4.9" 310 0.012 [default-api-8080] [] 10.0.3.7:8080 123 0.011 ${status} ${s}${k}abc`)
      }
    const r = await runScenario({ logs: { 'ingress.log': lines.join('\n') + '\n' } })
    reasonsOk(r.v1)
    expect(r.v1.sources[0].format).toBe('ingress-nginx')
    expect(r.v1.verdict?.playbook).toBe('upstream')
  })
})
