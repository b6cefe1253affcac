/**
 * Incidents where the only deploy evidence is the app's own log, run through the real one-shot
 * analyze path (tmp files → `analyze --format json` and the snapshot builder): nginx in local
 * time (+0200) in front of a Spring Boot app logging UTC, with the morning ramp under it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { emptyIncident } from '../../../shared/contract'
import { buildRunbook } from '../../../shared/runbook'
import { readLogFiles } from '../../../electron/collect/read-files'
import { analysisInput } from '../../../electron/session/analysis-input'
import { fail, prng, type Req, runScenario, traffic } from '../verdict/scenario'

const T = Date.parse('2026-03-12T07:30:00Z')
const at = (m: number, s = 0): number => T + m * 60_000 + s * 1000
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const p2 = (n: number): string => String(n).padStart(2, '0')

/** nginx combined in the server's local time, +0200 (Europe/Berlin in summer, or EET). */
function nginxLocal(reqs: Req[]): string {
  const clf = (t: number): string => {
    const d = new Date(t + 2 * 3600_000)
    return `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0200`
  }
  return reqs.map((r) => `${r.client} - - [${clf(r.time)}] "${r.method} ${r.path} HTTP/1.1" ${r.status} ${r.status >= 500 ? 157 : 1834} "-" "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X)" ${(r.durationMs / 1000).toFixed(3)}`).join('\n') + '\n'
}

const springTime = (t: number): string => new Date(t).toISOString().replace('T', ' ').slice(0, 23)
const line = (t: number, level: string, thread: string, logger: string, msg: string): string => `${springTime(t)} ${level.padStart(5)} 1 --- [${thread.padStart(15)}] ${logger.padEnd(40)} : ${msg}`

function boot(t: number, version: string): string[] {
  return [
    line(t, 'INFO', 'main', 'c.e.orders.OrdersApplication', `Starting OrdersApplication v${version} using Java 17.0.9 with PID 1 (/app/orders.jar started by spring in /app)`),
    line(t + 150, 'INFO', 'main', 'c.e.orders.OrdersApplication', 'The following 1 profile is active: "prod"'),
    line(t + 2400, 'INFO', 'main', 'com.zaxxer.hikari.HikariDataSource', 'HikariPool-1 - Start completed.'),
    line(t + 3900, 'INFO', 'main', 'o.s.b.w.embedded.tomcat.TomcatWebServer', "Tomcat started on port 8080 (http) with context path ''"),
    line(t + 4100, 'INFO', 'main', 'c.e.orders.OrdersApplication', 'Started OrdersApplication in 4.217 seconds (process running for 4.902)')
  ]
}

interface AppLog {
  boots: { at: number; version: string }[]
  /** The error each failed request logged. */
  errorOf: (r: Req) => { type: string; message: string }
}

/** The Spring Boot app's own log: boots, a heartbeat line a minute, and a trace per failed request. */
function springLog(reqs: Req[], spec: AppLog): string {
  const entries: { t: number; text: string }[] = []
  for (const b of spec.boots) boot(b.at, b.version).forEach((text, i) => entries.push({ t: b.at + i, text }))
  for (let t = at(0); t < at(90); t += 60_000) entries.push({ t, text: line(t, 'INFO', 'scheduling-1', 'c.e.orders.OutboxRelay', 'Relayed 0 outbox messages') })
  for (const r of reqs) {
    if (r.status < 500) continue
    const e = spec.errorOf(r)
    const thread = `nio-8080-exec-${1 + (r.time % 9)}`
    const text = [
      line(r.time + 2, 'ERROR', thread, 'o.a.c.c.C.[.[.[/].[dispatcherServlet]', `Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed: ${e.type}: ${e.message}] with root cause`),
      '',
      `${e.type}: ${e.message}`,
      '\tat com.example.orders.OrderService.find(OrderService.java:57)',
      '\tat com.example.orders.OrderController.get(OrderController.java:33)',
      '\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)'
    ].join('\n')
    entries.push({ t: r.time + 2, text })
  }
  return entries.sort((a, b) => a.t - b.t).map((e) => e.text).join('\n') + '\n'
}

/** The morning ramp: 1/s at 07:30 to 6/s by 09:00. */
const ramp = (t: number): number => 1 + 5 * Math.min(1, Math.max(0, (t - at(0)) / (90 * 60_000)))
const npe = { type: 'java.lang.NullPointerException', message: 'Cannot invoke "com.example.orders.Discount.percent()" because "discount" is null' }

/** A healthy baseline: a stray 500 now and then (0.2%). */
function withBackground(reqs: Req[], seed: number): Req[] {
  const rnd = prng(seed)
  return reqs.map((r) => (rnd() < 0.002 ? { ...r, status: 500 } : r))
}

const DEPLOY = at(32) // 08:02Z = 10:02 in nginx's log

describe('a release seen only in the app log', () => {
  it('the banner of a new version, then a step at the morning ramp: rollback, source "log" (nginx +0200, app UTC)', async () => {
    const reqs = withBackground(traffic({ from: at(0), minutes: 90, perSecond: ramp, seed: 5 }), 9)
    fail(reqs, (r, rnd) => (r.time >= DEPLOY + 20_000 && r.path.startsWith('/api/orders/') && rnd() < 0.7 ? 500 : null))
    const { v1, snapshot } = await runScenario({
      logs: { 'access.log': nginxLocal(reqs), 'orders.log': springLog(reqs, { boots: [{ at: at(-90), version: '3.8.0' }, { at: DEPLOY, version: '3.8.1' }], errorOf: () => npe }) }
    })
    expect(v1.verdict?.playbook).toBe('rollback')
    expect(v1.suspectDeploy).toMatchObject({ version: '3.8.1', at: new Date(DEPLOY).toISOString(), source: 'log', migration: { ran: false, schemaErrors: false } })
    expect(v1.suspectDeploy?.errorRateBefore).toBeLessThan(0.01)
    expect(v1.suspectDeploy?.errorRateAfter).toBeGreaterThan(0.05)
    expect(v1.verdict?.reasons.join('\n')).toMatch(/seen in the app's own log: 3\.8\.1 first logged at .*where 3\.8\.0 ran before/)
    expect(snapshot.findings.map((f) => f.playbook)).not.toContain('intermittent')
    // Rolling back returns to the version the log showed before.
    const runbook = buildRunbook(snapshot, emptyIncident('i', 't', new Date(at(90)).toISOString()))
    expect(runbook.steps.find((s) => s.id === 'roll-back')?.evidence.join(' ')).toMatch(/Roll back 3\.8\.1 → 3\.8\.0/)
    expect(runbook.steps.map((s) => s.id)).not.toContain('schema-migration')
  }, 120_000)

  it('a deploy that is not the cause: the 5xx started an hour before the banner', async () => {
    const reqs = withBackground(traffic({ from: at(0), minutes: 90, perSecond: ramp, seed: 6 }), 10)
    fail(reqs, (r, rnd) => (r.time >= at(5) && r.path.startsWith('/api/orders/') && rnd() < 0.5 ? 500 : null))
    const { v1 } = await runScenario({
      logs: { 'access.log': nginxLocal(reqs), 'orders.log': springLog(reqs, { boots: [{ at: at(-90), version: '3.8.0' }, { at: at(65), version: '3.8.1' }], errorOf: () => npe }) }
    })
    expect(v1.verdict?.playbook).not.toBe('rollback')
    expect(v1.suspectDeploy).toBeNull()
  }, 120_000)
})

describe('restarts without a new version', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'triage500-restarts-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('are no deploy: no rollback, and the restarts are in the analysis input, per instance', async () => {
    const reqs = withBackground(traffic({ from: at(0), minutes: 90, perSecond: ramp, seed: 7 }), 11)
    fail(reqs, (r, rnd) => (r.time >= DEPLOY + 20_000 && r.path.startsWith('/api/orders/') && rnd() < 0.7 ? 500 : null))
    const boots = [{ at: at(-90), version: '3.8.0' }, { at: DEPLOY, version: '3.8.0' }, { at: at(40), version: '3.8.0' }]
    await writeFile(path.join(dir, 'access.log'), nginxLocal(reqs))
    await writeFile(path.join(dir, 'orders.log'), springLog(reqs, { boots, errorOf: () => npe }))
    const { v1 } = await runScenario({ logs: { 'access.log': nginxLocal(reqs), 'orders.log': springLog(reqs, { boots, errorOf: () => npe }) } })
    expect(v1.verdict?.playbook).not.toBe('rollback')
    expect(v1.suspectDeploy).toBeNull()
    const input = analysisInput(await readLogFiles([path.join(dir, 'access.log'), path.join(dir, 'orders.log')]), [], [])
    expect(input.deploys).toEqual([])
    expect(input.restarts).toEqual(boots.map((b) => ({ instance: path.join(dir, 'orders.log'), at: b.at, version: '3.8.0' })))
  }, 120_000)
})

describe('the migration that shipped with it', () => {
  const schemaError = { type: 'org.springframework.jdbc.BadSqlGrammarException', message: 'PreparedStatementCallback; bad SQL grammar [select id, total_cents, discount_cents from orders where id = ?]; nested exception is org.postgresql.util.PSQLException: ERROR: column "discount_cents" does not exist' }

  it('schema errors with no migration seen: a migration may not have run at all', async () => {
    const reqs = withBackground(traffic({ from: at(0), minutes: 90, perSecond: ramp, seed: 8 }), 12)
    fail(reqs, (r, rnd) => (r.time >= DEPLOY + 20_000 && r.path.startsWith('/api/orders/') && rnd() < 0.7 ? 500 : null))
    const { v1, snapshot } = await runScenario({
      logs: { 'access.log': nginxLocal(reqs), 'orders.log': springLog(reqs, { boots: [{ at: at(-90), version: '3.8.0' }, { at: DEPLOY, version: '3.8.1' }], errorOf: () => schemaError }) }
    })
    expect(v1.verdict?.playbook).toBe('rollback')
    expect(v1.suspectDeploy).toMatchObject({ version: '3.8.1', source: 'log', migration: { ran: false, schemaErrors: true } })
    expect(v1.verdict?.reasons.join('\n')).toMatch(/point at the schema .*no migration is seen with the deploy: a migration may not have run at all/)
    const step = buildRunbook(snapshot, emptyIncident('i', 't', new Date(at(90)).toISOString())).steps.find((s) => s.id === 'schema-migration')
    expect(step?.action).toMatch(/A migration may not have run at all: run the pending migration/)
  }, 120_000)

  it('a Flyway migration ran at boot and the code disagrees: rolling back the code alone may not roll back the schema', async () => {
    const reqs = withBackground(traffic({ from: at(0), minutes: 90, perSecond: ramp, seed: 9 }), 13)
    fail(reqs, (r, rnd) => (r.time >= DEPLOY + 20_000 && r.path.startsWith('/api/orders/') && rnd() < 0.7 ? 500 : null))
    const flyway = [
      line(DEPLOY + 1800, 'INFO', 'main', 'o.f.core.internal.command.DbValidate', 'Successfully validated 42 migrations (execution time 00:00.031s)'),
      line(DEPLOY + 1850, 'INFO', 'main', 'o.f.core.internal.command.DbMigrate', 'Current version of schema "public": 41'),
      line(DEPLOY + 1900, 'INFO', 'main', 'o.f.core.internal.command.DbMigrate', 'Migrating schema "public" to version "42 - rename discount to discount cents"'),
      line(DEPLOY + 2100, 'INFO', 'main', 'o.f.core.internal.command.DbMigrate', 'Successfully applied 1 migration to schema "public", now at version v42 (execution time 00:00.048s)')
    ].join('\n')
    // The old code reads the column the migration renamed: errors after the deploy name it.
    const log = springLog(reqs, { boots: [{ at: at(-90), version: '3.8.0' }, { at: DEPLOY, version: '3.8.1' }], errorOf: () => ({ ...schemaError, message: schemaError.message.replace('discount_cents', 'discount') }) })
    const withFlyway = log.replace(/^(.*Tomcat started on port 8080.*)$/gm, (m, _l, offset: number) => (offset > log.indexOf('v3.8.1') ? `${flyway}\n${m}` : m))
    expect(withFlyway).toContain('Migrating schema')
    const { v1, snapshot } = await runScenario({ logs: { 'access.log': nginxLocal(reqs), 'orders.log': withFlyway } })
    expect(v1.verdict?.playbook).toBe('rollback')
    expect(v1.suspectDeploy).toMatchObject({ version: '3.8.1', source: 'log', migration: { ran: true, schemaErrors: true } })
    expect(v1.verdict?.reasons.join('\n')).toMatch(/A schema migration ran with the deploy \(Flyway .*\) and .* point at the schema .*rolling back the code alone may not roll back the schema/)
    const step = buildRunbook(snapshot, emptyIncident('i', 't', new Date(at(90)).toISOString())).steps.find((s) => s.id === 'schema-migration')
    expect(step?.action).toMatch(/^Rolling back the code alone may not roll back the schema/)
  }, 120_000)

  it('a given deploy and the banner of the same version are one deploy, known as given', async () => {
    const reqs = withBackground(traffic({ from: at(0), minutes: 90, perSecond: ramp, seed: 10 }), 14)
    fail(reqs, (r, rnd) => (r.time >= DEPLOY + 20_000 && r.path.startsWith('/api/orders/') && rnd() < 0.7 ? 500 : null))
    const { v1, snapshot } = await runScenario({
      logs: { 'access.log': nginxLocal(reqs), 'orders.log': springLog(reqs, { boots: [{ at: at(-90), version: '3.8.0' }, { at: DEPLOY, version: '3.8.1' }], errorOf: () => npe }) },
      deploys: [{ version: 'v3.8.1', at: DEPLOY - 90_000, commit: '9f2c1ab' }]
    })
    expect(v1.suspectDeploy).toMatchObject({ version: 'v3.8.1', source: 'given' })
    expect(snapshot.deploys.map((d) => d.version)).toEqual(['v3.8.1'])
  }, 120_000)
})
