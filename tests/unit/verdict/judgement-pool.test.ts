/**
 * HikariCP "Connection is not available, request timed out after 30000ms" only at the two
 * traffic peaks, while the database's own health check stays green with flat latency: the
 * app's pool runs out under load. That is capacity (intermittent/traffic), not the database.
 */
import { describe, expect, it } from 'vitest'
import type { HealthSample } from '../../../shared/model/evidence'
import { poolSaturation } from '../../../shared/analysis/verdict/saturation'
import { detectionFor } from '../../../shared/analysis/verdict'
import { analysisInput } from '../../../electron/session/analysis-input'
import { access, fail, prng, type Req, traffic } from './scenario'
import { analyzeFiles, springTime } from './judgement-run'

const DAY = Date.parse('2026-03-16T00:00:00Z')
const at = (h: number, m = 0): number => DAY + (h * 60 + m) * 60_000
const FROM = at(8)
const HOURS = 3

/** Morning and lunchtime peaks on a quiet base: requests per second at time t. */
function load(t: number): number {
  const peak = (centre: number): number => Math.max(0, 1 - Math.abs(t - centre) / (25 * 60_000))
  return 1 + 7 * Math.max(peak(at(9, 0)), peak(at(10, 20)))
}

const HIKARI = 'HikariPool-1 - Connection is not available, request timed out after 30000ms.'

/** What Spring Boot + Hibernate write when the pool times out: SqlExceptionHelper's WARN/ERROR, then the request's failure with its trace. */
function poolTimeout(r: Req, rnd: () => number): string[] {
  const t = r.time - 20
  const thread = `http-nio-8080-exec-${1 + Math.floor(rnd() * 200)}`.slice(-15)
  return [
    `${springTime(t)}  WARN 1 --- [${thread}] o.h.engine.jdbc.spi.SqlExceptionHelper   : SQL Error: 0, SQLState: null`,
    `${springTime(t + 1)} ERROR 1 --- [${thread}] o.h.engine.jdbc.spi.SqlExceptionHelper   : ${HIKARI}`,
    `${springTime(t + 4)} ERROR 1 --- [${thread}] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed: org.springframework.dao.DataAccessResourceFailureException: Unable to acquire JDBC Connection] with root cause`,
    '',
    `java.sql.SQLTransientConnectionException: ${HIKARI}`,
    '\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696) ~[HikariCP-5.0.1.jar!/:na]',
    '\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:181) ~[HikariCP-5.0.1.jar!/:na]',
    '\tat com.zaxxer.hikari.HikariDataSource.getConnection(HikariDataSource.java:100) ~[HikariCP-5.0.1.jar!/:na]',
    '\tat com.example.orders.OrderRepository.findByCustomer(OrderRepository.java:57) ~[classes!/:na]'
  ]
}

function incident(): { logs: Record<string, string>; health: HealthSample[] } {
  const reqs = traffic({ from: FROM, minutes: HOURS * 60, perSecond: load, seed: 41 })
  // The pool (10 connections) runs dry only when the load is past what it can serve.
  const failed = fail(reqs, (r, rnd) => (r.path !== '/health' && load(r.time) > 5.5 && rnd() < (load(r.time) - 5.5) / 6 ? 500 : null), 43)
  for (const r of failed) r.durationMs = 30_000 + Math.floor(r.durationMs)
  const rnd = prng(47)
  const app = [`${springTime(FROM - 60_000)}  INFO 1 --- [           main] c.e.orders.OrdersApplication             : Started OrdersApplication in 7.912 seconds (process running for 8.6)`]
  for (const r of failed) app.push(...poolTimeout(r, rnd))
  // The database's own check, every 30 s: green, latency flat at 3–6 ms through both peaks.
  const health: HealthSample[] = []
  for (let t = FROM; t < FROM + HOURS * 3_600_000; t += 30_000)
    health.push({ at: t, target: 'orders', ok: true, status: 200, latencyMs: 3 + Math.floor(rnd() * 4), error: null, components: [{ name: 'db', ok: true, status: 'UP' }, { name: 'diskSpace', ok: true, status: 'UP' }, { name: 'ping', ok: true, status: 'UP' }] })
  return { logs: { 'access.log': access.nginx(reqs), 'orders.log': app.join('\n') + '\n' }, health }
}

describe('pool exhaustion that follows load, with a healthy database', () => {
  it('is intermittent/traffic, not dependency: database', async () => {
    const { logs, health } = incident()
    const { snapshot } = await analyzeFiles(logs, { health })
    const v1 = snapshot.v1
    expect(v1.verdict?.playbook).toBe('intermittent')
    expect(v1.intermittent?.pattern).toBe('traffic')
    expect(snapshot.findings.map((f) => f.playbook)).not.toContain('dependency')
    const reasons = v1.verdict?.reasons.join('\n') ?? ''
    expect(reasons).toMatch(/connection pool/i)
    expect(reasons).toMatch(/health check stayed (?:green|up)/i)
    expect(v1.dependency).toBeNull()
  })

  it('leaves the structured fact for a capacity playbook: pool exhaustion tracking load, dependency healthy', async () => {
    const { logs, health } = incident()
    // The same fact the detectors read, computed on the one picture.
    const { readLogFiles } = await import('../../../electron/collect/read-files')
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises')
    const os = await import('node:os')
    const path = await import('node:path')
    const dir = await mkdtemp(path.join(os.tmpdir(), 'triage500-pool-'))
    try {
      const paths = await Promise.all(Object.entries(logs).map(async ([n, c]) => { const p = path.join(dir, n); await writeFile(p, c); return p }))
      const d = detectionFor(analysisInput(await readLogFiles(paths), [], health))
      const fact = poolSaturation(d.ctx)
      expect(fact).toMatchObject({ kind: 'connection-pool', tracksLoad: true, dependencyHealthy: true, healthTarget: 'orders/db' })
      expect(fact?.count).toBeGreaterThan(20)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('stays dependency when the database check itself goes down at the peaks', async () => {
    const { logs, health } = incident()
    const sick = health.map((h) => (load(h.at) > 5.5 ? { ...h, ok: false, status: 503, latencyMs: 2500, error: 'status DOWN (HTTP 503); failing: db (DOWN)', components: [{ name: 'db', ok: false, status: 'DOWN' }, { name: 'ping', ok: true, status: 'UP' }] } : h))
    const { snapshot } = await analyzeFiles(logs, { health: sick })
    expect(snapshot.v1.verdict?.playbook).toBe('dependency')
  })
})
